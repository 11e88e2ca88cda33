/** Minimal JID handling (RFC 7622) for the pure core: split, compare bare parts. */
export interface Jid {
  local: string;
  domain: string;
  resource: string;
}

export function parseJid(text: string): Jid {
  const slash = text.indexOf('/');
  const bareText = slash === -1 ? text : text.slice(0, slash);
  const resource = slash === -1 ? '' : text.slice(slash + 1);
  const at = bareText.indexOf('@');
  return {
    local: at === -1 ? '' : bareText.slice(0, at),
    domain: (at === -1 ? bareText : bareText.slice(at + 1)).toLowerCase(),
    resource,
  };
}

/** Bare JID with domain lower-cased and local part lower-cased (nodeprep approximation). */
export function bareJid(text: string): string {
  const { local, domain } = parseJid(text);
  return local ? `${local.toLowerCase()}@${domain}` : domain;
}

export function resourceOf(text: string): string {
  return parseJid(text).resource;
}

export function joinJid(local: string, domain: string, resource = ''): string {
  const bare = local ? `${local}@${domain}` : domain;
  return resource ? `${bare}/${resource}` : bare;
}

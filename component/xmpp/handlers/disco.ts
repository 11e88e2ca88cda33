/**
 * Service discovery (XEP-0030) for the component domain, the desks and masked JIDs.
 * Desks and masked JIDs keep message archives (XEP-0313 §6.1: urn:xmpp:mam:2).
 * References: https://xmpp.org/extensions/xep-0030.html, https://xmpp.org/extensions/xep-0313.html
 */
import { RELAYED_NAMESPACES } from '../../../src/relay-policy.js';
import type { Directory } from '../../services/context.js';
import { NS_COMMANDS, NS_DISCO_INFO, NS_DISCO_ITEMS, NS_MAM, NS_PING, NS_VCARD } from '../../protocol/namespaces.js';
import { xml, type Element } from '../../protocol/xml.js';

export type DiscoTarget = { kind: 'domain' } | { kind: 'desk'; desk: string } | { kind: 'masked'; name: string };

const COMMON = [NS_DISCO_INFO, NS_DISCO_ITEMS, NS_PING];

function infoQuery(identity: Record<string, string>, features: readonly string[], node?: string): Element {
  return xml(
    'query',
    { xmlns: NS_DISCO_INFO, node },
    xml('identity', identity),
    ...[...new Set(features)].sort().map((v) => xml('feature', { var: v })),
  );
}

export function discoInfo(target: DiscoTarget, directory: Directory, node?: string, archives = true): Element {
  const mam = archives ? [NS_MAM] : []; // only with the evidence log
  switch (target.kind) {
    case 'domain':
      // XEP-0050: the admin commands (issue 16) are on the domain JID.
      return infoQuery({ category: 'component', type: 'generic', name: 'Madoguchi support desk' }, [...COMMON, NS_COMMANDS], node);
    case 'desk': // XEP-0142's workgroup identity: the desk is an organization, not a person
      return infoQuery(
        { category: 'collaboration', type: 'workgroup', name: directory.desk(target.desk)?.name ?? target.desk },
        [...COMMON, NS_COMMANDS, NS_VCARD, ...mam, ...RELAYED_NAMESPACES],
        node,
      );
    case 'masked':
      return infoQuery(
        { category: 'client', type: 'web', name: target.name },
        [...COMMON, NS_COMMANDS, NS_VCARD, ...mam, ...RELAYED_NAMESPACES],
        node,
      );
  }
}

export function discoItems(target: DiscoTarget, directory: Directory, node?: string): Element {
  const items = target.kind === 'domain' ? directory.desks().map((d) => xml('item', { jid: directory.deskJid(d.id), name: d.name })) : [];
  return xml('query', { xmlns: NS_DISCO_ITEMS, node }, ...items);
}

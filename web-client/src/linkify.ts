/**
 * Splits message text into plain text and http(s) links. Pure: the view turns text
 * segments into text nodes and link segments into <a rel="noopener">; nothing is ever
 * parsed as HTML. Any other scheme (javascript:, data:, …) stays plain text.
 */

export type Segment = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

const CANDIDATE = /\bhttps?:\/\/[^\s<>"'`]+/gi;
const TRAILING = /[.,;:!?'"\]}>]+$/;

/** Drops trailing punctuation, and a closing parenthesis the URL did not open. */
function trimUrl(candidate: string): string {
  let url = candidate.replace(TRAILING, '');
  while (url.endsWith(')') && (url.match(/\(/g)?.length ?? 0) < (url.match(/\)/g)?.length ?? 0)) {
    url = url.slice(0, -1).replace(TRAILING, '');
  }
  return url;
}

function safeHref(text: string): string | undefined {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

export function linkify(text: string): Segment[] {
  const out: Segment[] = [];
  let plain = '';
  let last = 0;
  for (const m of text.matchAll(CANDIDATE)) {
    const start = m.index ?? 0;
    const url = trimUrl(m[0]);
    const href = safeHref(url);
    if (!href) continue;
    plain += text.slice(last, start);
    if (plain) out.push({ kind: 'text', text: plain });
    plain = '';
    out.push({ kind: 'link', text: url, href });
    last = start + url.length;
  }
  plain += text.slice(last);
  if (plain) out.push({ kind: 'text', text: plain });
  return out;
}

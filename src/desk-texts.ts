/**
 * A desk's own texts (issue 16: desks[].texts, live settings) that replace parts of the built-in
 * replies (texts.ts): the greeting of the queued reply (`welcome`, or `busy` when every operator
 * is busy), the closed notice (`closed`), the closing words of an ended chat (`ended`). Picked by
 * the customer's language where known (the widget's `language`, a message's xml:lang): Japanese
 * for `ja…`, English otherwise, the other language when only one is given. `{desk}` is the desk's name.
 */
export type DeskTextKind = 'welcome' | 'busy' | 'closed' | 'ended';
export type DeskTextSet = Partial<Record<DeskTextKind, { en?: string; ja?: string }>>;

export function deskText(
  texts: DeskTextSet | undefined,
  kind: DeskTextKind,
  lang: string | undefined,
  deskName: string,
): string | undefined {
  const t = texts?.[kind];
  if (!t) return undefined;
  const chosen = lang?.toLowerCase().startsWith('ja') ? (t.ja ?? t.en) : (t.en ?? t.ja);
  return chosen?.replaceAll('{desk}', deskName);
}

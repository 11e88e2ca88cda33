/**
 * XEP-0301 (In-Band Real Time Text) applied to a draft, so `!peek` can show what the customer
 * is typing. Positions count Unicode code points (XEP-0301 §4.5.2); `w` (wait) only paces
 * playback and changes nothing here.
 */
export type RttAction = { kind: 't'; p?: number; text: string } | { kind: 'e'; p?: number; n?: number } | { kind: 'w' };

export const MAX_DRAFT_CHARS = 10_000;

/** §4.2.2: 'new' and 'reset' start from an empty text; others edit the current one. */
export function applyRtt(draft: string, event: string | undefined, actions: readonly RttAction[]): string {
  let text = Array.from(event === 'new' || event === 'reset' ? '' : draft);
  const clamp = (p: number | undefined, fallback: number) =>
    p === undefined || !Number.isInteger(p) ? fallback : Math.min(Math.max(p, 0), text.length);
  for (const a of actions) {
    if (a.kind === 't') {
      const p = clamp(a.p, text.length);
      text = [...text.slice(0, p), ...Array.from(a.text), ...text.slice(p)];
    } else if (a.kind === 'e') {
      const p = clamp(a.p, text.length);
      const n = Math.min(a.n === undefined || !Number.isInteger(a.n) ? 1 : Math.max(a.n, 0), p);
      text = [...text.slice(0, p - n), ...text.slice(p)];
    }
    if (text.length > MAX_DRAFT_CHARS) text = text.slice(0, MAX_DRAFT_CHARS);
  }
  return text.join('');
}

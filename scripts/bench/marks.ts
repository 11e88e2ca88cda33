/**
 * The bench's message bodies: `bm:<flow>:<sent µs>:<padding>`. Receivers find them with one
 * indexOf per stanza (no XML parsing); everything else goes to the slow path.
 */
export const MARK = '<body>bm:';
const PAD = 'The quick brown fox jumps over the lazy dog 0123456789';

/** Microseconds on this process's monotonic clock (senders and receivers share it). */
export const nowUs = (): number => Math.round(performance.now() * 1000);

let sent = 0;
/**
 * A chat message as today's clients and the widget send it: with an origin-id (XEP-0359), which
 * the gateway checks once per ticket so a resend is not relayed twice (the direct path carries it too).
 */
export function markedMessage(to: string, flow: number, sentUs: number): string {
  return `<message to='${to}' type='chat'><body>bm:${flow}:${sentUs}:${PAD}</body><origin-id xmlns='urn:xmpp:sid:0' id='b${++sent}'/></message>`;
}

/** Reads `<flow>:<µs>:` after the marker; returns false when the stanza carries none. */
export function readMark(stanza: string, out: { flow: number; sentUs: number }): boolean {
  const at = stanza.indexOf(MARK);
  if (at === -1) return false;
  let i = at + MARK.length;
  let flow = 0;
  let c = stanza.charCodeAt(i);
  while (c >= 48 && c <= 57) {
    flow = flow * 10 + (c - 48);
    c = stanza.charCodeAt(++i);
  }
  if (c !== 58) return false;
  let us = 0;
  c = stanza.charCodeAt(++i);
  while (c >= 48 && c <= 57) {
    us = us * 10 + (c - 48);
    c = stanza.charCodeAt(++i);
  }
  if (c !== 58) return false;
  out.flow = flow;
  out.sentUs = us;
  return true;
}

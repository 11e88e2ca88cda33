/**
 * Sneak peek (docs/widget-protocol.md §9): the customer's draft as XEP-0301 real-time text,
 * whole-text resets only, at most one every 700 ms (the last draft always goes out). Only
 * when the site sets data-sneak-peek="on", and the customer is told.
 * References: https://xmpp.org/extensions/xep-0301.html §4.2.2 (event='reset')
 */
export const SNEAK_PEEK_INTERVAL_MS = 700;

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export function createSneakPeek(send: (text: string, seq: number) => void, clock: Clock = realClock, intervalMs = SNEAK_PEEK_INTERVAL_MS) {
  let seq = 0;
  let lastSent = -Infinity;
  let lastText = '';
  let draft = '';
  let timer: unknown;
  const flush = () => {
    timer = undefined;
    if (draft === lastText) return;
    lastText = draft;
    lastSent = clock.now();
    send(draft, ++seq);
  };
  return {
    input(text: string): void {
      draft = text;
      if (timer !== undefined) return;
      const wait = lastSent + intervalMs - clock.now();
      if (wait <= 0) flush();
      else timer = clock.setTimeout(flush, wait);
    },
    /** The message was sent: the desk clears the draft itself; start over. */
    sent(): void {
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
      draft = lastText = '';
    },
  };
}

/**
 * Never lose a message (docs/widget-protocol.md §4): every customer message waits here, under
 * its origin-id (XEP-0359), until the desk's <ack/>. Kept in localStorage, so a message
 * typed just before the page changed or the network dropped is resent from the next page or
 * after the reconnect, with the same origin-id, and the desk relays it once.
 */
import { readJson, writeJson, type KeyValue } from './storage.js';

export interface OutgoingMessage {
  /** The origin-id, also the stanza id, so receipts and markers name it. */
  id: string;
  body: string;
  /** An uploaded file's URL, sent as jabber:x:oob (XEP-0066). */
  url?: string;
  /** Milliseconds since the epoch, when first written. */
  at: number;
  /** Resends so far in this round (resender.ts: ack timeouts and `wait` errors). */
  attempts: number;
}

export const OUTBOX_KEY = 'mdg:outbox';
const MAX_RETRY_MS = 15_000;

/** 1 s, 2 s, 4 s, … at most 15 s between resends after `wait` errors. */
export const retryDelayMs = (attempts: number) => Math.min(1000 * 2 ** Math.max(0, attempts), MAX_RETRY_MS);

export function createOutbox(store: KeyValue, key = OUTBOX_KEY) {
  const all = () => readJson<OutgoingMessage[]>(store, key, []);
  const save = (items: OutgoingMessage[]) => (items.length ? writeJson(store, key, items) : store.removeItem(key));
  return {
    pending: all,
    has: (id: string) => all().some((m) => m.id === id),
    add(message: Omit<OutgoingMessage, 'attempts'>): void {
      if (!all().some((m) => m.id === message.id)) save([...all(), { ...message, attempts: 0 }]);
    },
    /** The desk has it; false when the id was not pending (a second ack). */
    ack(id: string): boolean {
      const items = all();
      const rest = items.filter((m) => m.id !== id);
      save(rest);
      return rest.length !== items.length;
    },
    /** Counts a resend; returns the message, or undefined when it is no longer pending. */
    retried(id: string): OutgoingMessage | undefined {
      const items = all();
      const m = items.find((x) => x.id === id);
      if (!m) return undefined;
      m.attempts += 1;
      save(items);
      return m;
    },
    /** A fresh round of resends (a reconnect, or the customer's retry). */
    reset(id: string): void {
      const items = all();
      const m = items.find((x) => x.id === id);
      if (m && m.attempts !== 0) save(items.map((x) => (x.id === id ? { ...x, attempts: 0 } : x)));
    },
    /** Gives up on a message the desk refused for good (cancel/modify errors). */
    drop(id: string): void {
      save(all().filter((m) => m.id !== id));
    },
    clear: () => store.removeItem(key),
  };
}
export type Outbox = ReturnType<typeof createOutbox>;

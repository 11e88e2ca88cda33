/**
 * The end-to-end ack is the contract (docs/widget-protocol.md §4): a message the desk has not
 * acknowledged is sent again, with the same origin-id (XEP-0359), until its <ack/> arrives.
 * A message in flight when the component dies gets no bounce (it died in the component's
 * socket buffer), so a timer, not only a bounce or a reconnect, must notice it. The desk relays
 * an origin-id once, so a resend never reaches the operator twice.
 *
 * Timing: the first resend after ACK_TIMEOUT_MS, then doubling up to MAX_WAIT_MS; a `wait`
 * bounce resends sooner (outbox.ts retryDelayMs). After MAX_RESENDS the widget stops and shows
 * the message as not sent, with a retry button; a reconnect or a retry starts a fresh round.
 * Offline, nothing is sent (the reconnect resends everything).
 */
import { retryDelayMs, type OutgoingMessage, type Outbox } from './outbox.js';

export const ACK_TIMEOUT_MS = 5000;
export const MAX_WAIT_MS = 30_000;
export const MAX_RESENDS = 6;

/** 5 s, 10 s, 20 s, 30 s, 30 s, 30 s before resend n+1: about two minutes in all. */
export const ackTimeoutMs = (resends: number) => Math.min(ACK_TIMEOUT_MS * 2 ** Math.max(0, resends), MAX_WAIT_MS);

export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}
const realTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export interface ResenderDeps {
  outbox: Outbox;
  send(m: OutgoingMessage): void;
  online(): boolean;
  /** No ack after MAX_RESENDS resends: show it as not sent (it stays in the outbox). */
  gaveUp(id: string): void;
  /** A fresh round began for a message that had been given up (shown as sending again). */
  resumed?(id: string): void;
  timers?: Timers;
}

export function createResender(deps: ResenderDeps) {
  const { outbox } = deps;
  const timers = deps.timers ?? realTimers;
  const pending = new Map<string, unknown>();
  const given = new Set<string>();

  const cancel = (id: string) => {
    if (pending.has(id)) timers.clear(pending.get(id));
    pending.delete(id);
  };
  function arm(id: string, ms: number): void {
    cancel(id);
    pending.set(
      id,
      timers.set(() => fire(id), ms),
    );
  }
  function fire(id: string): void {
    pending.delete(id);
    if (!outbox.has(id) || !deps.online()) return; // acked meanwhile, or the reconnect will resend
    const m = outbox.pending().find((x) => x.id === id);
    if (!m) return;
    if (m.attempts >= MAX_RESENDS) {
      given.add(id);
      deps.gaveUp(id);
      return;
    }
    const again = outbox.retried(id);
    if (!again) return;
    deps.send(again);
    arm(id, ackTimeoutMs(again.attempts));
  }
  /** A fresh round: attempts from 0, sent now, timer armed. */
  function round(m: OutgoingMessage): void {
    outbox.reset(m.id);
    if (given.delete(m.id)) deps.resumed?.(m.id);
    deps.send(m);
    arm(m.id, ackTimeoutMs(0));
  }

  return {
    /** A new message went out: watch for its ack. */
    sent(id: string): void {
      arm(id, ackTimeoutMs(0));
    },
    /** Its ack (or a receipt or marker) came: stop watching. */
    acked(id: string): void {
      cancel(id);
      given.delete(id);
    },
    /** A `wait` bounce (the component restarting): resend sooner than the ack timeout would. */
    bounced(id: string): void {
      const m = outbox.pending().find((x) => x.id === id);
      if (!m || given.has(id)) return;
      arm(id, retryDelayMs(m.attempts));
    },
    /** The desk refused it for good, or the chat was cleared. */
    forget(id: string): void {
      cancel(id);
      given.delete(id);
    },
    /** A new session: everything still unacked goes out again, each in a fresh round. */
    resendAll(): void {
      for (const m of outbox.pending()) round(m);
    },
    /** The customer pressed retry on a message shown as not sent. */
    retry(id: string): void {
      const m = outbox.pending().find((x) => x.id === id);
      if (m && deps.online()) round(m);
    },
    isGivenUp: (id: string) => given.has(id),
    stop(): void {
      for (const id of [...pending.keys()]) cancel(id);
    },
  };
}
export type Resender = ReturnType<typeof createResender>;

/**
 * A customer that sends like the widget (web-client/src/resender.ts), over a real WebSocket
 * @xmpp/client: bound to a token (so the desk acks), every message with an origin-id (XEP-0359)
 * kept until its <ack/>, resent with the same id after an ack timeout (doubling, capped) and
 * sooner after a `wait` bounce. The fault suite drives several of these while it kills things.
 * The timings are the widget's scaled down, so a run takes seconds.
 */
import { xml } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import type { TestClient } from './clients.js';

export const NS_DESK = 'urn:madoguchi:desk:0';
const NS_SID = 'urn:xmpp:sid:0';

export interface SenderTimings {
  ackTimeoutMs: number;
  maxWaitMs: number;
  bounceRetryMs: number;
}
export const FAST_TIMINGS: SenderTimings = {
  // FAULT_ACK_TIMEOUT_MS=0 turns the timeout off: the widget before issue 14 (resend on bounce or reconnect only).
  ackTimeoutMs: process.env.FAULT_ACK_TIMEOUT_MS === '0' ? 3_600_000 : 1000,
  maxWaitMs: 4000,
  bounceRetryMs: 300,
};

export interface WidgetSender {
  client: TestClient;
  /** Sends a new message (body = its id): pending until acked. */
  send(id: string): void;
  /** Ids still without an ack. */
  unacked(): string[];
  sentIds(): string[];
  /** Sends, resends after timeouts and bounces. */
  resends(): number;
  /** The link is down or not yet bound: hold everything (the widget sends only once bound). */
  pause(): void;
  /** Bound again: everything unacked goes out now, in a fresh round (the widget's reconnect). */
  resume(): void;
  stop(): void;
}

export function createWidgetSender(client: TestClient, to: string, t: SenderTimings = FAST_TIMINGS): WidgetSender {
  const pending = new Map<string, { attempts: number; timer: ReturnType<typeof setTimeout> }>();
  const all: string[] = [];
  let resends = 0;
  let paused = false;
  const stanza = (id: string) => xml('message', { to, type: 'chat', id }, xml('body', {}, id), xml('origin-id', { xmlns: NS_SID, id }));
  const put = (id: string) => {
    if (!paused) void client.send(stanza(id)).catch(() => undefined); // offline: the timer retries
  };

  function arm(id: string, ms: number): void {
    const p = pending.get(id);
    if (!p) return;
    clearTimeout(p.timer);
    p.timer = setTimeout(() => {
      const q = pending.get(id);
      if (!q) return;
      q.attempts += 1;
      resends += 1;
      put(id);
      arm(id, Math.min(t.ackTimeoutMs * 2 ** q.attempts, t.maxWaitMs));
    }, ms);
  }

  // The widget reacts to stanzas as they come; here the inbox is drained every few ms.
  const drain = setInterval(() => {
    const inbox = client.inbox;
    for (let i = inbox.length - 1; i >= 0; i--) {
      const el = inbox[i] as Element;
      if (el.name !== 'message') continue;
      const ack = el.getChild('ack', NS_DESK)?.attrs.id;
      if (ack !== undefined) {
        const p = pending.get(String(ack));
        if (p) clearTimeout(p.timer);
        pending.delete(String(ack));
        inbox.splice(i, 1);
      } else if (el.attrs.type === 'error' && pending.has(String(el.attrs.id))) {
        const p = pending.get(String(el.attrs.id));
        if (p && el.getChild('error')?.attrs.type === 'wait')
          arm(String(el.attrs.id), Math.min(t.bounceRetryMs * 2 ** p.attempts, t.maxWaitMs));
        inbox.splice(i, 1);
      }
    }
  }, 5);

  return {
    client,
    send(id) {
      all.push(id);
      pending.set(id, { attempts: 0, timer: setTimeout(() => undefined, 0) });
      put(id);
      arm(id, t.ackTimeoutMs);
    },
    unacked: () => [...pending.keys()],
    sentIds: () => [...all],
    resends: () => resends,
    pause() {
      paused = true;
    },
    resume() {
      paused = false;
      for (const [id, p] of pending) {
        p.attempts = 0;
        put(id);
        arm(id, t.ackTimeoutMs);
      }
    },
    stop() {
      clearInterval(drain);
      for (const p of pending.values()) clearTimeout(p.timer);
    },
  };
}

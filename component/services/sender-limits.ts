/**
 * Who may send how much (issue 14 item 5): a token bucket per sender (src/token-bucket.ts) for
 * customers' messages to a desk and for operators' messages, checked when a stanza arrives,
 * before it costs the component or Redis anything. A message with a body costs one token; a
 * body-less one (a chat state, receipt, marker or real-time-text edit) `signalCost`, so typing
 * and sneak peek (the widget sends at most one XEP-0301 reset per 700 ms) fit under the limit.
 *
 * The buckets live in this process: with several instances behind the server's component
 * balancing each instance limits what it sees (a later issue: Redis, or sticky routing).
 * Keyed by bare JID, so a flooder that reconnects with a new anonymous JID starts afresh
 * (logins are the XMPP server's to limit).
 */
import type { Config } from '../../config/schema.js';
import { createRateLimiter, type TakeResult } from '../../src/token-bucket.js';
import type { Element } from '../xmpp/xml.js';

export type SenderKind = 'customer' | 'operator';

export function createSenderLimits(limits: Config['limits'], now: () => number = Date.now) {
  const buckets = { customer: createRateLimiter(limits.customerRate, now), operator: createRateLimiter(limits.operatorRate, now) };
  return {
    /** Spends the message's cost from the sender's bucket; `allowed: false` means refuse it. */
    admit(kind: SenderKind, senderBare: string, message: Element): TakeResult {
      const cost = message.getChild('body') ? 1 : limits.signalCost;
      return buckets[kind].take(senderBare, cost);
    },
    /** Senders remembered (bounded: idle ones are forgotten). */
    size: () => buckets.customer.size() + buckets.operator.size(),
  };
}
export type SenderLimits = ReturnType<typeof createSenderLimits>;

/**
 * Who may send how much (issue 14 item 5): a token bucket per sender (src/token-bucket.ts) for
 * customers' messages to a desk and for operators' messages, checked when a stanza arrives,
 * before it costs the component or Redis anything. A message with a body costs one token; a
 * body-less one (a chat state, receipt, marker or real-time-text edit) `signalCost`, so typing
 * and sneak peek (the widget sends at most one XEP-0301 reset per 700 ms) fit under the limit.
 *
 * The refusals themselves are limited too: a sender gets at most as many errors as it may send
 * messages (a second bucket of the same size); past that the excess is dropped, with one log
 * line per episode. An error per refused message would send the flood back through the
 * component's one stream to the server, where everyone's relays queue behind it (BENCHMARKS F20).
 *
 * The buckets live in this process: with several instances behind the server's component
 * balancing each instance limits what it sees (a later issue: Redis, or sticky routing).
 * Keyed by bare JID, so a flooder that reconnects with a new anonymous JID starts afresh
 * (logins are the XMPP server's to limit).
 */
import type { Config } from '../../config/schema.js';
import { createRateLimiter } from '../../src/token-bucket.js';
import type { Element } from '../protocol/xml.js';

export type SenderKind = 'customer' | 'operator';

export interface Admission {
  allowed: boolean;
  /** Refused: the first refusal of an episode (tell the operator now, once). */
  episodeStart: boolean;
  /** Refused: answer it with an error (false: drop it). */
  answer: boolean;
  /** Refused and dropped: the first drop of an episode (log it). */
  dropStart: boolean;
}

const ALLOWED: Admission = { allowed: true, episodeStart: false, answer: false, dropStart: false };

export function createSenderLimits(limits: Config['limits'], now: () => number = Date.now) {
  const messages = { customer: createRateLimiter(limits.customerRate, now), operator: createRateLimiter(limits.operatorRate, now) };
  const errors = { customer: createRateLimiter(limits.customerRate, now), operator: createRateLimiter(limits.operatorRate, now) };
  return {
    /** Spends the message's cost from the sender's bucket, and says what to do when it is refused. */
    admit(kind: SenderKind, senderBare: string, message: Element): Admission {
      const cost = message.getChild('body') ? 1 : limits.signalCost;
      const taken = messages[kind].take(senderBare, cost);
      if (taken.allowed) return ALLOWED;
      const error = errors[kind].take(senderBare);
      return { allowed: false, episodeStart: taken.episodeStart, answer: error.allowed, dropStart: error.episodeStart };
    },
    /** Senders remembered (bounded: idle ones are forgotten). */
    size: () => messages.customer.size() + messages.operator.size() + errors.customer.size() + errors.operator.size(),
  };
}
export type SenderLimits = ReturnType<typeof createSenderLimits>;

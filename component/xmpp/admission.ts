/**
 * What the router does before a stanza costs anything (issue 14 item 5; BENCHMARKS.md F20):
 * the senders' rate limits (services/sender-limits.ts) on customers' messages to a desk and on
 * operators' messages, and the answer when a sender's backlog is full (services/fair-scheduler.ts).
 * Over the limit: modify/policy-violation with a plain-language text, nothing relayed (as many
 * errors as the sender may send messages; the rest of a flood is dropped), and a customer's
 * operator told once per episode, in the sender's lane, so after what was relayed before it.
 */
import type { Logger } from 'pino';
import type { Config } from '../../config/schema.js';
import { texts } from '../../src/texts.js';
import type { Directory } from '../services/context.js';
import type { Enqueued, FairScheduler } from '../lib/fair-scheduler.js';
import { createSenderLimits } from '../services/sender-limits.js';
import type { TooFastNotice } from '../services/too-fast-notice.js';
import { errorReply } from '../protocol/stanzas.js';
import type { Element } from '../protocol/xml.js';

export interface AdmissionDeps {
  directory: Directory;
  limits: Config['limits'];
  lanes: FairScheduler;
  tooFast: TooFastNotice;
  send: (stanza: Element) => void;
  log: Logger;
}

export function createAdmission({ directory, limits, lanes, tooFast, send, log }: AdmissionDeps) {
  const senderLimits = createSenderLimits(limits);
  return {
    /** False: refused (answered or dropped here). `desk`: the desk the stanza is addressed to, if any. */
    admitted(stanza: Element, desk: string | undefined, senderBare: string): boolean {
      const type = stanza.attrs.type;
      if (stanza.name !== 'message' || type === 'error' || type === 'groupchat' || type === 'headline') return true;
      const isOperator = directory.operator(senderBare) !== undefined;
      if (!isOperator && desk === undefined) return true;
      const { allowed, episodeStart, answer, dropStart } = senderLimits.admit(isOperator ? 'operator' : 'customer', senderBare, stanza);
      if (allowed) return true;
      if (answer) send(errorReply(stanza, { type: 'modify', condition: 'policy-violation', text: texts.tooFast() }));
      else if (dropStart) log.warn({ from: stanza.attrs.from }, 'sender still over its rate limit: dropping the excess without an answer');
      if (episodeStart) {
        log.info({ from: stanza.attrs.from, operator: isOperator }, 'sender over its rate limit: refusing the excess');
        if (!isOperator && desk !== undefined) {
          const from = String(stanza.attrs.from);
          lanes.pipelined(senderBare, () =>
            tooFast(desk, from).catch((err: Error) => {
              log.warn({ err: err.message }, 'rate-limit notice not sent');
              return async () => undefined;
            }),
          );
        }
      }
      return false;
    },

    /** A sender's backlog is full: RFC 6120 §8.3.3.18 for what may be answered, a log line per episode. */
    refuseIfFull(stanza: Element, enqueued: Enqueued): void {
      if (enqueued === 'queued') return;
      if (enqueued === 'overflow')
        log.warn({ from: stanza.attrs.from, name: stanza.name }, 'sender backlog full: refusing its stanzas until it drains');
      const type = stanza.attrs.type;
      if (stanza.name === 'presence' || type === 'error' || type === 'result') return; // never answered
      send(errorReply(stanza, { type: 'wait', condition: 'resource-constraint', text: texts.busy() }));
    },
  };
}

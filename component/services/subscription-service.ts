/**
 * Presence subscriptions to a desk (RFC 6121 §3). Configured operators subscribe to sign
 * in: the desk approves and subscribes back, so it receives their presence. Anyone else
 * is refused with `unsubscribed`; customers follow the desk by directed presence instead.
 */
import { bareJid } from '../../src/jid.js';
import { presence } from '../protocol/stanzas.js';
import type { ServiceContext } from './context.js';
import type { DeskPresence } from './desk-presence.js';

export type SubscriptionType = 'subscribe' | 'subscribed' | 'unsubscribe' | 'unsubscribed' | 'probe';

export function createSubscriptionService(ctx: ServiceContext<'audiences'>, deskPresence: DeskPresence) {
  const { store, directory, send, log } = ctx;

  return {
    async on(desk: string, from: string, type: SubscriptionType): Promise<void> {
      const bare = bareJid(from);
      const deskJid = directory.deskJid(desk);
      const isOperator = directory.operator(bare)?.desks.includes(desk) ?? false;
      switch (type) {
        case 'subscribe':
          if (!isOperator) {
            log.info({ desk, from: bare }, 'subscription refused: not an operator of this desk');
            return send(presence(deskJid, bare, { type: 'unsubscribed' }));
          }
          await store.audiences.addSubscriber(desk, bare);
          send(presence(deskJid, bare, { type: 'subscribed' }));
          send(presence(deskJid, bare, { type: 'subscribe' }));
          await deskPresence.sendTo(desk, bare);
          log.info({ desk, operator: bare }, 'operator subscribed to desk');
          return;
        case 'unsubscribe':
          await store.audiences.removeSubscriber(desk, bare);
          send(presence(deskJid, bare, { type: 'unavailable' }));
          return;
        case 'probe':
          return deskPresence.sendTo(desk, from);
        default: // subscribed / unsubscribed: the operator answered our own request
          log.debug({ desk, from: bare, type }, 'subscription answer');
      }
    },

    /**
     * After a (re)connection: learn every operator's current presence (RFC 6121 §4.3). Returns the
     * probed operators who are subscribed to a desk: their servers should answer (probe-answers.ts).
     */
    async probeOperators(): Promise<Set<string>> {
      const subscribed = new Set<string>();
      for (const desk of directory.desks()) {
        const ops = directory.operatorsOfDesk(desk.id);
        for (const jid of await store.audiences.subscribers(desk.id)) if (ops.includes(jid)) subscribed.add(jid);
      }
      // Sent last, in one turn: the caller records the round before any answer can arrive.
      for (const desk of directory.desks()) {
        for (const op of directory.operatorsOfDesk(desk.id)) send(presence(directory.deskJid(desk.id), op, { type: 'probe' }));
      }
      return subscribed;
    },
  };
}
export type SubscriptionService = ReturnType<typeof createSubscriptionService>;

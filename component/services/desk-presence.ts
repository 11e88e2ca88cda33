/**
 * The desk's own presence (DESIGN §2): sent to subscribers (operators) and to customers
 * who sent it directed presence, whenever it changes; and as the answer to probes.
 * References: RFC 6121 §4.3 (probes), §4.6 (directed presence).
 */
import { computeDeskState, sameDeskPresence, type DeskState } from '../../src/desk-state.js';
import { bareJid } from '../../src/jid.js';
import { nick, presence } from '../protocol/stanzas.js';
import { deskQueue } from '../protocol/desk-status.js';
import type { ServiceContext } from './context.js';
import { readDeskSnapshot } from './desk-snapshot.js';
import { createCoalescer } from '../lib/scheduling.js';
import type { LeaderGate } from './leadership.js';

/** At most one desk presence per desk per second (RFC 6121 §4: presence is a broadcast; keep it cheap). */
const PUBLISH_GAP_MS = 1000;

export function createDeskPresence(
  ctx: ServiceContext<'audiences' | 'customers' | 'queue' | 'hours'>,
  /** Hears every state this publishes from (desk-status-feed.ts: the loader's status stream). */
  feed?: { offer(state: DeskState): void },
  /** Several instances: only the leader sends the presence; the others' changes reach it as signals. */
  gate?: LeaderGate,
) {
  const { store, directory, send } = ctx;
  const lastSent = new Map<string, DeskState>();
  const coalescer = createCoalescer(ctx.log);

  const stanzaFor = (desk: string, state: DeskState, to: string, named = false) => {
    const p = presence(directory.deskJid(desk), to, { show: state.show, status: state.status });
    p.append(deskQueue(state));
    // XEP-0172 §4.5: a changed nickname rides along in the next presence (a desk renamed, issue 16).
    if (named) p.append(nick(directory.desk(desk)?.name ?? desk));
    return p;
  };
  /** A blacklisted customer always sees the desk closed (CHATS' blacklist). */
  const closed = (desk: string): DeskState => ({ ...computeDeskState(desk, [], 0, 0), status: 'Closed' });

  async function publish(desk: string, force = false, named = false): Promise<void> {
    const { state } = await readDeskSnapshot(ctx, desk);
    feed?.offer(state);
    if (gate && !gate.leads()) return;
    if (!force && sameDeskPresence(lastSent.get(desk), state)) return;
    lastSent.set(desk, state);
    const [subscribers, watchers] = await Promise.all([store.audiences.subscribers(desk), store.audiences.watchers(desk)]);
    const banned = await store.customers.bannedAmong(watchers.map(bareJid));
    for (const to of new Set([...subscribers, ...watchers])) {
      send(stanzaFor(desk, banned.has(bareJid(to)) ? closed(desk) : state, to, named));
    }
    ctx.log.info({ desk, mode: state.mode, waiting: state.waiting, online: state.operatorsOnline }, 'desk presence');
  }

  return {
    /**
     * Coalesced and throttled: a burst of queue changes produces one presence, and a desk's
     * subscribers hear at most one per PUBLISH_GAP_MS (the status names the waiting count, so
     * every join would otherwise reach every operator).
     */
    refresh(desk: string, heard = false): void {
      if (!gate || gate.leads()) coalescer.schedule(desk, 20, () => publish(desk), PUBLISH_GAP_MS);
      // Noticed here (not heard from another instance): the leader and the others' status streams hear of it.
      if (gate && !heard) coalescer.schedule(`signal:${desk}`, 20, async () => gate.announce('presence', desk));
      // The status stream is not throttled with the presence: the button changes within a second.
      if (feed) coalescer.schedule(`feed:${desk}`, 20, async () => feed.offer((await readDeskSnapshot(ctx, desk)).state));
    },
    /** `renamed`: desks whose new name goes along as the nick (XEP-0172). */
    publishAll: async (force = true, renamed: readonly string[] = []) => {
      await Promise.all(directory.desks().map((d) => publish(d.id, force, renamed.includes(d.id))));
    },
    async sendTo(desk: string, to: string): Promise<void> {
      if ((await store.customers.bannedAmong([bareJid(to)])).size > 0) return send(stanzaFor(desk, closed(desk), to));
      const { state } = await readDeskSnapshot(ctx, desk);
      send(stanzaFor(desk, state, to));
    },
    stop: () => coalescer.cancelAll(),
  };
}
export type DeskPresence = ReturnType<typeof createDeskPresence>;

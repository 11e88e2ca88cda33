/**
 * The desk status feed in-process (issue 20): the status stream hears the very state the desk's
 * presence is computed from, at once (not held back by the presence's once-a-second throttle), as
 * /api/status shows it; and, while watched, it re-reads the desk, so a change written by another
 * instance (straight into the shared Redis here) reaches this instance's watchers too.
 */
import { describe, expect, it } from 'vitest';
import type { DeskStatusView } from '../../component/services/desk-status-feed.js';
import { ALICE, SUPPORT, presence, useDesk } from './desk-harness.js';

const desks = useDesk();
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('desk status feed', () => {
  it('follows the operator presence at once, with the /api/status object', async () => {
    const d = desks.open();
    const heard: DeskStatusView[] = [];
    const stop = d.desk.statusFeed.watch('support', (v) => heard.push(v));
    try {
      expect(await d.desk.statusFeed.current('support')).toMatchObject({ desk: 'support', mode: 'closed', name: 'Support', jid: SUPPORT });
      d.receive(presence(ALICE, SUPPORT));
      await expect.poll(() => heard.at(-1)?.mode, { timeout: 900 }).toBe('open');
      const [status] = await d.desk.deskStates();
      expect(heard.at(-1)).toEqual(status);
      // Right after: away. The desk's presence waits out its 1 s gap; the feed does not.
      const t0 = Date.now();
      d.receive(presence(ALICE, SUPPORT, {}, 'away'));
      await expect.poll(() => heard.at(-1)?.mode, { timeout: 900, interval: 10 }).toBe('busy');
      expect(Date.now() - t0).toBeLessThan(500);
      expect(heard.map((v) => v.mode)).toEqual(['open', 'busy']); // once per change, nothing repeated
    } finally {
      stop();
    }
  });

  it('hears a change another instance wrote to Redis by re-reading while watched', async () => {
    const d = desks.open();
    const heard: string[] = [];
    const stop = d.desk.statusFeed.watch('support', (v) => heard.push(v.mode));
    try {
      // What the other instance's operator service does with Alice's presence (no presence service here).
      await d.store.operators.operatorPresence('alice@localhost', 'desk', 'chat', Date.now(), 60_000, 2, ['support']);
      await expect.poll(() => heard, { timeout: 2500 }).toEqual(['open']);
      stop();
      expect(d.desk.statusFeed.watching()).toBe(0);
      await d.store.operators.operatorPresence('alice@localhost', 'desk', '', Date.now(), 60_000, 2, ['support']);
      await pause(1500);
      expect(heard).toEqual(['open']); // unwatched: no more reads
    } finally {
      stop();
    }
  });
});

/**
 * Issue 16: the admin actions that are a chat line at a desk JID (`!hours`, `!hours set|clear`,
 * `!canned-set`, `!canned-del`, `!bans`), through the real AdminService over a real Redis
 * (test/service/desk-harness.ts), in-process: what each role reads
 * back from the desk, and what the service holds afterwards.
 */
import { describe, expect, it } from 'vitest';
import type { AdminService } from '../../component/services/admin/admin-types.js';
import { bodyOf, DOMAIN, isTo, message, useDesk, type DeskUnderTest } from './desk-harness.js';

const SUPPORT = `support@${DOMAIN}`;
const SALES = `sales@${DOMAIN}`;
const ALICE = 'alice@localhost/desk';
const BOB = 'bob@localhost/desk';
const CAROL = 'carol@localhost/desk';
const OPERATORS = [
  { jid: 'alice@localhost', name: 'Alice', desks: ['support'], role: 'admin' as const },
  { jid: 'bob@localhost', name: 'Bob', desks: ['support'], role: 'supervisor' as const },
  { jid: 'carol@localhost', name: 'Carol', desks: ['sales'], role: 'operator' as const },
];

describe('admin chat commands at a desk JID (in-process)', () => {
  const desks = useDesk();
  let d: DeskUnderTest;
  let admin: AdminService;

  async function say(from: string, to: string, body: string): Promise<string> {
    d.receive(message(from, to, body));
    return bodyOf(await d.next(isTo(from), `reply to ${body}`));
  }

  it('!hours shows, and admins set or clear, a desk’s hours; a bad line is named and nothing changes', async () => {
    d = desks.open({
      desks: [
        { id: 'support', name: 'Support', timeZone: 'Asia/Tokyo' },
        { id: 'sales', name: 'Sales' },
      ],
      operators: OPERATORS.map((o) => ({ ...o, maxChats: 3 })),
    });
    admin = d.desk.admin;
    expect(await say(ALICE, SUPPORT, '!hours')).toBe('Support has no business hours: open whenever an operator is on.');
    expect(await say(ALICE, SUPPORT, '!hours set mon 09:00-18:00; 2026-12-24 closed')).toBe(
      "Support's hours are now:\nmon 09:00-18:00\n2026-12-24 closed",
    );
    expect(admin.snapshot().desks.find((x) => x.id === 'support')?.hours).toEqual({
      timeZone: 'Asia/Tokyo',
      weekly: { mon: [{ start: '09:00', end: '18:00' }] },
      exceptions: [{ date: '2026-12-24', periods: [] }],
      atClosing: 'serve',
    });
    const rev = admin.snapshot().entityRev('desk', 'support');
    expect(await say(ALICE, SUPPORT, '!hours set\nmon 09:00-18:00\ntue 9-5')).toMatch(
      /^⚠ Hours not changed: line 2 \("tue 9-5"\): "9-5" is not a period/,
    );
    expect(await say(BOB, SUPPORT, '!hours set mon 10:00-11:00')).toBe('⚠ Only admins may change settings');
    expect(admin.snapshot().entityRev('desk', 'support')).toBe(rev);
    expect(await say(BOB, SUPPORT, '!hours')).toBe("Support's hours (Asia/Tokyo):\nmon 09:00-18:00\n2026-12-24 closed");
    expect(await say(CAROL, SALES, '!hours')).toBe('Sales has no business hours: open whenever an operator is on.');
    expect(await say(ALICE, SUPPORT, '!hours clear')).toBe('Support has no business hours now: open whenever an operator is on.');
    expect(admin.snapshot().desks.find((x) => x.id === 'support')).not.toHaveProperty('hours');
  });

  it('!canned-set and !canned-del change the desk’s own replies (admins); !bans lists the blacklist (supervisors and admins)', async () => {
    d = desks.open({ operators: OPERATORS.map((o) => ({ ...o, maxChats: 3 })) });
    admin = d.desk.admin;
    await d.store.customers.ban('troll@example.org', {
      by: 'bob@localhost',
      reason: 'abuse',
      at: Date.parse('2026-12-02T08:30:00Z'),
      ticket: 12,
      desk: 'support',
    });
    const actor = { jid: 'alice@localhost' };
    expect(await say(ALICE, SALES, '!canned-set thanks Thank you, {customer}!')).toBe('Added the canned reply "thanks" of Sales.');
    expect(await say(ALICE, SALES, '!canned-set thanks Thanks again')).toBe('Changed the canned reply "thanks" of Sales.');
    expect((await admin.get(actor, 'canned', 'sales'))?.value).toEqual({ thanks: 'Thanks again' });
    expect(await say(ALICE, SALES, '!canned-set two words only-name')).toBe('Added the canned reply "two" of Sales.');
    expect(await say(ALICE, SALES, '!canned-set lonely')).toBe('⚠ Usage: !canned-set <name> <text>');
    expect(await say(BOB, SUPPORT, '!canned-set x y')).toBe('⚠ !canned-set needs the admin role');
    expect(await say(ALICE, SALES, '!canned-del thanks')).toBe('Deleted the canned reply "thanks" of Sales.');
    expect(await say(ALICE, SALES, '!canned-del thanks')).toBe('⚠ Sales has no canned reply "thanks" of its own');
    expect((await admin.get(actor, 'canned', 'sales'))?.value).toEqual({ two: 'words only-name' });
    expect((await admin.audit(actor, { limit: 4 })).reverse().map((e) => `${e.kind}/${e.id} ${e.action}`)).toEqual([
      'canned/sales create',
      'canned/sales update',
      'canned/sales update',
      'canned/sales update',
    ]);

    const list = 'Blacklisted (1):\n#12 — abuse — by bob@localhost, 2026-12-02 08:30 UTC';
    expect(await say(BOB, SUPPORT, '!bans')).toBe(list);
    expect(await say(ALICE, SALES, '!bans')).toBe(list);
    expect(await say(CAROL, SALES, '!bans')).toBe('⚠ !bans needs the supervisor role');
  });
});

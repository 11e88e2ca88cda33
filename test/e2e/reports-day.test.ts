/**
 * A scripted day on the real stack (issue 18, Tests): widget customers over Prosody's WebSocket,
 * operators over c2s, the component's portal. Impressions (the loader's beacon body), a chat served,
 * answered, transferred, ended and rated with a comment; one abandoned in line; one unanswered,
 * reassigned by routing.reassignUnansweredSeconds and ended unanswered (missed); an offline message
 * and its reply. Then /api/reports (JSON), /api/reports.csv and /api/reports/chats.csv over HTTP:
 * counts exact; timings between the bounds the test itself observed (the transition happened after
 * the request was sent and before its answer arrived), then `npm run reports -- rebuild` and the same.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { xml } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import { ADMIN_TOKEN, startStack, SUPPORT, type Stack } from '../support/stack.js';
import { isIntro, isIntroOrHandover, isMessageFrom, type TestClient } from '../support/clients.js';
import { joinForm as form } from '../support/join-form.js';

const run = promisify(execFile);
const bodyOf = (el: Element) => el.getChildText('body') ?? '';
const NS = 'urn:madoguchi:desk:0';
const ALICE = 'alice@localhost';
const BOB = 'bob@localhost';
const REASSIGN_S = 2;

/** One CSV line to cells (RFC 4180: quoted cells may hold commas and doubled quotes). */
function cells(line: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)) {
    out.push(m[1]?.startsWith('"') ? m[1].slice(1, -1).replace(/""/g, '"') : (m[1] ?? ''));
    if (m[2] === '') break;
  }
  return out;
}
const table = (csv: string) => {
  const [head, ...rows] = csv.split('\r\n').filter((l) => l !== '');
  const names = cells(head ?? '');
  return rows.map((r) => Object.fromEntries(cells(r).map((v, i) => [names[i], v])));
};
/** Milliseconds between two moments the test saw: [earliest, latest] the component can have measured. */
const within = (v: number, [lo, hi]: [number, number], what: string) => {
  expect(v, what).toBeGreaterThanOrEqual(lo);
  expect(v, what).toBeLessThanOrEqual(hi);
};

describe('a scripted day on the real stack', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      routing: { reassignUnansweredSeconds: REASSIGN_S },
      operators: [
        { user: 'alice', name: 'Alice', desks: ['support'], maxChats: 1, role: 'admin' },
        { user: 'bob', name: 'Bob', desks: ['support'], maxChats: 1, role: 'operator' },
      ],
    });
  });
  afterAll(async () => stack?.stop());

  const get = (path: string) => fetch(`${stack.httpUrl}${path}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  let tokens = 0;
  async function widget(): Promise<TestClient> {
    const c = await stack.customer();
    const s = await c.iq(SUPPORT, 'set', xml('session', { xmlns: NS, token: `day${++tokens}-0123456789abcdefghij` }));
    expect(s.attrs.type).toBe('result');
    return c;
  }
  async function timed<T>(f: () => Promise<T>): Promise<{ sent: number; done: number; value: T }> {
    const sent = Date.now();
    const value = await f();
    return { sent, done: Date.now(), value };
  }
  const iqOk = async (c: TestClient, child: Element) => {
    const r = await c.iq(SUPPORT, 'set', child);
    expect(r.attrs.type, r.toString()).toBe('result');
    return r;
  };

  it('gives exact figures as JSON and CSV, and the rebuild from the log gives the same', async () => {
    const dayFrom = new Date().toISOString().slice(0, 10); // the stack's desks use UTC
    // The loader's beacon (docs/reports.md): the button shown 3× open and 1× busy, the panel opened twice.
    const beacon = await fetch(`${stack.httpUrl}/api/widget/impressions`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain;charset=UTF-8' },
      body: JSON.stringify({ desk: 'support', shown: { open: 3, busy: 1, closed: 0 }, opened: 2 }),
    });
    expect(beacon.status).toBe(204);

    const alice = await stack.operator('alice');
    await alice.subscribeTo(SUPPORT);
    // W1: served by Alice, answered, transferred to Bob, ended by Bob, rated 4 with a comment.
    const w1 = await widget();
    const join1 = await timed(() => iqOk(w1, xml('join', { xmlns: NS }, form({ name: 'Yuki', question: 'My printer' }))));
    const intro1 = await alice.next(isIntro, 'W1 to Alice');
    const served1 = Date.now();
    const masked1 = String(intro1.attrs.from);
    await alice.say(masked1, 'Hello, how can I help?');
    await w1.next((el) => el.name === 'message' && /how can I help/.test(bodyOf(el)), 'the answer');
    // W2 waits (Alice is full, Bob offline) and gives up.
    const w2 = await widget();
    const join2 = await timed(() => iqOk(w2, xml('join', { xmlns: NS }, form({ name: 'Ken', question: 'hello?' }))));
    await new Promise((r) => setTimeout(r, 300));
    const end2 = await timed(() => iqOk(w2, xml('end', { xmlns: NS })));

    const bob = await stack.operator('bob');
    await bob.subscribeTo(SUPPORT);
    // Bob takes customers once the desk has his presence: only then can Alice transfer to him.
    const online = async () =>
      ((await (await fetch(`${stack.httpUrl}/api/status`)).json()) as { desks: { desk: string; operatorsOnline: number }[] }).desks.find(
        (d) => d.desk === 'support',
      )?.operatorsOnline;
    for (let i = 0; i < 50 && (await online()) !== 2; i++) await new Promise((r) => setTimeout(r, 100));
    await alice.say(masked1, '!transfer Bob');
    const handover = await bob.next(isIntroOrHandover, 'W1 to Bob');
    const bobMasked1 = String(handover.attrs.from);
    const end1 = await timed(async () => {
      await bob.say(bobMasked1, '!end');
      return w1.next((el) => el.name === 'message' && /ended/i.test(bodyOf(el)), 'the end notice');
    });
    await iqOk(w1, xml('rate', { xmlns: NS, ticket: '1', score: '4' }, 'Quick, and "kind"'));

    // W3: assigned, never answered: reassigned to the other operator after 2 s, who ends it (missed).
    const w3 = await widget();
    await iqOk(w3, xml('join', { xmlns: NS }, form({ name: 'Mei', question: 'Anyone?' })));
    const isIntro3 = (el: Element) => isIntro(el) && /ticket #3\b/.test(bodyOf(el));
    let silent: TestClient | undefined;
    for (let i = 0; i < 100 && !silent; i++) {
      silent = [alice, bob].find((o) => o.inbox.some(isIntro3));
      if (!silent) await new Promise((r) => setTimeout(r, 50));
    }
    if (!silent) throw new Error('W3 was not assigned');
    const first = { silent, other: silent === alice ? bob : alice };
    await first.silent.next(isIntro3, 'W3 to the first operator');
    const taken = await first.other.next(isIntro3, 'W3 reassigned to the other operator', REASSIGN_S * 1000 + 8000);
    await first.other.say(String(taken.attrs.from), '!end');
    await first.silent.next((el) => /^Chat #3 went back to the queue/.test(bodyOf(el)), 'the reassignment notice');
    await w3.next((el) => el.name === 'message' && /ended/i.test(bodyOf(el)), 'the end notice to W3');

    // W4 leaves a message; Alice answers it.
    const w4 = await widget();
    const left = await timed(() => iqOk(w4, xml('leave-message', { xmlns: NS }, form({ name: 'Aya', question: 'Call me back' }))));
    const offline = Number(left.value.getChild('offline', NS)?.attrs.ticket);
    expect(offline).toBe(4);
    const reply = await timed(async () => {
      await alice.say(SUPPORT, `!reply ${offline} We will call you at 5`);
      return alice.next(isMessageFrom(SUPPORT, /Reply to #4 sent/), 'the reply sent');
    });

    const dayTo = new Date().toISOString().slice(0, 10);
    const q = `from=${dayFrom}&to=${dayTo}&desk=support`;
    const read = async () => ((await (await get(`/api/reports?${q}`)).json()) as { totals: Record<string, unknown> }).totals;
    let totals = await read();
    for (let i = 0; i < 30 && (totals.offlineReplied !== 1 || totals.ended !== 2); i++) {
      await new Promise((r) => setTimeout(r, 100)); // the reply's fact follows its send
      totals = await read();
    }
    const COUNTS = {
      requested: 4,
      served: 2,
      abandoned: 1,
      offline: 1,
      stillWaiting: 0,
      missed: 1,
      transfers: 1,
      ended: 2,
      ratings: 1,
      ratingAvg: 4,
      ratingDistribution: { '1': 0, '2': 0, '3': 0, '4': 1, '5': 0 },
      offlineReplied: 1,
      shown: 4,
      shownOpen: 3,
      shownBusy: 1,
      shownClosed: 0,
      opened: 2,
      openedRate: 0.5,
      requestedPerShown: 1,
      withinSla: 0.5, // of the 2 served, W1 was first answered within the 60 s target, W3 never
    };
    expect(totals).toMatchObject(COUNTS);
    within(totals.abandonWaitP50Ms as number, [end2.sent - join2.done, end2.done - join2.sent], 'abandonWaitP50Ms');
    within(totals.offlineReplyP50Ms as number, [reply.sent - left.done, reply.done - left.sent], 'offlineReplyP50Ms');
    within(totals.waitMaxMs as number, [0, served1 - join1.sent + 5000], 'waitMaxMs');
    expect(totals.firstResponseP50Ms).toBeGreaterThanOrEqual(0);

    type OperatorTotals = { served: number; ended: number; missed: number; transfers: number; ratings: number; offlineReplied: number };
    const per = async (who: string) =>
      ((await (await get(`/api/reports?from=${dayFrom}&to=${dayTo}&operator=${who}`)).json()) as { totals: OperatorTotals }).totals;
    // Alice served W1 and transferred it; Bob ended it and has its rating. W3 counts as served by the
    // operator it went to first, missed by them (reassigned unanswered) and by the one who ended it.
    const silentIsAlice = first.silent === alice;
    const n = (b: boolean) => (b ? 1 : 0);
    expect(await per(ALICE)).toMatchObject({
      served: 1 + n(silentIsAlice),
      ended: n(!silentIsAlice),
      missed: 1,
      transfers: 1,
      ratings: 0,
      offlineReplied: 1,
    });
    expect(await per(BOB)).toMatchObject({
      served: n(!silentIsAlice),
      ended: 1 + n(silentIsAlice),
      missed: 1,
      transfers: 0,
      ratings: 1,
      offlineReplied: 0,
    });

    // The same figures as CSV, one row per period and one per chat.
    const days = table(await (await get(`/api/reports.csv?${q}`)).text());
    const sum = (k: string) => days.reduce((n, r) => n + Number(r[k] || 0), 0);
    for (const k of [
      'requested',
      'served',
      'abandoned',
      'offline',
      'stillWaiting',
      'missed',
      'transfers',
      'ended',
      'ratings',
      'offlineReplied',
      'shown',
      'opened',
    ])
      expect(sum(k), k).toBe(totals[k]);
    const chats = table(await (await get(`/api/reports/chats.csv?${q}`)).text());
    expect(chats.map((c) => [c.ticket, c.outcome, c.missed, c.transfers, c.rating, c.comment])).toEqual([
      ['1', 'served', '0', '1', '4', 'Quick, and "kind"'],
      ['2', 'abandoned', '', '0', '', ''],
      ['3', 'served', '1', '0', '', ''],
      ['4', 'offline', '', '0', '', ''],
    ]);
    expect(chats.map((c) => c.operator)).toEqual([BOB, '', first.other === alice ? ALICE : BOB, ALICE]);
    within(Number(chats[1]?.waitMs), [end2.sent - join2.done, end2.done - join2.sent], "W2's wait");
    within(Number(chats[0]?.handleMs), [end1.sent - served1 - 1000, end1.done - join1.sent], "W1's handle time");

    // The rebuild from the evidence log: the same counts; timings from the records' times (a few ms after the transitions').
    const before = await read();
    const { stdout } = await run(process.execPath, [join('node_modules', 'tsx', 'dist', 'cli.mjs'), 'scripts/reports.ts', 'rebuild'], {
      env: { ...process.env, MADOGUCHI_CONFIG: join(stack.dir, 'config.yaml') },
    });
    expect(stdout).toMatch(/^rebuilt the report rollups from \d+ evidence records \(\d+ facts\)/);
    const after = await read();
    for (const [k, v] of Object.entries(before)) {
      if (k === 'onlineMs' || k === 'availableMs' || k === 'servedPerOnlineHour') continue; // operators still online: grows while read
      if (typeof v === 'number' && /Ms$/.test(k)) expect(Math.abs((after[k] as number) - v), k).toBeLessThan(250);
      else expect(after[k], k).toEqual(v);
    }
    expect(after).toMatchObject(COUNTS);
    const rebuiltChats = table(await (await get(`/api/reports/chats.csv?${q}`)).text());
    expect(rebuiltChats.map((c) => [c.ticket, c.outcome, c.operator, c.missed, c.transfers, c.rating, c.comment])).toEqual(
      chats.map((c) => [c.ticket, c.outcome, c.operator, c.missed, c.transfers, c.rating, c.comment]),
    );
    for (const c of [w1, w2, w3, w4, alice, bob]) await c.stop();
  });
});

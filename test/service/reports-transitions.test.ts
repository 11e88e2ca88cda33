/**
 * Report rollups kept by the transitions themselves (issue 18, "How it is built"; docs/reports.md):
 * a chat's facts (requested, offline, served, abandoned, ended) are counted in the same step as the
 * state changes, so a count cannot be lost between the two, and they stay exact across a restart
 * and with two instances over one Redis. In-process desks over a real Redis (desk-harness.ts).
 */
import { describe, expect, it } from 'vitest';
import { xml, type Element } from '../../component/protocol/xml.js';
import { freshPrefix } from '../support/redis.js';
import { joinForm as form } from '../support/join-form.js';
import { SUPPORT, isTo, message, presence, useDesk, type DeskUnderTest } from './desk-harness.js';

const NS = 'urn:madoguchi:desk:0';
const desks = useDesk();
const ALICE = 'alice@localhost';
const BOB = 'bob@localhost';
const T0 = Date.UTC(2026, 11, 7, 9, 0);
const S = 1000;
const CONFIG = {
  desks: [{ id: 'support', name: 'Support' }],
  operators: [{ jid: ALICE, name: 'Alice', desks: ['support'], maxChats: 1 }],
};

let iqs = 0;
async function iq(d: DeskUnderTest, from: string, child: Element): Promise<Element> {
  const id = `rt${++iqs}`;
  d.receive(xml('iq', { from, to: SUPPORT, type: 'set', id }, child));
  const reply = await d.next((el) => el.name === 'iq' && el.attrs.id === id, `the answer to ${child.name}`);
  expect(reply.attrs.type, String(reply)).toBe('result');
  return reply;
}
async function widgetCustomer(d: DeskUnderTest, n: number) {
  const jid = `w${n}@guest.localhost/web`;
  await iq(d, jid, xml('session', { xmlns: NS, token: `token${n}-0123456789abcdefghij` }));
  return jid;
}
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A small day through `a` (and `b` where given, the other instance): W1 served after 20 s, answered
 * 10 s later, ended after 30 s in all and rated 4; W2 gives up after 40 s in line; W3 leaves a
 * message, answered 30 s later.
 */
async function smallDay(a: DeskUnderTest, at: (ms: number) => void, b: DeskUnderTest = a) {
  const w1 = await widgetCustomer(a, 1);
  await iq(a, w1, xml('join', { xmlns: NS }, form({ name: 'Yuki', question: 'My printer' })));
  at(10 * S);
  const w2 = await widgetCustomer(b, 2);
  await iq(b, w2, xml('join', { xmlns: NS }, form({ name: 'Ken', question: 'hello?' })));
  at(20 * S);
  a.receive(presence(`${ALICE}/desk`, SUPPORT));
  const intro = await a.next(isTo(ALICE, /New chat — ticket #1/), 'W1 to Alice');
  at(30 * S);
  a.receive(message(`${ALICE}/desk`, String(intro.attrs.from), 'Hello, how can I help?'));
  await a.next(isTo(w1, /how can I help/), 'the first answer');
  at(50 * S);
  await iq(b, w2, xml('end', { xmlns: NS }));
  b.receive(message(`${ALICE}/desk`, String(intro.attrs.from), '!end'));
  await b.next(isTo(w1, /ended/i), 'the end notice');
  await iq(a, w1, xml('rate', { xmlns: NS, ticket: '1', score: '4' }, 'Quick'));
  at(60 * S);
  const w3 = await widgetCustomer(a, 3);
  await iq(a, w3, xml('leave-message', { xmlns: NS }, form({ name: 'Mei', question: 'Call me back' })));
  at(90 * S);
  b.receive(message(`${ALICE}/desk`, SUPPORT, '!reply 3 We will call you'));
  await b.next(isTo(`${ALICE}/desk`, /Reply to #3 sent/), 'the reply sent');
  await pause(100); // anything still on its way to Redis
}

const DAY = { from: '2026-12-07', to: '2026-12-07', desk: 'support', by: 'day' as const };
const EXPECTED = {
  requested: 3,
  served: 1,
  abandoned: 1,
  offline: 1,
  stillWaiting: 0,
  ended: 1,
  missed: 0,
  firstResponseP50Ms: 10_000,
  withinSla: 1,
  waitP50Ms: 20_000,
  waitMaxMs: 20_000,
  abandonWaitP50Ms: 40_000,
  handleAvgMs: 30_000,
  ratings: 1,
  ratingAvg: 4,
  offlineReplied: 1,
  offlineReplyP50Ms: 30_000,
};

describe('report rollups kept by the transitions', () => {
  it('count a chat whose separate report call was lost (the process died, or Redis failed, right after the transition)', async () => {
    let now = T0;
    const at = (ms: number) => void (now = T0 + ms);
    const prefix = freshPrefix();
    const a = desks.open(CONFIG, { now: () => now, instance: { prefix } });
    await a.listening;
    // Every separate report call is lost: it never reaches Redis (as after a kill -9 or a Redis timeout).
    a.store.reports.record = () => new Promise<boolean>(() => undefined);
    await smallDay(a, at);
    a.stop();

    // Restarted (a new process over the same Redis): the figures are all there, exact.
    const b = desks.open(CONFIG, { now: () => now, instance: { prefix } });
    await b.listening;
    const r = await b.desk.reports.report('admin', DAY);
    expect(r.totals).toMatchObject(EXPECTED);
    const chats = await b.desk.reports.chats('admin', DAY);
    expect(chats.map((c) => [c.ticket, c.fields.outcome, c.fields.operator ?? '', c.fields.waitMs ?? '', c.fields.rating ?? ''])).toEqual([
      [1, 'served', ALICE, '20000', '4'],
      [2, 'abandoned', '', '40000', ''],
      [3, 'offline', ALICE, '', ''],
    ]);
    b.stop();
  });

  it('count a transfer and a reassigned unanswered chat whose separate report calls were lost', async () => {
    let now = T0;
    const a = desks.open(
      {
        routing: { positionUpdateMs: 20, reassignUnansweredSeconds: 10 },
        operators: [
          { jid: ALICE, name: 'Alice', desks: ['support'], maxChats: 2 },
          { jid: BOB, name: 'Bob', desks: ['support'], maxChats: 2 },
        ],
      },
      { now: () => now },
    );
    await a.listening;
    a.store.reports.record = () => new Promise<boolean>(() => undefined);
    a.receive(presence(`${ALICE}/desk`, SUPPORT));
    a.receive(message('x1@example.org/phone', SUPPORT, 'hi'));
    const intro = await a.next(isTo(ALICE, /New chat — ticket #1/), 'X1 to Alice');
    a.receive(presence(`${BOB}/desk`, SUPPORT));
    await pause(50);
    now += 5 * S;
    a.receive(message(`${ALICE}/desk`, String(intro.attrs.from), 'Hello'));
    a.receive(message(`${ALICE}/desk`, String(intro.attrs.from), '!transfer Bob'));
    await a.next(isTo(BOB, /Transferred to you .* ticket #1/), 'X1 to Bob');
    a.receive(message('x2@example.org/phone', SUPPORT, 'hello?'));
    await a.next(isTo(ALICE, /New chat — ticket #2/), 'X2 to Alice (fewer chats)');
    now += 11 * S; // Alice leaves X2 unanswered past routing.reassignUnansweredSeconds
    await a.desk.tick();
    await a.next(isTo(BOB, /New chat — ticket #2/), 'X2 reassigned to Bob');
    const day = { from: '2026-12-07', to: '2026-12-07', by: 'day' as const };
    expect((await a.desk.reports.report('admin', { ...day, desk: 'support' })).totals).toMatchObject({
      requested: 2,
      served: 2,
      transfers: 1,
      missed: 0, // neither has ended
    });
    expect((await a.desk.reports.report('admin', { ...day, operator: ALICE })).totals).toMatchObject({
      served: 2,
      transfers: 1,
      missed: 1,
    });
    expect((await a.desk.reports.report('admin', { ...day, operator: BOB })).totals).toMatchObject({ served: 0, transfers: 0, missed: 0 });
    const chats = await a.desk.reports.chats('admin', { ...day, desk: 'support' });
    expect(chats.map((c) => [c.ticket, c.fields.transfers ?? '0'])).toEqual([
      [1, '1'],
      [2, '0'],
    ]);
    a.stop();
  });

  it('stay exact across a restart and with two instances over one Redis: none counted twice, none lost', async () => {
    let now = T0;
    const at = (ms: number) => void (now = T0 + ms);
    const prefix = freshPrefix();
    const a = desks.open(CONFIG, { now: () => now, instance: { prefix } });
    const b = desks.open(CONFIG, { now: () => now, instance: { prefix } });
    await Promise.all([a.listening, b.listening]);
    await a.desk.tick();
    await b.desk.tick();
    await smallDay(a, at, b); // W2 and the end through b, the rest through a
    expect((await a.desk.reports.report('admin', DAY)).totals).toMatchObject(EXPECTED);
    expect((await b.desk.reports.report('admin', DAY)).totals).toMatchObject(EXPECTED);

    // a restarts; b goes on. W4 joins through the new a and goes to Alice (free again) at once.
    a.stop();
    const a2 = desks.open(CONFIG, { now: () => now, instance: { prefix } });
    await a2.listening;
    at(100 * S);
    const w4 = await widgetCustomer(a2, 4);
    await iq(a2, w4, xml('join', { xmlns: NS }, form({ name: 'Aya', question: 'Again' })));
    const intro = await Promise.race([
      a2.next(isTo(ALICE, /New chat — ticket #4/), 'W4 to Alice'),
      b.next(isTo(ALICE, /New chat — ticket #4/), 'W4 to Alice'),
    ]);
    expect(String(intro.attrs.from)).toMatch(/^t4-/);
    await pause(100);
    for (const d of [a2, b]) {
      const r = await d.desk.reports.report('admin', DAY);
      expect(r.totals).toMatchObject({ ...EXPECTED, requested: 4, served: 2, waitP50Ms: 0, waitMaxMs: 20_000, withinSla: 0.5 });
      expect(r.totals.requested).toBe(r.totals.served + r.totals.abandoned + r.totals.offline + r.totals.stillWaiting);
      const alice = await d.desk.reports.report('admin', { from: DAY.from, to: DAY.to, operator: ALICE, by: 'day' });
      expect(alice.totals).toMatchObject({ served: 2, ended: 1, missed: 0, firstResponseP50Ms: 10_000 });
    }
    a2.stop();
    b.stop();
  });
});

/**
 * Reports (docs/reports.md) after a scripted day of traffic, in-process over a real Redis with an
 * injected clock (desk-harness.ts), so every figure is exact: joins, waits, an abandon, a transfer,
 * a rating with a comment, an offline message and its reply, a missed chat, one still waiting,
 * across two days of the desk's time zone (Asia/Tokyo: both days are one UTC day). Then the
 * figures as JSON and CSV, !stats per role, and the refusals.
 */
import { describe, expect, it } from 'vitest';
import { xml, type Element } from '../../component/protocol/xml.js';
import { chatsCsv, figuresCsv } from '../../src/report-csv.js';
import { createEvidenceLog, type EvidenceLog } from '../../component/evidence/evidence-log.js';
import { createEvidenceStore } from '../../component/evidence/evidence-store.js';
import { generateEvidenceKeyPair } from '../../component/evidence/key-pair.js';
import { rebuildReports } from '../../component/services/report-rebuild.js';
import { createFactReader, presenceFactOf } from '../../src/report-rebuild.js';
import { DOMAIN, SUPPORT, bodyOf, isTo, message, presence, useDesk, type DeskUnderTest } from './desk-harness.js';
import { joinForm as form } from '../support/join-form.js';

const NS = 'urn:madoguchi:desk:0';
const desks = useDesk();
const ALICE = 'alice@localhost';
const BOB = 'bob@localhost';
const SUE = 'sue@localhost';
const T0 = Date.UTC(2026, 11, 7, 0, 30); // 09:30 on Monday 2026-12-07 in Tokyo
const S = 1000;
/** Online time: Alice from 09:30:40 to midnight, then to 01:31:10 (the script's end); Bob 100 s to 4 h. */
const ALICE_DAY1 = 14 * 3600 * S + 29 * 60 * S + 20 * S;
const ALICE_DAY2 = 3600 * S + 31 * 60 * S + 10 * S;
const BOB_ONLINE = 4 * 3600 * S - 100 * S;

let iqs = 0;
async function iq(d: DeskUnderTest, from: string, child: Element): Promise<Element> {
  const id = `iq${++iqs}`;
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

const keyPair = generateEvidenceKeyPair();

function scriptedDesk() {
  let now = T0;
  let log: EvidenceLog | undefined;
  const d = desks.open(
    {
      desks: [
        { id: 'support', name: 'Support', timeZone: 'Asia/Tokyo', slaSeconds: 30 },
        { id: 'sales', name: 'Sales' },
      ],
      operators: [
        { jid: ALICE, name: 'Alice', desks: ['support'], maxChats: 1 },
        { jid: BOB, name: 'Bob', desks: ['support'], maxChats: 1 },
        { jid: SUE, name: 'Sue', desks: ['support'], maxChats: 1, role: 'supervisor' },
      ],
    },
    {
      now: () => now,
      evidence: (redis, prefix) => {
        log = createEvidenceLog({ redis, prefix, keyPair, clock: () => now, checkpointMs: 60_000 });
        return log;
      },
    },
  );
  return { d, at: (ms: number) => void (now = T0 + ms), log: () => log as EvidenceLog };
}

/** Lets what goes on after a reply (operators' presence time, the first response relayed) reach Redis. */
const settle = () => new Promise((r) => setTimeout(r, 150));

async function scriptedDay() {
  const { d, at, log } = scriptedDesk();
  // The widget loader's beacons (POST /api/widget/impressions): the button shown 3× open and 1× busy, opened twice.
  await d.desk.impressions.record({ desk: 'support', shown: { open: 3, busy: 1, closed: 0 }, opened: 2 });
  // Day 1 (Tokyo): W1 served after 40 s, answered 10 s later, transferred to Bob, ended, rated 4.
  // Alice is available from 40 s on (still at the end of the script), Bob from 100 s to 4 h.
  const w1 = await widgetCustomer(d, 1);
  await iq(d, w1, xml('join', { xmlns: NS }, form({ name: 'Yuki', question: 'My printer' })));
  at(10 * S);
  const w2 = await widgetCustomer(d, 2);
  await iq(d, w2, xml('join', { xmlns: NS }, form({ name: 'Ken', question: 'hello?' })));
  at(40 * S);
  d.receive(presence(`${ALICE}/desk`, SUPPORT));
  const intro = await d.next(isTo(ALICE, /New chat — ticket #1/), 'W1 to Alice');
  const masked1 = String(intro.attrs.from);
  at(50 * S);
  d.receive(message(`${ALICE}/desk`, masked1, 'Hello, how can I help?'));
  await d.next(isTo(w1, /how can I help/), 'the first answer');
  at(70 * S); // W2 gives up after 60 s in line
  await iq(d, w2, xml('end', { xmlns: NS }));
  at(100 * S);
  d.receive(presence(`${BOB}/desk`, SUPPORT));
  await settle();
  at(120 * S);
  d.receive(message(`${ALICE}/desk`, masked1, '!transfer Bob'));
  await d.next(isTo(BOB, /#1/), 'the transfer to Bob');
  at(300 * S);
  d.receive(message(`${BOB}/desk`, masked1, '!end'));
  await d.next(isTo(w1, /ended/i), 'the end notice');
  at(310 * S);
  await iq(d, w1, xml('rate', { xmlns: NS, ticket: '1', score: '4' }, 'Quick, and "kind"'));
  // 12:30: W3 leaves a message; Alice answers it an hour later.
  at(3 * 3600 * S);
  const w3 = await widgetCustomer(d, 3);
  const left = await iq(d, w3, xml('leave-message', { xmlns: NS }, form({ name: 'Mei', question: 'Call me back' })));
  const offline = Number(left.getChild('offline', NS)?.attrs.ticket);
  at(4 * 3600 * S);
  d.receive(message(`${ALICE}/desk`, SUPPORT, `!reply ${offline} We will call you at 5`));
  await d.next(isTo(`${ALICE}/desk`, /Reply to #\d+ sent/), 'the reply sent');
  d.receive(presence(`${BOB}/desk`, SUPPORT, { type: 'unavailable' }));
  await settle();

  // Day 2 in Tokyo (still 2026-12-07 in UTC): X1 served at once and ended unanswered (missed);
  // X2 waits 55 s for Alice; X3 is still waiting.
  at(16 * 3600 * S); // 01:30 on 2026-12-08 in Tokyo
  expect(await d.desk.impressions.record({ desk: 'support', shown: { open: 0, busy: 0, closed: 2 }, opened: 0 })).toBe(true);
  expect(await d.desk.impressions.record({ desk: 'nowhere', shown: { open: 5, busy: 0, closed: 0 }, opened: 0 })).toBe(false);
  d.receive(message('x1@example.org/phone', SUPPORT, 'hi'));
  const intro4 = await d.next(isTo(ALICE, /New chat — ticket #\d+/), 'X1 to Alice');
  at(16 * 3600 * S + 5 * S);
  d.receive(message('x2@example.org/phone', SUPPORT, 'hi too'));
  await d.next(isTo('x2@example.org/phone', /in line/), 'X2 queued');
  at(16 * 3600 * S + 60 * S);
  d.receive(message(`${ALICE}/desk`, String(intro4.attrs.from), '!end'));
  await d.next(isTo(ALICE, /New chat — ticket #\d+/), 'X2 to Alice');
  at(16 * 3600 * S + 70 * S);
  d.receive(message('x3@example.org/phone', SUPPORT, 'me too'));
  await d.next(isTo('x3@example.org/phone', /in line/), 'X3 queued');
  await settle();
  await log().flush();
  return { d, offline, log };
}

describe('reports after a scripted day', () => {
  it('gives exact, reconciling figures per desk and operator, by day and by hour, as JSON and CSV', async () => {
    const { d, offline, log } = await scriptedDay();
    const r = await d.desk.reports.report('admin', { from: '2026-12-07', to: '2026-12-08', desk: 'support', by: 'day' });
    const [day1, day2] = r.rows;
    expect(day1).toMatchObject({
      period: '2026-12-07',
      requested: 3,
      served: 1,
      abandoned: 1,
      offline: 1,
      stillWaiting: 0,
      missed: 0,
      transfers: 1,
      ended: 1,
      waitP50Ms: 40_000,
      waitP90Ms: 40_000,
      waitMaxMs: 40_000,
      abandonWaitP50Ms: 60_000,
      firstResponseP50Ms: 10_000,
      withinSla: 1,
      handleAvgMs: 260_000,
      ratings: 1,
      ratingAvg: 4,
      ratingDistribution: { '1': 0, '2': 0, '3': 0, '4': 1, '5': 0 },
      offlineReplied: 1,
      offlineReplyP50Ms: 3_600_000,
      shown: 4,
      shownOpen: 3,
      shownBusy: 1,
      shownClosed: 0,
      opened: 2,
      openedRate: 0.5,
      requestedPerShown: 0.75,
      onlineMs: ALICE_DAY1 + BOB_ONLINE,
      availableMs: ALICE_DAY1 + BOB_ONLINE,
      servedPerOnlineHour: 0.0542, // 1 served in 18.46 h online
    });
    expect(day2).toMatchObject({
      period: '2026-12-08',
      requested: 3,
      served: 2,
      abandoned: 0,
      offline: 0,
      stillWaiting: 1,
      missed: 1,
      waitP50Ms: 0,
      waitP90Ms: 55_000,
      waitMaxMs: 55_000,
      handleAvgMs: 60_000,
      shown: 2,
      shownClosed: 2,
      opened: 0,
      openedRate: 0,
      requestedPerShown: 1.5,
      onlineMs: ALICE_DAY2, // Alice, still available at the end: counted up to now
    });
    for (const f of [...r.rows, r.totals]) expect(f.requested).toBe(f.served + f.abandoned + f.offline + f.stillWaiting);
    expect(r.totals).toMatchObject({ requested: 6, served: 3, abandoned: 1, offline: 1, stillWaiting: 1, missed: 1, transfers: 1 });
    expect(r.comments).toEqual([{ day: '2026-12-07', ticket: 1, score: 4, comment: 'Quick, and "kind"' }]);
    expect(offline).toBeGreaterThan(2);
    // Mondays at 09 and 12, Tuesday at 01 (Tokyo hours).
    expect(r.busiestHours[1]?.[9]).toBe(2);
    expect(r.busiestHours[1]?.[12]).toBe(1);
    expect(r.busiestHours[2]?.[1]).toBe(3);

    const byHour = await d.desk.reports.report('admin', { from: '2026-12-07', to: '2026-12-08', desk: 'support', by: 'hour' });
    expect(byHour.rows.filter((f) => f.requested > 0).map((f) => [f.period, f.requested, f.served])).toEqual([
      ['01:00', 3, 2],
      ['09:00', 2, 1],
      ['12:00', 1, 0],
    ]);
    const hourly = (k: 'shown' | 'onlineMs') => byHour.rows.filter((f) => f[k] > 0).map((f) => [f.period, f[k]]);
    expect(hourly('shown')).toEqual([
      ['01:00', 2],
      ['09:00', 4],
    ]);
    // Alice from 09:30:40 (day 1) to 01:31:10 (day 2); Bob from 09:31:40 to 13:30.
    expect(hourly('onlineMs').find(([h]) => h === '09:00')).toEqual(['09:00', 1_760_000 + 1_700_000]);
    expect(hourly('onlineMs').find(([h]) => h === '13:00')).toEqual(['13:00', 3_600_000 + 1_800_000]);
    expect(hourly('onlineMs').find(([h]) => h === '01:00')).toEqual(['01:00', 1_870_000]);

    const alice = await d.desk.reports.report('admin', { from: '2026-12-07', to: '2026-12-08', operator: ALICE, by: 'day' });
    expect(alice.totals).toMatchObject({
      served: 3,
      transfers: 1,
      missed: 1,
      ended: 1,
      handleAvgMs: 60_000,
      firstResponseP50Ms: 10_000,
      offlineReplied: 1,
      onlineMs: ALICE_DAY1 + ALICE_DAY2,
      availableMs: ALICE_DAY1 + ALICE_DAY2,
      servedPerOnlineHour: 0.1874, // 3 served in 16.01 h
      shown: 0, // impressions are the desk's
    });
    const bob = await d.desk.reports.report('admin', { from: '2026-12-07', to: '2026-12-07', operator: BOB, by: 'day' });
    expect(bob.totals).toMatchObject({ served: 0, ended: 1, handleAvgMs: 260_000, ratings: 1, ratingAvg: 4, onlineMs: BOB_ONLINE });

    const csv = figuresCsv(r.rows).split('\r\n');
    expect(csv[0]).toMatch(/^period,requested,served,abandoned,offline,stillWaiting,missed,transfers,ended,waitP50Ms,/);
    expect(csv[0]).toMatch(
      /,offlineReplyP50Ms,shown,shownOpen,shownBusy,shownClosed,opened,openedRate,requestedPerShown,onlineMs,availableMs,servedPerOnlineHour$/,
    );
    expect(csv[1]).toBe(
      '2026-12-07,3,1,1,1,0,0,1,1,40000,40000,40000,60000,10000,10000,1,260000,1,4,0,0,0,1,0,1,3600000,4,3,1,0,2,0.5,0.75,66460000,66460000,0.0542',
    );
    expect(csv[2]).toBe('2026-12-08,3,2,0,0,1,1,0,1,0,55000,55000,,,,0,60000,0,,0,0,0,0,0,0,,2,0,0,2,0,0,1.5,5470000,5470000,1.3163');
    expect(csv).toHaveLength(4); // header, two days, the final CRLF

    const chats = await d.desk.reports.chats('admin', { from: '2026-12-07', to: '2026-12-08', desk: 'support', by: 'day' });
    expect(chatsCsv(chats).split('\r\n')).toEqual([
      'ticket,desk,day,requestedAt,outcome,operator,waitMs,firstResponseMs,handleMs,missed,transfers,rating,comment,offlineReplyMs',
      '1,support,2026-12-07,2026-12-07T00:30:00.000Z,served,bob@localhost,40000,10000,260000,0,1,4,"Quick, and ""kind""",',
      '2,support,2026-12-07,2026-12-07T00:30:10.000Z,abandoned,,60000,,,,0,,,',
      `${offline},support,2026-12-07,2026-12-07T03:30:00.000Z,offline,alice@localhost,,,,,0,,,3600000`,
      '4,support,2026-12-08,2026-12-07T16:30:00.000Z,served,alice@localhost,0,,60000,1,0,,,',
      '5,support,2026-12-08,2026-12-07T16:30:05.000Z,served,alice@localhost,55000,,,,0,,,',
      '6,support,2026-12-08,2026-12-07T16:31:10.000Z,waiting,,,,,,0,,,',
      '',
    ]);
    const bobs = await d.desk.reports.chats('admin', { from: '2026-12-07', to: '2026-12-08', operator: BOB, by: 'day' });
    expect(bobs.map((c) => c.ticket)).toEqual([1]);

    // The rebuild from the evidence log gives the same rollups, byte for byte in every report.
    const all = async () =>
      Promise.all([
        d.desk.reports.report('admin', { from: '2026-12-07', to: '2026-12-08', by: 'day' }),
        d.desk.reports.report('admin', { from: '2026-12-07', to: '2026-12-08', by: 'hour' }),
        d.desk.reports.report('admin', { from: '2026-12-07', to: '2026-12-08', operator: ALICE, by: 'day' }),
        d.desk.reports.report('admin', { from: '2026-12-07', to: '2026-12-08', operator: BOB, by: 'hour' }),
        d.desk.reports.chats('admin', { from: '2026-12-07', to: '2026-12-08', by: 'day' }),
      ]);
    const live = await all();
    const zones = (desk: string) => (desk === 'support' ? 'Asia/Tokyo' : 'UTC');
    const rebuilt = await rebuildReports(d.store, createEvidenceStore(d.store.redis, d.store.keys.prefix), zones);
    expect(await all()).toEqual(live);
    // 6 requests, 3 served, 1 abandoned, 1 first response, 2 ended, 1 transfer, 1 rating, 1 reply; Bob's time online
    expect(rebuilt.facts).toBe(17);
    // A second rebuild changes nothing; nor does counting every fact again over the rollups
    // (a retry, a second instance): each fact of a ticket counts once.
    await rebuildReports(d.store, createEvidenceStore(d.store.redis, d.store.keys.prefix), zones);
    expect(await all()).toEqual(live);
    const factsOf = createFactReader();
    let again = 0;
    for await (const page of createEvidenceStore(d.store.redis, d.store.keys.prefix).iterate(0, '+'))
      for (const entry of page) {
        for (const fact of factsOf(entry)) if (await d.store.reports.record(fact, zones(fact.desk))) again++;
        const presence = presenceFactOf(entry);
        if (presence && (await d.store.reports.recordPresence(presence, zones))) again++;
      }
    expect(again).toBe(0);
    expect(await all()).toEqual(live);
    await log().close();
    d.stop();
  });

  it('scopes !stats and report queries by role, and refuses the rest', async () => {
    const { d, log } = await scriptedDay();
    const { reports } = d.desk;
    const alice = { jid: ALICE, role: 'operator' as const, desks: ['support'] };
    const sue = { jid: SUE, role: 'supervisor' as const, desks: ['support'] };
    const q = { from: '2026-12-07', to: '2026-12-08', by: 'day' as const };
    await expect(reports.report(alice, { ...q, desk: 'support' })).rejects.toThrow(/own figures/);
    await expect(reports.report(alice, { ...q, operator: BOB })).rejects.toThrow(/own figures/);
    expect((await reports.report(alice, q)).operator).toBe(ALICE);
    await expect(reports.report(sue, { ...q, desk: 'sales' })).rejects.toThrow(/not one of your desks/);
    expect((await reports.report(sue, { ...q, operator: BOB })).totals.ended).toBe(1);
    await expect(reports.report('admin', { ...q, desk: 'nowhere' })).rejects.toThrow(/No desk/);
    await expect(reports.report('admin', { ...q, from: '2026-12-09' })).rejects.toThrow(/from ≤ to/);

    d.receive(message(`${ALICE}/desk`, SUPPORT, '!stats 2026-12-07..2026-12-08'));
    const mine = bodyOf(await d.next(isTo(`${ALICE}/desk`, /^You \(/), "Alice's !stats"));
    expect(mine).toBe(
      'You (2026-12-07..2026-12-08): 3 chats, wait 40 s p50 / 55 s p90 / 55 s max, first response 10 s p50 / 10 s p90, 33% within SLA, ' +
        'average handle 1 min 0 s, 1 transfers, 1 missed, no ratings',
    );
    d.receive(message(`${SUE}/desk`, SUPPORT, '!stats 2026-12-08'));
    const sues = bodyOf(await d.next(isTo(`${SUE}/desk`, /^You \(/), "Sue's !stats")).split('\n');
    expect(sues[1]).toMatch(/^Support: 3 requested, 2 served, 0 abandoned, 0 offline messages, 1 waiting, wait 0 s p50 \/ 55 s p90/);
    d.receive(message(`${ALICE}/desk`, SUPPORT, '!stats last-week'));
    expect(bodyOf(await d.next(isTo(`${ALICE}/desk`, /Usage: !stats/), 'the usage'))).toContain('7d');
    expect(DOMAIN).toBe('support.localhost');
    await log().close();
    d.stop();
  });
});

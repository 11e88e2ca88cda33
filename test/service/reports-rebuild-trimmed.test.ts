/**
 * `npm run reports -- rebuild` over a log trimmed in Redis (evidence.redisKeepRecords): the records
 * Redis no longer has are read from the JSONL mirror, so the rebuild gives the live figures; without
 * a mirror that goes back to the first record it refuses and drops nothing (docs/reports.md, Rebuild).
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { xml, type Element } from '../../component/protocol/xml.js';
import { createEvidenceLog, type EvidenceLog } from '../../component/evidence/evidence-log.js';
import { generateEvidenceKeyPair } from '../../component/evidence/key-pair.js';
import { IncompleteLogError, rebuildReports } from '../../component/services/report-rebuild.js';
import { joinForm as form } from '../support/join-form.js';
import { SUPPORT, isTo, message, presence, useDesk, type DeskUnderTest } from './desk-harness.js';

const NS = 'urn:madoguchi:desk:0';
const desks = useDesk();
const keyPair = generateEvidenceKeyPair();
const ALICE = 'alice@localhost';
const T0 = Date.UTC(2026, 11, 7, 9, 0);
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

let iqs = 0;
async function iq(d: DeskUnderTest, from: string, child: Element): Promise<Element> {
  const id = `rb${++iqs}`;
  d.receive(xml('iq', { from, to: SUPPORT, type: 'set', id }, child));
  const reply = await d.next((el) => el.name === 'iq' && el.attrs.id === id, `the answer to ${child.name}`);
  expect(reply.attrs.type, String(reply)).toBe('result');
  return reply;
}

describe('rebuild over a trimmed log', () => {
  it('reads the records trimmed from Redis back from the mirror; without them it refuses and drops nothing', async () => {
    const mirrorDir = mkdtempSync(join(tmpdir(), 'madoguchi-rebuild-'));
    dirs.push(mirrorDir);
    let now = T0;
    let log: EvidenceLog | undefined;
    const d = desks.open(
      { operators: [{ jid: ALICE, name: 'Alice', desks: ['support'], maxChats: 2 }] },
      {
        now: () => now,
        evidence: (redis, prefix) => {
          log = createEvidenceLog({ redis, prefix, keyPair, clock: () => now, mirrorDir, redisKeepRecords: 5, mirrorMaxFileBytes: 2048 });
          return log;
        },
      },
    );
    await d.listening;
    const evidence = log as EvidenceLog;
    await evidence.open();
    // Six chats: served (answered, ended) or abandoned in turn; then an offline message.
    d.receive(presence(`${ALICE}/desk`, SUPPORT));
    for (let n = 1; n <= 6; n++) {
      const jid = `w${n}@guest.localhost/web`;
      await iq(d, jid, xml('session', { xmlns: NS, token: `token${n}-0123456789abcdefghij` }));
      now += 1000;
      await iq(d, jid, xml('join', { xmlns: NS }, form({ name: `C${n}`, question: 'hello' })));
      const intro = await d.next(isTo(ALICE, new RegExp(`ticket #${n}\\b`)), `W${n} to Alice`);
      now += 5000 * n;
      if (n % 2) d.receive(message(`${ALICE}/desk`, String(intro.attrs.from), 'Hello!'));
      now += 1000;
      d.receive(message(`${ALICE}/desk`, String(intro.attrs.from), '!end'));
      await d.next(isTo(jid, /ended/i), `the end of #${n}`);
    }
    await iq(d, 'w7@guest.localhost/web', xml('session', { xmlns: NS, token: 'token7-0123456789abcdefghij' }));
    await iq(d, 'w7@guest.localhost/web', xml('leave-message', { xmlns: NS }, form({ name: 'Mei', question: 'Call me' })));
    await new Promise((r) => setTimeout(r, 150));
    await evidence.flush();
    const trimmed = await evidence.trim();
    expect(trimmed.firstSeq).toBeGreaterThan(20); // most of the day is in the mirror only
    expect(readdirSync(mirrorDir).filter((f) => f.endsWith('.jsonl')).length).toBeGreaterThan(1);

    const day = { from: '2026-12-07', to: '2026-12-07', desk: 'support', by: 'hour' as const };
    const read = async () => [await d.desk.reports.report('admin', day), await d.desk.reports.chats('admin', day)] as const;
    const live = await read();
    expect(live[0].totals).toMatchObject({ requested: 7, served: 6, offline: 1, ended: 6, missed: 3 });
    const zones = () => 'UTC';

    // The mirror holds what Redis dropped: the rebuild gives the live figures.
    const rebuilt = await rebuildReports(d.store, evidence.store, zones, { mirrorDir });
    expect(rebuilt.fromMirror).toBe(trimmed.firstSeq - 1);
    expect(await read()).toEqual(live);

    // No mirror, or one missing its first file: refused, the rollups are as they were.
    await expect(rebuildReports(d.store, evidence.store, zones)).rejects.toThrow(IncompleteLogError);
    const first = readdirSync(mirrorDir)
      .filter((f) => f.endsWith('.jsonl'))
      .sort()[0] as string;
    rmSync(join(mirrorDir, first));
    await expect(rebuildReports(d.store, evidence.store, zones, { mirrorDir })).rejects.toThrow(
      /evidence records 1\.\.\d+ are trimmed from Redis and not in the mirror/,
    );
    expect(await read()).toEqual(live);
    await evidence.close();
  });
});

/**
 * A plain XMPP message to a desk closed by its hours is an offline message (issue 17): the reports
 * count it as requested and offline, live as after a rebuild from the evidence log (issue 18).
 */
import { describe, expect, it } from 'vitest';
import { createEvidenceLog, type EvidenceLog } from '../../component/evidence/evidence-log.js';
import { createEvidenceStore } from '../../component/evidence/evidence-store.js';
import { generateEvidenceKeyPair } from '../../component/evidence/key-pair.js';
import { rebuildReports } from '../../component/services/report-rebuild.js';
import { CUSTOMER, SUPPORT, isTo, message, useDesk } from './desk-harness.js';

const desks = useDesk();
const keyPair = generateEvidenceKeyPair();
const SATURDAY = Date.parse('2026-01-10T10:00:00Z');
const day = [{ start: '09:00', end: '18:00' }];

describe('reports of a desk closed by its hours', () => {
  it('count an XMPP message left while closed as requested and offline, live and rebuilt', async () => {
    let log: EvidenceLog | undefined;
    const d = desks.open(
      {
        desks: [
          { id: 'support', name: 'Support', hours: { timeZone: 'Europe/Berlin', weekly: { mon: day } } },
          { id: 'sales', name: 'Sales' },
        ],
      },
      {
        now: () => SATURDAY,
        evidence: (redis, prefix) => (log = createEvidenceLog({ redis, prefix, keyPair, clock: () => SATURDAY, checkpointMs: 60_000 })),
      },
    );
    d.receive(message(CUSTOMER, SUPPORT, 'Is my order on its way?'));
    await d.next(isTo(CUSTOMER, /kept as #1/), 'the closed notice');
    await new Promise((r) => setTimeout(r, 100)); // counting follows the transition
    const q = { from: '2026-01-10', to: '2026-01-10', desk: 'support', by: 'day' as const };
    const live = await d.desk.reports.report('admin', q);
    expect(live.totals).toMatchObject({ requested: 1, offline: 1, stillWaiting: 0 });
    await log?.flush();
    await rebuildReports(d.store, createEvidenceStore(d.store.redis, d.store.keys.prefix), () => 'UTC'); // the desk's report zone (desks[].timeZone: UTC here)
    expect(await d.desk.reports.report('admin', q)).toEqual(live);
    await log?.close();
  });
});

/**
 * The fault suite (issue 14 items 2 and 8): kill -9 of the component under widget-like traffic
 * loses no message and duplicates none at the operator (test/support/fault-runs.ts). `npm test`
 * runs a slice (3 kills); `npm run faults` the full suite (FAULT_PLAN: 20 kills of the component,
 * a kill -9 of Redis, a Prosody restart). FAULT_SEED replays a schedule.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeReport, runFaults, type FaultKind } from '../support/fault-runs.js';
import { startStack, type Stack } from '../support/stack.js';

const plan = (process.env.FAULT_PLAN ?? 'component:3').split(',').flatMap((part) => {
  const [kind, n] = part.split(':') as [FaultKind, string | undefined];
  return Array<FaultKind>(Number(n ?? 1)).fill(kind);
});
const seed = Number(process.env.FAULT_SEED ?? 14);

describe('fault suite', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ operators: [{ user: 'alice', name: 'Alice', maxChats: 9 }] });
  });
  afterAll(async () => stack?.stop());

  it(
    `loses and duplicates no message across ${plan.length} faults (seed ${seed})`,
    async () => {
      const report = await runFaults(stack, { plan, seed, log: process.env.FAULT_VERBOSE ? console.log : undefined });
      console.log(describeReport(report));
      if (report.lost.length || report.duplicated.length || report.unacked.length) {
        process.env.E2E_KEEP = '1'; // keep component.log for the post-mortem
        console.log(`desks now: ${JSON.stringify((await stack.status()).desks)}; stack kept in ${stack.dir}`);
      }
      expect(report.sent).toBeGreaterThan(plan.length * 4);
      expect(report.lost).toEqual([]);
      expect(report.duplicated).toEqual([]);
      expect(report.unacked).toEqual([]);
    },
    60_000 + plan.length * 15_000,
  );
});

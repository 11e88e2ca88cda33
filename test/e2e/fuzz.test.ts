/**
 * Issue 14 item 8: a slice of the seeded stanza fuzzer (test/support/fuzz/) in every `npm test`.
 * The full run is `npm run fuzz -- --stanzas 100000 [--seed S]` (scripts/fuzz.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';
import { FUZZ_OPERATORS, runFuzz } from '../support/fuzz/run.js';

const STANZAS = Number(process.env.FUZZ_STANZAS ?? 3000);
const SEED = Number(process.env.FUZZ_SEED ?? 14);

describe('stanza fuzzing (slice)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ operators: FUZZ_OPERATORS });
  });
  afterAll(async () => stack?.stop());

  it(`${STANZAS} malformed, hostile and odd stanzas: no crash, every answer as RFC 6120 says, the desk still serves`, async () => {
    const r = await runFuzz(stack, { stanzas: STANZAS, seed: SEED });
    console.log(
      `fuzz: ${r.stanzas} stanzas, ${r.crashes} crashes, ${r.anomalies.length} anomalies (seed ${r.seed}, ${(r.ms / 1000).toFixed(1)} s; checked: ${JSON.stringify(r.checked)}, ${r.canaries} canary messages)`,
    );
    expect(r.anomalies.slice(0, 30)).toEqual([]);
    expect(r.crashes).toBe(0);
    expect(r.stanzas).toBe(STANZAS);
    expect(r.checked.iqAnswered).toBeGreaterThan(STANZAS / 5); // the oracle saw the answers it checks
  }, 120_000);
});

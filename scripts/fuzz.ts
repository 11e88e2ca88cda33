/**
 * `npm run fuzz -- --stanzas 100000 [--seed S]`: the project's seeded stanza fuzzer against a
 * throwaway real stack (Prosody, Redis, the compiled component), as test/e2e/fuzz.test.ts runs a
 * slice of it. Prints "fuzz: N stanzas, C crashes, A anomalies (seed S)"; exits 1 on any.
 */
import { parseArgs } from 'node:util';
import { buildComponent } from './lib/component-build.js';
import { startStack } from '../test/support/stack.js';
import { FUZZ_OPERATORS, runFuzz } from '../test/support/fuzz/run.js';

const { values } = parseArgs({
  options: { stanzas: { type: 'string', default: '100000' }, seed: { type: 'string' }, batch: { type: 'string', default: '200' } },
});
const stanzas = Number(values.stanzas);
const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
if (!Number.isSafeInteger(stanzas) || stanzas < 1 || !Number.isSafeInteger(seed)) {
  console.error('usage: npm run fuzz -- [--stanzas N] [--seed S] [--batch B]');
  process.exit(2);
}

buildComponent();
const stack = await startStack({ operators: FUZZ_OPERATORS });
let code = 1;
try {
  console.log(`fuzz: seed ${seed}, ${stanzas} stanzas, stack in ${stack.dir}`);
  const r = await runFuzz(stack, { stanzas, seed, batch: Number(values.batch), progress: (line) => console.log(line) });
  for (const a of r.anomalies.slice(0, 50)) console.log(`anomaly: ${a}`);
  console.log(`checked: ${JSON.stringify(r.checked)}, ${r.canaries} canary messages, ${(r.ms / 1000).toFixed(0)} s`);
  console.log(`fuzz: ${r.stanzas} stanzas, ${r.crashes} crashes, ${r.anomalies.length} anomalies (seed ${r.seed})`);
  code = r.crashes + r.anomalies.length > 0 ? 1 : 0;
} finally {
  await stack.stop();
}
process.exit(code);

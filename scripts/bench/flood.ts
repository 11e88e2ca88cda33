/**
 * Phase "flood" (issue 14 item 5): a few chats at a modest steady rate, measured without and
 * with one more customer flooding its own chat as fast as the path takes it (its socket kept
 * full, backpressure only), in alternating rounds (a fresh flooder each round, closed after it),
 * then once more after the last flood. The component runs with the shipped limits
 * (config/schema.ts) for the phase. The figure is the median over rounds of the quiet chats' p99
 * during the flood against without it (goal: at most 1.2): one window's p99 on these shared
 * cores moved by several times from run to run, so one pair of windows decided nothing.
 */
import type { BenchConn } from './conn.js';
import { createLoad } from './load.js';
import { closeAll, connectCustomers, loginOperators, waitOperatorsOnline, type Operator } from './people.js';
import { cpuProbe } from './proc-stats.js';
import type { CpuWindow, FloodResult, FloodWindow } from './results.js';
import { BENCH_LIMITS, FLOOD_DESK, type BenchStack, type OperatorSpec } from './stack.js';

const DESK = FLOOD_DESK.split('@')[0] as string;
/** Stanzas per write of the flooder: one pre-serialized string, written again whenever the socket drains. */
const FLOOD_BATCH = 256;

/** The phase's operators: one per quiet chat, and one per round for that round's flooder. */
export const floodOperators = (chats: number, rounds: number): OperatorSpec[] =>
  Array.from({ length: chats + rounds }, (_, i) => ({ user: `fo${i + 1}`, name: `Flood${i + 1}`, desk: DESK, maxChats: 1 }));

export interface FloodOptions {
  chats: number;
  /** Messages per second per flow (each chat has two flows: customer → desk, operator → customer). */
  ratePerFlow: number;
  /** Alternating windows without and with a flood. */
  rounds: number;
  warmupMs: number;
  measureMs: number;
  log: (line: string) => void;
}

/** The flooder: writes as fast as its socket drains; counts the desk's refusals without parsing them. */
function startFlooder(conn: BenchConn) {
  const batch = Array.from(
    { length: FLOOD_BATCH },
    (_, i) => `<message to='${FLOOD_DESK}' type='chat'><body>flood ${i} The quick brown fox jumps over the lazy dog</body></message>`,
  ).join('');
  const counts = { sent: 0, refused: 0, busy: 0, otherErrors: 0 };
  conn.onRaw = (raw) => {
    if (!raw.startsWith('<message') || !raw.includes("type='error'")) return false;
    if (raw.includes('policy-violation')) counts.refused++;
    else if (raw.includes('resource-constraint')) counts.busy++;
    else counts.otherErrors++;
    return true;
  };
  let running = true;
  const write = conn.writeDrained;
  if (!write) throw new Error('the flooder needs a TCP connection');
  const done = (async () => {
    while (running && !conn.closed) {
      await write(batch);
      counts.sent += FLOOD_BATCH;
    }
  })();
  const t0 = performance.now();
  return {
    counts,
    async stop() {
      running = false;
      await Promise.race([done, new Promise((r) => setTimeout(r, 5000))]);
      return { ...counts, seconds: (performance.now() - t0) / 1000 };
    },
  };
}

export async function runFlood(stack: BenchStack, o: FloodOptions): Promise<FloodResult> {
  const conns: BenchConn[] = [];
  try {
    o.log('flood: restarting the component with the shipped rate limits');
    await stack.restartWithLimits({});
    // The quiet chats first, then the flooder's operator and customer, so that the pairing is known.
    const specs = floodOperators(o.chats, o.rounds);
    const quietOps = await loginOperators(stack, specs.slice(0, o.chats));
    conns.push(...quietOps.map((op) => op.conn));
    await waitOperatorsOnline(stack, DESK, o.chats);
    const quiet = await connectCustomers(stack, quietOps, FLOOD_DESK);
    conns.push(...quiet.customers);
    const atFloodOperator = { relayed: 0, notices: 0 };
    /** The round's flooder and its operator, the only one with room (the quiet ones are full): so the intro goes there. */
    const floodPair = async (round: number) => {
      const op = (await loginOperators(stack, [specs[o.chats + round] as OperatorSpec]))[0] as Operator;
      conns.push(op.conn);
      await waitOperatorsOnline(stack, DESK, o.chats + 1);
      op.conn.onStanza = (el) => {
        const body = el.getChildText('body') ?? '';
        if (el.name !== 'message' || el.attrs.type === 'error') return;
        if (body.startsWith('flood ')) atFloodOperator.relayed++;
        else if (body.includes('too fast')) atFloodOperator.notices++;
      };
      const flooder = (await connectCustomers(stack, [op], FLOOD_DESK)).customers[0] as BenchConn;
      conns.push(flooder);
      return { op, flooder };
    };

    const load = createLoad(
      [
        ...quiet.customers.map((c) => ({ conn: c, to: FLOOD_DESK })),
        ...quietOps.map((op, j) => ({ conn: op.conn, to: quiet.masked[j] as string })),
      ],
      [...quiet.customers, ...quietOps.map((op) => op.conn)],
    );
    const rate = o.ratePerFlow * load.flows;
    const window = async (name: string): Promise<FloodWindow> => {
      const probe = cpuProbe(stack.pids());
      const r = await load.fixedRate({ rate, warmupMs: o.warmupMs, measureMs: o.measureMs, maxInflightPerFlow: 64 });
      const cpu: CpuWindow = probe.stop();
      return {
        name,
        count: r.latency.count(),
        achieved: r.rate,
        undelivered: r.undelivered,
        p50: r.latency.p(0.5),
        p99: r.latency.p(0.99),
        worst: r.worst.us,
        cpu,
      };
    };

    const windows: FloodWindow[] = [];
    const ratios: number[] = [];
    const total = { sent: 0, refused: 0, busy: 0, otherErrors: 0, seconds: 0 };
    for (let round = 0; round < o.rounds; round++) {
      o.log(`flood: round ${round + 1}/${o.rounds}: ${o.chats} quiet chats at ${o.ratePerFlow} msgs/s per flow (${rate} msgs/s), no flood`);
      const before = await window(`without flood (round ${round + 1})`);
      const { op, flooder } = await floodPair(round);
      o.log('flood: the same, one more customer flooding its chat at full speed');
      const flood = startFlooder(flooder);
      const during = await window(`during the flood (round ${round + 1})`);
      const f = await flood.stop();
      flooder.close(); // what it had written and Prosody had not read yet still arrives in the next window's warm-up
      op.conn.close(); // offline: the next round's operator is the only one with room
      for (const k of ['sent', 'refused', 'busy', 'otherErrors', 'seconds'] as const) total[k] += f[k];
      windows.push(before, during);
      ratios.push(during.p99 / before.p99);
      o.log(
        `flood: ${f.sent} flood messages written (${Math.round(f.sent / f.seconds)}/s), ${f.refused} refused; p99 ratio ${(during.p99 / before.p99).toFixed(2)}`,
      );
    }
    windows.push(await window('after the last flood'));
    const sorted = [...ratios].sort((x, y) => x - y);
    const result: FloodResult = {
      chats: o.chats,
      ratePerFlow: o.ratePerFlow,
      windows,
      flood: { ...total, sentRate: total.sent / total.seconds, relayed: atFloodOperator.relayed, notices: atFloodOperator.notices },
      roundRatios: ratios,
      p99Ratio: sorted[Math.floor(sorted.length / 2)] ?? Number.NaN,
    };
    return result;
  } finally {
    closeAll(conns.splice(0));
    o.log("flood: restarting the component with the bench's raised limits");
    await stack.restartWithLimits(BENCH_LIMITS);
  }
}

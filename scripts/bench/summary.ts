/**
 * The run's figures of issue 21 as one machine-readable line, the last of the report:
 *   summary: gateway/bare=0.93 log=0.96 cpu_us=31.2+9.8 p50_added_25=0.4ms p99_added_25=2.1ms rss_20k=231MB dispatch_p99=4.2ms races=0/0
 * Space-separated key=value pairs; a figure whose phase did not run is left out. Keys:
 * gateway/bare — gateway (everything on: the first evidence-log variant) ÷ bare relay, median of rounds;
 * log — gateway log on ÷ log off (each against its rounds' bare relay), median of rounds;
 * cpu_us — component + Redis CPU per relayed message, log on (µs); relay_us — the bare relay's;
 * p50_added_25 / p99_added_25 — gateway minus bare relay at 25% of the direct maximum, median of rounds;
 * sat_25 — rounds in which the gateway could not carry that load, of all;
 * rss_<N>k — component RSS peak in the scale phase, N thousand customers joined (what the phase reached, not its target);
 * dispatch_p99 — `!end` → next intro; races — double assignments / over-capacity events.
 */
import type { LatencyRow, Results } from './results.js';
import { median } from './stats.js';

const fixed = (n: number, digits: number) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

/** Per round, the gateway's percentile minus the bare relay's (the same round at the same load); median and every round. */
export function addedLatency(r: Results, share: string, q: 'p50' | 'p99'): { median: number; rounds: number[] } | undefined {
  const find = (path: string) => r.latency.find((l) => l.name === `${path} @ ${share} of direct max`);
  const g = find('gateway');
  const b = find('bare relay');
  if (!g || !b) return undefined;
  const gr = g.rounds ?? [{ p50: g.p50, p99: g.p99 }];
  const br = b.rounds ?? [{ p50: b.p50, p99: b.p99 }];
  const rounds = gr.slice(0, br.length).map((x, i) => (x[q] - (br[i] as { p50: number; p99: number })[q]) / 1000);
  return { median: median(rounds), rounds };
}

const saturatedRounds = (l: LatencyRow | undefined) =>
  l ? `${(l.rounds ?? [l]).filter((x) => x.skipped > 0).length}/${(l.rounds ?? [l]).length}` : undefined;

export function summaryLine(r: Results): string {
  const f: string[] = [];
  const on = r.gateway[0];
  if (on?.ratioToRelay !== undefined) f.push(`gateway/bare=${fixed(on.ratioToRelay, 3)}`);
  if (r.logCost) f.push(`log=${fixed(r.logCost.ratio, 3)}`);
  if (on) {
    const per = (name: string) => ((on.cpu.cpu[name] ?? Number.NaN) * 1e6) / on.delivered;
    f.push(`cpu_us=${fixed(per('component'), 1)}+${fixed(per('redis'), 1)}`);
  }
  if (r.relay) f.push(`relay_us=${fixed(((r.relay.cpu.cpu.relay ?? Number.NaN) * 1e6) / r.relay.delivered, 1)}`);
  const p50 = addedLatency(r, '25%', 'p50');
  const p99 = addedLatency(r, '25%', 'p99');
  if (p50) f.push(`p50_added_25=${fixed(p50.median, 2)}ms`);
  if (p99) f.push(`p99_added_25=${fixed(p99.median, 2)}ms`);
  const sat = saturatedRounds(r.latency.find((l) => l.name === 'gateway @ 25% of direct max'));
  if (sat) f.push(`sat_25=${sat}`);
  if (r.scale) f.push(`rss_${Math.round(r.scale.joined / 1000)}k=${fixed(r.scale.peak.componentRss / 1048576, 0)}MB`);
  if (r.dispatch) f.push(`dispatch_p99=${fixed(r.dispatch.p99 / 1000, 2)}ms`);
  if (r.races) f.push(`races=${r.races.doubleAssignments}/${r.races.overCapacity}`);
  return `summary: ${f.join(' ') || 'n/a'}`;
}

/**
 * The results as Markdown: printed, and written into BENCHMARKS.md between markers for the
 * mode (quick and full keep their own block; text outside the blocks is kept as written).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProfileSummary } from './cpu-profile.js';
import { mb } from './proc-stats.js';
import { LATENCY_THRESHOLD_MS, type CpuWindow, type RateRow, type Results, type ScaleResult } from './results.js';
import { dur, ms, perUnit } from './stats.js';
import { addedLatency, summaryLine } from './summary.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a');
const pct = (n: number | undefined) => (n !== undefined && Number.isFinite(n) ? `${Math.round(n)}%` : 'n/a');
const calls = (c: Record<string, number>) =>
  Object.entries(c)
    .map(([cmd, n]) => `${cmd} ${n < 10 ? n.toFixed(2) : Math.round(n)}`)
    .join(' · ') || 'n/a';
const cpuPct = (w: CpuWindow, name: string) => pct(((w.cpu[name] ?? Number.NaN) / w.wall) * 100);

function profileTable(title: string, p: ProfileSummary, extra = ''): string[] {
  return [
    `#### ${title}`,
    '',
    `Sampled ${ms(p.totalMs * 1000, 0)} ms; component idle ${pct(p.idlePct)} of it; GC ${pct(p.gcPct)} of busy time.${extra} Profile: \`${relative(ROOT, p.file)}\` (open in Chrome DevTools).`,
    '',
    '| # | function (self time) | where | % of busy |',
    '| --- | --- | --- | --- |',
    ...p.top.map((t, i) => `| ${i + 1} | \`${t.fn}\` | \`${t.where}\` | ${t.pct.toFixed(1)}% |`),
    '',
    `By package: ${p.byPackage.map((b) => `${b.name} ${b.pct.toFixed(0)}%`).join(' · ')}`,
    '',
  ];
}

export function renderReport(r: Results): string {
  const m = r.meta;
  const out: string[] = [
    `### ${m.mode === 'quick' ? 'Quick' : 'Full'} run${m.experiment ? ` (${m.experiment})` : ''} — ${m.date}`,
    '',
    `\`npm run bench${m.args ? ` -- ${m.args}` : ''}\` · ${m.cpus} CPUs (${m.cpuModel}) · load average before start ${m.loadAvgBefore.map((x) => x.toFixed(2)).join(' / ')} · ` +
      `commit ${m.commit} · Node ${m.node} · Prosody ${m.prosody} · Redis ${m.redis} · run took ${Math.round(m.durationS)} s · ${m.evidenceNote}`,
    '',
  ];
  const direct = r.direct;
  /** Each round's rate; † marks a round in which Redis forked for an AOF rewrite. */
  const perRound = (row: RateRow) => row.rounds.map((rate, i) => `${int(rate)}${(row.roundForks?.[i] ?? 0) > 0 ? ' †' : ''}`).join(', ');
  if (direct || r.gateway.length) {
    out.push(
      '#### 1. Throughput (closed loop, both directions, delivered messages counted at receivers)',
      '',
      `Direct, bare relay and gateway alternate ${r.gateway[0]?.rounds.length ?? 1} time(s)${r.gateway.length > 1 ? ' per evidence-log variant (the direct and bare relay rows: all rounds)' : ''}, ${((direct?.seconds ?? 0) / Math.max(1, direct?.rounds.length ?? 1)).toFixed(1)} s each after a warm-up; rates are medians over rounds, the ratio is the median of per-round ratios (their range in brackets); CPU is over all rounds; † a round in which Redis forked for an AOF rewrite.`,
      '',
      '| path | flows × window | delivered msgs/s (median) | per round | ratio to direct | ratio to bare relay | Prosody CPU | component (or relay) CPU | Redis CPU | generator CPU | p50 / p99 at saturation (ms) | undelivered |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    );
    for (const row of [direct, r.relay, ...r.gateway]) {
      if (!row) continue;
      const ratio = row.ratio !== undefined ? row.ratio.toFixed(3) : direct ? (row.rate / direct.rate).toFixed(3) : 'n/a';
      const relayRange =
        row.toRelayRounds && row.toRelayRounds.length > 1
          ? ` (${Math.min(...row.toRelayRounds).toFixed(2)}–${Math.max(...row.toRelayRounds).toFixed(2)})`
          : '';
      const toRelay = row === r.relay ? '1' : row.ratioToRelay !== undefined ? `**${row.ratioToRelay.toFixed(3)}**${relayRange}` : '–';
      const ownCpu = row === direct ? '–' : cpuPct(row.cpu, row === r.relay ? 'relay' : 'component');
      out.push(
        `| ${row.name} | ${row.flows} × ${row.window} | **${int(row.rate)}** | ${perRound(row)} | ${row === direct ? '1' : `**${ratio}**${row.ratioRange ? ` (${row.ratioRange.map((x) => x.toFixed(2)).join('–')})` : ''}`} | ${toRelay} | ${cpuPct(row.cpu, 'prosody')} | ${ownCpu} | ${row === direct || row === r.relay ? '–' : cpuPct(row.cpu, 'redis')} | ${cpuPct(row.cpu, 'bench')} | ${ms(row.p50)} / ${ms(row.p99)} | ${row.undelivered} |`,
      );
    }
    out.push('');
    if (r.relay) {
      const relayS = r.relay.cpu.cpu.relay ?? Number.NaN;
      out.push(
        `- bare relay (scripts/bench/bare-relay.ts: rewrites two addresses, nothing else): **${((relayS * 1e6) / r.relay.delivered).toFixed(1)} µs per relayed message** of its own CPU; Prosody ${cpuPct(r.relay.cpu, 'prosody')}. Its ratio to direct is the ceiling for any component on this Prosody and machine.`,
      );
    }
    if (r.logCost)
      out.push(
        `- evidence log's cost, gateway log on ÷ log off (each round ÷ its bare relay, the variants' rounds paired in order): **${r.logCost.ratio.toFixed(3)}** (per round ${r.logCost.rounds.map((x) => x.toFixed(2)).join(', ')}).`,
      );
    for (const g of r.gateway) {
      const compS = g.cpu.cpu.component ?? Number.NaN;
      const perMsg = (compS * 1e6) / g.delivered;
      out.push(
        `- ${g.name}: component CPU **${Number.isFinite(perMsg) ? perMsg.toFixed(1) : 'n/a'} µs per relayed message** (${compS.toFixed(2)} CPU s / ${int(g.delivered)} messages), Redis ${(((g.cpu.cpu.redis ?? Number.NaN) * 1e6) / g.delivered).toFixed(1)} µs; ` +
          `generator CPU ${cpuPct(g.cpu, 'bench')} vs Prosody ${cpuPct(g.cpu, 'prosody')}; ` +
          `Redis commands per relayed message (those run inside Lua included): ${calls(perUnit(g.redisCalls, g.delivered))}; ` +
          `Redis used_memory grew ${g.redisBytesPerMessage !== undefined && Number.isFinite(g.redisBytesPerMessage) ? Math.round(g.redisBytesPerMessage) : 'n/a'} bytes per relayed message.`,
      );
    }
    if (direct)
      out.push(
        `- direct: generator CPU ${cpuPct(direct.cpu, 'bench')} vs Prosody ${cpuPct(direct.cpu, 'prosody')} (the generator must stay below Prosody).`,
      );
    out.push('');
  }
  if (r.latency.length) {
    out.push(
      '#### 2. One-way latency at a fixed offered load',
      '',
      `Per load the paths alternate in ${r.latency[0]?.rounds?.length ?? 1} round(s); p50/p95/p99 are medians over rounds, "p99 per round" lists each (‡ a round with sends skipped, † one in which Redis forked); CPU over all rounds' windows.`,
      '',
      `| path | offered msgs/s | achieved msgs/s | p50 (ms) | p95 (ms) | p99 (ms) | p99 per round (ms) | worst (ms, at s) | samples | sends skipped (window full) | Redis forks | Redis's own stalls ≥ ${LATENCY_THRESHOLD_MS} ms (longest per event) | Prosody / component (or relay) / Redis CPU |`,
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    );
    for (const l of r.latency) {
      const stalls =
        l.redisStalls === undefined ? 'n/a' : l.redisStalls.map((st) => `${st.event} ${int(st.maxMs)} ms`).join(', ') || 'none';
      const rounds = (l.rounds ?? []).map((x) => `${ms(x.p99, 1)}${x.skipped > 0 ? ' ‡' : ''}${x.forks > 0 ? ' †' : ''}`).join(', ') || '–';
      const busy = (l.rounds ?? [l]).filter((x) => x.skipped > 0).length;
      const sat = busy > 0 ? ` (**saturated** in ${busy} of ${(l.rounds ?? [l]).length} round(s): the path could not carry this load)` : '';
      const own = l.name.startsWith('bare relay') ? 'relay' : 'component';
      const cpu = l.cpu
        ? `${cpuPct(l.cpu, 'prosody')} / ${l.name.startsWith('direct') ? '–' : cpuPct(l.cpu, own)} / ${cpuPct(l.cpu, 'redis')}`
        : 'n/a';
      out.push(
        `| ${l.name}${sat} | ${int(l.offered)} | ${int(l.achieved)} | ${ms(l.p50)} | ${ms(l.p95)} | ${ms(l.p99)} | ${rounds} | ${ms(l.worst, 0)} at ${l.worstAtS.toFixed(1)} | ${int(l.count)} | ${int(l.skipped)} | ${Number.isFinite(l.redisForks) ? l.redisForks : 'n/a'}${l.redisForks > 0 && Number.isFinite(l.redisForkPauseUs) ? ` (fork() ${ms(l.redisForkPauseUs ?? 0)} ms)` : ''} | ${stalls} | ${cpu} |`,
      );
    }
    out.push('');
    for (const share of [...new Set(r.latency.map((l) => /@ (\d+%)/.exec(l.name)?.[1]).filter((x): x is string => !!x))]) {
      const p50 = addedLatency(r, share, 'p50');
      const p99 = addedLatency(r, share, 'p99');
      if (p50 && p99)
        out.push(
          `- Added by the gateway over the bare relay @ ${share} of direct max, median of rounds: p50 **${p50.median.toFixed(2)} ms** (per round ${p50.rounds.map((x) => x.toFixed(2)).join(', ')}), p99 **${p99.median.toFixed(2)} ms** (per round ${p99.rounds.map((x) => x.toFixed(1)).join(', ')}).`,
        );
    }
    const byLoad = new Map<string, { d?: number; b?: number; g?: number }>();
    for (const l of r.latency) {
      const load = l.name.replace(/^(direct|bare relay|gateway) /, '');
      const e = byLoad.get(load) ?? {};
      if (l.name.startsWith('direct')) e.d = l.p99;
      else if (l.name.startsWith('bare relay')) e.b = l.p99;
      else e.g = l.p99;
      byLoad.set(load, e);
    }
    for (const [load, e] of byLoad) {
      if (e.d !== undefined && e.g !== undefined)
        out.push(
          `- Added p99 by the gateway ${load}: **${ms(e.g - e.d)} ms**${e.b !== undefined ? ` (by the bare relay: ${ms(e.b - e.d)} ms)` : ''}.`,
        );
    }
    out.push('');
  }
  if (r.dispatch) {
    const d = r.dispatch;
    out.push(
      "#### 3. Dispatch latency (operator sends `!end` → next customer's intro arrives at that operator)",
      '',
      `${d.samples} samples, one at a time; ${d.operators} operators of capacity 1, all full; ${d.waitingAtStart} customers waiting at the start.`,
      '',
      `| round trip | p50 (ms) | p99 (ms) | max (ms) |`,
      '| --- | --- | --- | --- |',
      `| **\`!end\` → next intro** | **${ms(d.p50)}** | **${ms(d.p99)}** | ${ms(d.max)} |`,
      `| floor: XMPP ping to the desk, same operator, interleaved | ${ms(d.ping.p50)} | ${ms(d.ping.p99)} | ${ms(d.ping.max)} |`,
      '',
    );
  }
  const s = r.scale;
  const perJoin = (x: ScaleResult, name: string) => (((x.cpu.cpu[name] ?? Number.NaN) * 1000) / Math.max(1, x.joined)).toFixed(2);
  if (s) {
    out.push(
      `#### 4. Scale (anonymous WebSocket customers joining one desk while operators work through the queue)`,
      '',
      `${int(s.logins)} of ${int(s.target)} customers logged in (${s.loginFailures} failed${s.loginErrors.length ? `: ${s.loginErrors.join('; ')}` : ''}) in ${s.loginSeconds.toFixed(1)} s; ` +
        `${s.operators} operators × capacity ${s.cap}; ${int(s.joined)} joined, ${int(s.welcomed)} got the queued reply, **${int(s.connected)} connected** to an operator in ${s.seconds.toFixed(1)} s` +
        `${s.timedOut ? ' (**stopped at the phase deadline before the queue was worked through**)' : ''}; peak queue ${int(s.peakWaiting)}; ${int(s.chatsEnded)} chats ended by operators.`,
      '',
      '| measure | value |',
      '| --- | --- |',
      `| join → queued reply p50 / p99 | ${dur(s.joinToWelcome.p50)} / ${dur(s.joinToWelcome.p99)} |`,
      `| join → connected p50 / p99 (includes waiting in line) | ${dur(s.joinToConnected.p50)} / ${dur(s.joinToConnected.p99)} |`,
      `| dispatch under load (\`!end\` → next intro, queue ≥ 10) p50 / p99 | ${dur(s.dispatch.p50)} / ${dur(s.dispatch.p99)} (${int(s.dispatch.samples)} samples) |`,
      ...(s.floor
        ? [
            `| floor under the burst: XMPP ping answered by Prosody itself p50 / p99 | ${dur(s.floor.server.p50)} / ${dur(s.floor.server.p99)} (${int(s.floor.server.samples)} samples) |`,
            `| floor under the burst: XMPP ping answered by the component, through Prosody, p50 / p99 | ${dur(s.floor.component.p50)} / ${dur(s.floor.component.p99)} (${int(s.floor.component.samples)} samples) |`,
          ]
        : []),
      `| component RSS peak / end | ${mb(s.peak.componentRss)} / ${mb(s.end.componentRss)} |`,
      `| component V8 heap in use, peak | ${mb(s.peak.componentHeap)} |`,
      `| component write backlog peak: to Prosody / to Redis (bytes queued in its sockets) | ${mb(s.peak.xmppBacklog)} / ${mb(s.peak.redisBacklog)} |`,
      `| Prosody RSS peak / end | ${mb(s.peak.prosodyRss)} / ${mb(s.end.prosodyRss)} |`,
      `| Redis used_memory peak / end | ${mb(s.peak.redisUsed)} / ${mb(s.end.redisUsed)} |`,
      `| load generator RSS peak | ${mb(s.peak.benchRss)} |`,
      `| position updates received by customers | ${int(s.positionUpdates)} (${(s.positionUpdates / Math.max(1, s.joined)).toFixed(1)} per customer) |`,
      `| Redis calls per joined customer (whole phase, incl. the sampler's 1/s status read) | ${s.redisCallsPerCustomer === undefined ? '' : `${s.redisCallsPerCustomer.toFixed(1)}: `}${calls(s.redisPerCustomer)} |`,
      `| desk presences received by operators | ${int(s.deskPresencesToOperators)} (${(s.deskPresencesToOperators / Math.max(1, s.operators)).toFixed(0)} per operator) |`,
      `| CPU over the phase: Prosody / component / Redis / generator | ${cpuPct(s.cpu, 'prosody')} / ${cpuPct(s.cpu, 'component')} / ${cpuPct(s.cpu, 'redis')} / ${cpuPct(s.cpu, 'bench')} |`,
      `| CPU per joined customer (whole chat, logins included): Prosody / component / Redis | ${perJoin(s, 'prosody')} / ${perJoin(s, 'component')} / ${perJoin(s, 'redis')} ms |`,
      '',
    );
  }
  const x = r.races;
  if (x) {
    out.push(
      '#### 5. Races (dispatch paths sharing one Redis, small capacities)',
      '',
      `${int(x.customers)} customers joined at once (${x.joinErrors} failed), split over ${x.instances} dispatch paths (store + dispatcher + session ender, each on its own Redis connection, one key prefix) — Prosody refuses a second connection for one component domain, so two component instances are played in one process; ` +
        `${x.operators} operators of capacity ${x.capacities}; each chat ended after 0–${x.holdMs} ms by a random path. All joined in ${x.joinSeconds.toFixed(1)} s; ${int(x.ended)} chats ended in ${x.seconds.toFixed(1)} s${x.timedOut ? ' (**deadline reached first**)' : ''}.`,
      '',
      '| measure | value | target |',
      '| --- | --- | --- |',
      `| tickets assigned / intros sent (per path) | ${int(x.assigned)} / ${int(x.introsSent)} (${x.perInstance.map(int).join(' + ')}) | equal |`,
      `| **double assignments** (a ticket introduced twice) | **${x.doubleAssignments}** | 0 |`,
      `| **over-capacity events** (reported by Redis with each assignment) | **${x.overCapacity}** | 0 |`,
      `| atomic load samples with an operator over its max | ${x.sampledOver} of ${int(x.samples)} | 0 |`,
      `| operators whose final load ≠ their chats, or over max / customers still waiting | ${x.inconsistent} / ${x.waitingAtEnd} | 0 / 0 |`,
      '',
    );
  }
  const tk = r.takeover;
  if (tk) {
    const ms = (v: number) => (Number.isNaN(v) ? '—' : `${int(v)} ms`);
    out.push(
      '#### Hot standby takeover (issue 19)',
      '',
      `${tk.chats} chats and ${tk.waiting} waiting customers on one desk; a second component instance with the same config waits (Prosody refuses it with \`conflict\`); then kill -9 of the active one, ${tk.rounds.length} times (a fresh standby each round). Times after the kill:`,
      '',
      '| round | Prosody bounces the desk (noticed) | standby /readyz 200 | **first message relayed again** |',
      '| --- | --- | --- | --- |',
      ...tk.rounds.map((x, i) => `| ${i + 1} | ${ms(x.detectedMs)} | ${ms(x.readyMs)} | **${ms(x.servedMs)}** |`),
      '',
      `After the last round: ${tk.chatsContinuing}/${tk.chats} chats continue under their masked JIDs; ${tk.waitingAfter}/${tk.waiting} customers still waiting. Target: ≤ 5 s.`,
      '',
    );
  }
  if (r.profile || s?.profile || r.evidenceCost) out.push('#### 6. Where the component spends its CPU', '');
  if (r.evidenceCost) {
    out.push(
      '#### The evidence log alone (records shaped like a relayed message, appended from the bench process to the same Redis)',
      '',
      '| variant | records | records/s | appender CPU per record | Redis CPU per record | append → in Redis p50 / p99 |',
      '| --- | --- | --- | --- | --- | --- |',
      ...r.evidenceCost.map(
        (e) =>
          `| ${e.variant} | ${int(e.records)} | ${int(e.recordsPerSecond)} | **${e.nodeUsPerRecord.toFixed(1)} µs** | **${e.redisUsPerRecord.toFixed(1)} µs** | ${e.appendP50Ms === undefined ? '–' : `${e.appendP50Ms.toFixed(2)} / ${(e.appendP99Ms ?? 0).toFixed(2)} ms`} |`,
      ),
      '',
    );
  }
  if (r.profile)
    out.push(
      ...profileTable(
        `Throughput window (gateway closed loop, evidence log ${r.profile.variant ?? 'as-is'})`,
        r.profile,
        ` Delivered ${int(r.profile.rateWhileProfiling)} msgs/s while profiling.`,
      ),
    );
  if (s?.profile) out.push(...profileTable('Scale phase (first part)', s.profile));
  const f = r.flood;
  if (f) {
    const fl = f.flood;
    out.push(
      "#### 7. Flood isolation (one customer floods its chat; the other chats' one-way latency)",
      '',
      `${f.chats} quiet chats, ${f.ratePerFlow} msgs/s per flow both ways (${f.chats * 2 * f.ratePerFlow} msgs/s), paced; the component with the shipped limits (config/schema.ts). ` +
        `The flooder wrote ${int(fl.sent)} messages in ${fl.seconds.toFixed(1)} s (**${int(fl.sentRate)}/s**, as fast as its socket drained): ${int(fl.refused)} refused with policy-violation, ${int(fl.busy)} with resource-constraint` +
        `${fl.otherErrors ? `, ${int(fl.otherErrors)} other errors` : ''}; its operator got ${int(fl.relayed)} of them and ${fl.notices} notice(s).`,
      '',
      '| window | samples | msgs/s | p50 (ms) | p99 (ms) | worst (ms) | Prosody / component / Redis / generator CPU | undelivered |',
      '| --- | --- | --- | --- | --- | --- | --- | --- |',
      ...f.windows.map(
        (w) =>
          `| ${w.name} | ${int(w.count)} | ${int(w.achieved)} | ${ms(w.p50)} | **${ms(w.p99)}** | ${ms(w.worst)} | ${cpuPct(w.cpu, 'prosody')} / ${cpuPct(w.cpu, 'component')} / ${cpuPct(w.cpu, 'redis')} / ${cpuPct(w.cpu, 'bench')} | ${w.undelivered} |`,
      ),
      '',
      `Quiet chats' p99 during the flood / without it, median of ${f.roundRatios.length} alternating rounds: **${f.p99Ratio.toFixed(2)}** ` +
        `(rounds: ${f.roundRatios.map((x) => x.toFixed(2)).join(', ')}; goal ≤ 1.20).`,
      '',
    );
  }
  const e = r.sse;
  if (e) {
    out.push(
      "#### 8. Idle status streams (the widget loader's GET /api/status/stream)",
      '',
      `${int(e.streams)} streams opened in ${e.connectSeconds.toFixed(2)} s, then held idle ${e.holdSeconds} s. ` +
        `Component RSS ${mb(e.rssBeforeBytes)} → ${mb(e.rssAfterBytes)}: **${mb(e.rssPer1000Bytes)} per 1,000 streams**; ` +
        `CPU ${e.cpuPercentBaseline.toFixed(1)} % of a core without them, ${e.cpuPercentIdle.toFixed(1)} % with them: **${e.cpuPercentPer1000.toFixed(1)} % per 1,000 idle streams**.`,
      '',
    );
  }
  if (r.notes.length) out.push('#### Notes', '', ...r.notes.map((n) => `- ${n}`), '');
  out.push(summaryLine(r), '');
  return out.join('\n');
}

const HEADER = `# Benchmarks

Produced by \`npm run bench\` (full, ≤ 10 min on 2 cores) and \`npm run bench -- --quick\` (≤ 60 s smoke check):
one run starts a throwaway stack (Redis, Prosody with the project's config and no \`mod_limits\`, the component)
on free loopback ports and measures the gateway against the direct client-to-client path through the same
Prosody, so a shared machine's noise mostly cancels out. Numbers are reported, never asserted.
The generated blocks below are replaced on each run of their mode; everything else in this file is kept.
`;

export function writeBenchmarksFile(path: string, mode: string, block: string): void {
  const start = `<!-- bench:${mode}:start -->`;
  const end = `<!-- bench:${mode}:end -->`;
  const content = existsSync(path) ? readFileSync(path, 'utf8') : HEADER;
  const section = `${start}\n${block.trim()}\n${end}`;
  const i = content.indexOf(start);
  const j = content.indexOf(end);
  const next =
    i !== -1 && j > i
      ? content.slice(0, i) + section + content.slice(j + end.length)
      : `${content.trimEnd()}\n\n## Latest ${mode} run\n\n${section}\n`;
  writeFileSync(path, next);
}

/**
 * Profiles a chosen window of the component with V8's CPU profiler (the one behind
 * `node --cpu-prof`, same 1 ms sampling), driven over the inspector protocol on the loopback
 * port the bench gave the component, and summarises self time by function and by package.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Inspector } from './inspector.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
}
export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** Share of samples in which the component was idle (waiting for I/O). */
  idlePct: number;
  gcPct: number;
  top: { fn: string; where: string; selfMs: number; pct: number }[];
  byPackage: { name: string; pct: number }[];
  file: string;
}

export async function startProfiler(inspector: Inspector, samplingUs = 1000) {
  await inspector.call('Profiler.enable');
  await inspector.call('Profiler.setSamplingInterval', { interval: samplingUs });
  await inspector.call('Profiler.start');
  return {
    async stop(file: string): Promise<ProfileSummary> {
      const { profile } = (await inspector.call('Profiler.stop')) as { profile: CpuProfile };
      writeFileSync(file, JSON.stringify(profile));
      return summarise(profile, file);
    },
  };
}

function where(cf: CallFrame): string {
  if (!cf.url) return '(native)';
  let u = cf.url.replace(/^file:\/\//, '');
  if (u.startsWith(ROOT)) u = u.slice(ROOT.length);
  u = u.replace(/^node_modules\//, '');
  return `${u}:${cf.lineNumber + 1}`;
}

function packageOf(cf: CallFrame): string {
  if (cf.functionName === '(garbage collector)') return 'GC';
  if (cf.functionName === '(program)' || !cf.url) return cf.functionName.startsWith('(') ? cf.functionName : 'native / V8 builtins';
  const u = cf.url.replace(/^file:\/\//, '');
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(u);
  if (nm) return nm[1] as string;
  if (u.startsWith('node:')) return 'node core';
  if (u.startsWith(ROOT))
    return u
      .slice(ROOT.length)
      .replace(/^\.build\//, '')
      .split('/')
      .slice(0, 2)
      .join('/'); // compiled: named by its source dir
  return 'other';
}

export function summarise(profile: CpuProfile, file: string, n = 5): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0; // the delta after a sample is its duration
    selfUs.set(id, (selfUs.get(id) ?? 0) + dt);
    total += dt;
  });
  const byFn = new Map<string, { fn: string; where: string; us: number }>();
  const byPkg = new Map<string, number>();
  let idle = 0;
  let gc = 0;
  for (const [id, us] of selfUs) {
    const cf = (byId.get(id) as ProfileNode).callFrame;
    if (cf.functionName === '(idle)') {
      idle += us;
      continue;
    }
    if (cf.functionName === '(garbage collector)') gc += us;
    const key = `${cf.functionName}@${where(cf)}`;
    const e = byFn.get(key) ?? { fn: cf.functionName || '(anonymous)', where: where(cf), us: 0 };
    e.us += us;
    byFn.set(key, e);
    const pkg = packageOf(cf);
    byPkg.set(pkg, (byPkg.get(pkg) ?? 0) + us);
  }
  const busy = Math.max(1, total - idle);
  return {
    totalMs: total / 1000,
    idlePct: (100 * idle) / Math.max(1, total),
    gcPct: (100 * gc) / busy,
    top: [...byFn.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, n)
      .map((e) => ({ fn: e.fn, where: e.where, selfMs: e.us / 1000, pct: (100 * e.us) / busy })),
    byPackage: [...byPkg.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 6)
      .map(([name, us]) => ({ name, pct: (100 * us) / busy })),
    file,
  };
}

/** CPU and memory of the stack's processes, read from /proc (Linux), and of the bench itself. */
import { readFileSync } from 'node:fs';

const CLK_TCK = 100; // sysconf(_SC_CLK_TCK) on Linux x86-64 and arm64

/** utime + stime of a process, in seconds; NaN when it is gone. */
export function cpuSeconds(pid: number | undefined): number {
  if (!pid) return Number.NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK; // fields 14 and 15 of stat(5)
  } catch {
    return Number.NaN;
  }
}

/** Resident set size in bytes; NaN when it is gone. */
export function rssBytes(pid: number | undefined): number {
  if (!pid) return Number.NaN;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

export const selfCpuSeconds = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

export interface CpuProbe {
  names: string[];
  /** CPU seconds of each process since start(), and the wall seconds. */
  stop(): { wall: number; cpu: Record<string, number> };
}

export function cpuProbe(pids: Record<string, number | undefined>): CpuProbe {
  const names = [...Object.keys(pids), 'bench'];
  const read = (): Record<string, number> => ({
    ...Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuSeconds(pid)])),
    bench: selfCpuSeconds(),
  });
  const t0 = performance.now();
  const c0 = read();
  return {
    names,
    stop() {
      const c1 = read();
      const wall = (performance.now() - t0) / 1000;
      return { wall, cpu: Object.fromEntries(names.map((n) => [n, (c1[n] ?? Number.NaN) - (c0[n] ?? Number.NaN)])) };
    },
  };
}

export const mb = (bytes: number) => (Number.isFinite(bytes) ? `${(bytes / 1048576).toFixed(1)} MB` : 'n/a');

/** Issue 14 item 3: the dev stack restarts a dead component with back-off, as Restart=always would. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import type { Managed } from '../../prosody/process.js';
import { restartDelayMs, supervise } from '../../scripts/lib/supervise.js';

function fakeProcess(pid: number) {
  let exit: (code: number | null) => void = () => undefined;
  const exited = new Promise<number | null>((r) => (exit = r));
  const child = { pid, signalCode: null } as { pid: number; signalCode: NodeJS.Signals | null };
  const managed: Managed = { name: 'component', child: child as unknown as ChildProcess, exited, stop: vi.fn(async () => exit(0)) };
  return {
    managed,
    die(signal: NodeJS.Signals | null = 'SIGKILL') {
      child.signalCode = signal;
      exit(null);
    },
  };
}

describe('supervise', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('restarts after 0.5 s, 1 s, 2 s … up to 30 s, back to 0.5 s after a healthy run, with a log line each time', async () => {
    const procs: ReturnType<typeof fakeProcess>[] = [];
    const lines: string[] = [];
    const s = supervise({
      name: 'component',
      log: (l) => lines.push(l),
      start: () => {
        const p = fakeProcess(100 + procs.length);
        procs.push(p);
        return p.managed;
      },
    });
    expect(procs).toHaveLength(1);
    const startedAt: number[] = [0];
    for (let i = 0; i < 8; i++) {
      procs.at(-1)!.die();
      const before = procs.length;
      await vi.advanceTimersByTimeAsync(restartDelayMs(i) - 1);
      expect(procs).toHaveLength(before); // not a moment too soon
      await vi.advanceTimersByTimeAsync(1);
      expect(procs).toHaveLength(before + 1);
      startedAt.push(Date.now());
    }
    expect(startedAt.slice(1).map((t, i) => t - startedAt[i]!)).toEqual([500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
    expect(lines).toContain('[supervise] component exited (SIGKILL); restarting in 0.5 s');
    expect(lines).toContain('[supervise] component started (pid 101)');
    // A run of a minute or more is healthy: the next crash restarts after 0.5 s again.
    await vi.advanceTimersByTimeAsync(60_000);
    procs.at(-1)!.die(null);
    await vi.advanceTimersByTimeAsync(500);
    expect(procs).toHaveLength(10);
    expect(s.restarts()).toBe(9);
    await s.stop();
  });

  it('stop() ends it for good: no restart after the child exits', async () => {
    const procs: ReturnType<typeof fakeProcess>[] = [];
    const s = supervise({
      name: 'c',
      log: () => undefined,
      start: () => {
        const p = fakeProcess(1);
        procs.push(p);
        return p.managed;
      },
    });
    procs[0]!.die();
    await s.stop(); // during the back-off
    await vi.advanceTimersByTimeAsync(60_000);
    expect(procs).toHaveLength(1);
  });
});

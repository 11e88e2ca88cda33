/**
 * Keeps one child process running, as systemd's Restart=always does: when it exits without
 * being asked to, it is started again after a back-off (0.5 s, doubling to 30 s), which goes
 * back to 0.5 s once the process has run for a minute. Every exit and restart is a log line.
 * stop() ends it for good (Ctrl-C of the dev stack).
 */
import type { Managed } from '../../prosody/process.js';

export interface SuperviseOptions {
  name: string;
  start(): Managed;
  log?(line: string): void;
  firstDelayMs?: number;
  maxDelayMs?: number;
  /** A run at least this long counts as healthy: the next restart waits firstDelayMs again. */
  healthyAfterMs?: number;
  now?(): number;
}

export interface Supervised {
  current(): Managed | undefined;
  /** How many times it was restarted. */
  restarts(): number;
  stop(): Promise<void>;
}

/** 0.5 s, 1 s, 2 s, … at most 30 s: the n-th consecutive quick restart. */
export const restartDelayMs = (n: number, first = 500, max = 30_000) => Math.min(first * 2 ** Math.max(0, n), max);

export function supervise(o: SuperviseOptions): Supervised {
  const log = o.log ?? ((line: string) => console.error(line));
  const now = o.now ?? Date.now;
  const first = o.firstDelayMs ?? 500;
  const max = o.maxDelayMs ?? 30_000;
  const healthyAfter = o.healthyAfterMs ?? 60_000;
  let proc: Managed | undefined;
  let stopped = false;
  let quick = 0; // consecutive restarts after short runs
  let restarts = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  function run(): void {
    const started = now();
    const p = o.start();
    proc = p;
    log(`[supervise] ${o.name} started (pid ${p.child.pid})`);
    void p.exited.then((code) => {
      if (stopped || proc !== p) return;
      const signal = p.child.signalCode;
      if (now() - started >= healthyAfter) quick = 0;
      const delay = restartDelayMs(quick, first, max);
      quick += 1;
      log(`[supervise] ${o.name} exited (${signal ?? `code ${code}`}); restarting in ${(delay / 1000).toFixed(1)} s`);
      timer = setTimeout(() => {
        timer = undefined;
        if (stopped) return;
        restarts += 1;
        run();
      }, delay);
    });
  }
  run();

  return {
    current: () => proc,
    restarts: () => restarts,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await proc?.stop();
    },
  };
}

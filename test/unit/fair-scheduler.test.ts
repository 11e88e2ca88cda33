import { describe, expect, it } from 'vitest';
import { createFairScheduler, type FairSchedulerOptions } from '../../component/lib/fair-scheduler.js';
import type { Continuation } from '../../component/lib/scheduling.js';

/** Lets every pending promise callback run (no timers involved: the tasks finish when told). */
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

function gate() {
  let open: () => void = () => undefined;
  let fail: (err: Error) => void = () => undefined;
  const promise = new Promise<void>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { promise, open, fail };
}

const OPTS: FairSchedulerOptions = { maxRunning: 64, maxInFlightPerKey: 32, maxQueuedPerKey: 256 };

/** A pipelined task whose lookup waits for its gate; the log shows lookups starting and continuations running. */
function lookup(log: string[], name: string) {
  const g = gate();
  const start = async (): Promise<Continuation> => {
    log.push(`start ${name}`);
    await g.promise;
    return async () => {
      log.push(`finish ${name}`);
    };
  };
  return { start, ...g };
}

/** A barrier task that runs until its gate opens. */
function job(log: string[], name: string) {
  const g = gate();
  const task = async () => {
    log.push(`begin ${name}`);
    await g.promise;
    log.push(`end ${name}`);
  };
  return { task, ...g };
}

describe('createFairScheduler', () => {
  it("overlaps one sender's lookups but runs their continuations in order", async () => {
    const s = createFairScheduler(OPTS);
    const log: string[] = [];
    const [a, b, c] = ['a', 'b', 'c'].map((n) => lookup(log, n)) as [
      ReturnType<typeof lookup>,
      ReturnType<typeof lookup>,
      ReturnType<typeof lookup>,
    ];
    for (const t of [a, b, c]) expect(s.pipelined('k', t.start)).toBe('queued');
    await flush();
    expect(log).toEqual(['start a', 'start b', 'start c']);
    c.open();
    b.open();
    await flush();
    expect(log).toHaveLength(3); // b and c looked up, but wait for a
    a.open();
    await flush();
    expect(log.slice(3)).toEqual(['finish a', 'finish b', 'finish c']);
    expect(s.size()).toBe(0);
    expect(s.running()).toBe(0);
  });

  it('a barrier waits for every earlier task, and nothing after it starts before it ends', async () => {
    const s = createFairScheduler(OPTS);
    const log: string[] = [];
    const a = lookup(log, 'a');
    const bar = job(log, 'barrier');
    const b = lookup(log, 'b');
    s.pipelined('k', a.start);
    s.barrier('k', bar.task);
    s.pipelined('k', b.start);
    b.open();
    await flush();
    expect(log).toEqual(['start a']);
    a.open();
    await flush();
    expect(log).toEqual(['start a', 'finish a', 'begin barrier']);
    bar.open();
    await flush();
    expect(log).toEqual(['start a', 'finish a', 'begin barrier', 'end barrier', 'start b', 'finish b']);
  });

  it("takes senders in turn: a flooder's backlog waits behind a quiet sender's next stanza", async () => {
    const s = createFairScheduler({ ...OPTS, maxRunning: 2 });
    const log: string[] = [];
    const flood = Array.from({ length: 50 }, (_, i) => job(log, `flood ${i + 1}`));
    for (const f of flood) expect(s.barrier('flooder', f.task)).toBe('queued');
    const quiet = [job(log, 'quiet 1'), job(log, 'quiet 2')];
    s.barrier('quiet', (quiet[0] as ReturnType<typeof job>).task);
    await flush();
    // One running per lane (barriers), two slots: the flooder's first and the quiet sender's.
    expect(log).toEqual(['begin flood 1', 'begin quiet 1']);
    flood[0]?.open();
    await flush();
    expect(log.slice(2)).toEqual(['end flood 1', 'begin flood 2']);
    s.barrier('quiet', (quiet[1] as ReturnType<typeof job>).task); // arrives behind 48 flood stanzas
    quiet[0]?.open();
    await flush();
    expect(log.slice(4)).toEqual(['end quiet 1', 'begin quiet 2']);
    for (const f of flood) f.open();
    quiet[1]?.open();
    await flush();
    expect(log.filter((l) => l.startsWith('end'))).toHaveLength(52);
    expect(s.size()).toBe(0);
  });

  it('shares the running slots round robin among pipelining senders', async () => {
    const s = createFairScheduler({ maxRunning: 4, maxInFlightPerKey: 32, maxQueuedPerKey: 256 });
    const log: string[] = [];
    const tasks = new Map<string, ReturnType<typeof lookup>>();
    for (const sender of ['x', 'y']) {
      for (let i = 1; i <= 10; i++) {
        const t = lookup(log, `${sender}${i}`);
        tasks.set(`${sender}${i}`, t);
        s.pipelined(sender, t.start);
      }
    }
    await flush();
    // x arrived first with 10 and took every slot; from then on the two take turns.
    expect(log).toEqual(['start x1', 'start x2', 'start x3', 'start x4']);
    for (const name of ['x1', 'x2', 'x3', 'x4']) {
      tasks.get(name)?.open();
      await flush();
    }
    expect(log.slice(4)).toEqual(['finish x1', 'start x5', 'finish x2', 'start y1', 'finish x3', 'start x6', 'finish x4', 'start y2']);
    for (const t of tasks.values()) t.open();
    await flush();
    expect(log.filter((l) => l.startsWith('finish'))).toHaveLength(20);
    expect(s.size()).toBe(0);
  });

  it("bounds each sender's backlog and says which refusal is the first since it emptied", async () => {
    const s = createFairScheduler({ maxRunning: 64, maxInFlightPerKey: 32, maxQueuedPerKey: 3 });
    const log: string[] = [];
    const running = job(log, 'running');
    s.barrier('k', running.task); // started at once: not in the backlog
    const queued = [1, 2, 3].map((i) => job(log, `queued ${i}`));
    for (const q of queued) expect(s.barrier('k', q.task)).toBe('queued');
    expect(s.barrier('k', job(log, 'x').task)).toBe('overflow');
    expect(s.barrier('k', job(log, 'y').task)).toBe('overflow-again');
    expect(s.barrier('other', job(log, 'other').task)).toBe('queued'); // others are not affected
    running.open();
    for (const q of queued) q.open();
    await flush();
    expect(log.filter((l) => l.startsWith('end') && !l.includes('other'))).toEqual([
      'end running',
      'end queued 1',
      'end queued 2',
      'end queued 3',
    ]);
    expect(s.barrier('k', job(log, 'later').task)).toBe('queued');
    expect(log).not.toContain('begin x');
    expect(log).not.toContain('begin y');
  });

  it('a failure (thrown or rejected) ends its own task only; the lane goes on', async () => {
    const s = createFairScheduler(OPTS);
    const log: string[] = [];
    s.pipelined('k', () => {
      throw new Error('sync');
    });
    s.pipelined('k', async () => {
      throw new Error('async');
    });
    s.barrier('k', async () => {
      throw new Error('barrier');
    });
    const after = lookup(log, 'after');
    s.pipelined('k', after.start);
    after.open();
    await flush();
    expect(log).toEqual(['start after', 'finish after']);
    expect(s.size()).toBe(0);
    expect(s.running()).toBe(0);
  });

  it("caps one sender's lookups in flight; the next starts when the oldest finishes", async () => {
    const s = createFairScheduler({ ...OPTS, maxInFlightPerKey: 2 });
    const log: string[] = [];
    const [a, b, c] = ['a', 'b', 'c'].map((n) => lookup(log, n)) as [
      ReturnType<typeof lookup>,
      ReturnType<typeof lookup>,
      ReturnType<typeof lookup>,
    ];
    for (const t of [a, b, c]) s.pipelined('k', t.start);
    await flush();
    expect(log).toEqual(['start a', 'start b']);
    a.open();
    await flush();
    expect(log).toEqual(['start a', 'start b', 'finish a', 'start c']);
    c.open();
    b.open();
    await flush();
    expect(log.slice(4)).toEqual(['finish b', 'finish c']);
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { pino } from 'pino';
import { createCoalescer, createKeyedSerializer, createPipelinedSerializer, createSharedRead } from '../../component/services/scheduling.js';

const log = pino({ level: 'silent' });

describe('createCoalescer', () => {
  beforeEach(() => { vi.useFakeTimers(); });
  afterEach(() => { vi.useRealTimers(); });

  it('runs once per window however often it is scheduled', async () => {
    const c = createCoalescer(log);
    const fn = vi.fn(async () => undefined);
    for (let i = 0; i < 5; i++) c.schedule('a', 20, fn);
    await vi.advanceTimersByTimeAsync(20);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('never overlaps runs of one key: a call during a run schedules exactly one more, after it', async () => {
    const c = createCoalescer(log);
    let running = 0;
    let maxRunning = 0;
    let release: () => void = () => undefined;
    const fn = vi.fn(async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      await new Promise<void>((r) => { release = r; });
      running--;
    });
    c.schedule('a', 10, fn);
    await vi.advanceTimersByTimeAsync(10); // first run starts and hangs
    c.schedule('a', 10, fn);
    c.schedule('a', 10, fn);
    await vi.advanceTimersByTimeAsync(100);
    expect(fn).toHaveBeenCalledTimes(1); // the slow run still holds the key
    release();
    await vi.advanceTimersByTimeAsync(10);
    expect(fn).toHaveBeenCalledTimes(2);
    release();
    await vi.advanceTimersByTimeAsync(100);
    expect(fn).toHaveBeenCalledTimes(2);
    expect(maxRunning).toBe(1);
  });

  it('keeps minGapMs between the starts of runs of one key (throttle)', async () => {
    const c = createCoalescer(log);
    const starts: number[] = [];
    const fn = async () => { starts.push(Date.now()); };
    c.schedule('d', 20, fn, 1000);
    await vi.advanceTimersByTimeAsync(20);
    c.schedule('d', 20, fn, 1000);
    await vi.advanceTimersByTimeAsync(500);
    expect(starts).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(500);
    expect(starts).toHaveLength(2);
    expect((starts[1] as number) - (starts[0] as number)).toBeGreaterThanOrEqual(1000);
  });

  it('cancelAll drops what is pending', async () => {
    const c = createCoalescer(log);
    const fn = vi.fn(async () => undefined);
    c.schedule('a', 10, fn);
    c.cancelAll();
    await vi.advanceTimersByTimeAsync(50);
    expect(fn).not.toHaveBeenCalled();
  });
});

describe('createSharedRead', () => {
  it('shares a read among callers, but never one that started before they asked', async () => {
    const read = createSharedRead<number>();
    let version = 0;
    const releases: (() => void)[] = [];
    const fn = vi.fn(() => new Promise<number>((r) => { const v = ++version; releases.push(() => r(v)); }));
    const first = read('k', fn); // starts read 1
    const second = read('k', fn); // read 1 is in flight: waits for read 2
    const third = read('k', fn); // shares read 2
    expect(fn).toHaveBeenCalledTimes(1);
    releases[0]?.();
    expect(await first).toBe(1);
    await vi.waitFor(() => expect(fn).toHaveBeenCalledTimes(2));
    releases[1]?.();
    expect(await second).toBe(2);
    expect(await third).toBe(2);
    const fourth = read('k', fn); // nothing in flight: a fresh read
    releases[2]?.();
    expect(await fourth).toBe(3);
  });

  it('a failed read does not block the next one', async () => {
    const read = createSharedRead<number>();
    await expect(read('k', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await read('k', () => Promise.resolve(7))).toBe(7);
  });
});

describe('createKeyedSerializer', () => {
  it('runs tasks of one key in order', async () => {
    const serialize = createKeyedSerializer();
    const order: number[] = [];
    await Promise.all([1, 2, 3].map((n) => serialize('k', async () => {
      await new Promise((r) => setTimeout(r, 5 - n));
      order.push(n);
    })));
    expect(order).toEqual([1, 2, 3]);
  });
});

describe('createPipelinedSerializer', () => {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  /** A task whose lookup takes `lookupMs`; the log shows when lookups start and continuations run. */
  const task = (log: string[], name: string, lookupMs: number) => async () => {
    log.push(`start ${name}`);
    await sleep(lookupMs);
    return async () => { log.push(`finish ${name}`); };
  };

  it('overlaps the lookups of one key but runs the continuations in order', async () => {
    const lanes = createPipelinedSerializer();
    const log: string[] = [];
    await Promise.all([lanes.pipelined('k', task(log, 'a', 30)), lanes.pipelined('k', task(log, 'b', 1)), lanes.pipelined('k', task(log, 'c', 10))]);
    // All three lookups began before the slowest returned; b and c finished theirs first yet wait for a.
    expect(log).toEqual(['start a', 'start b', 'start c', 'finish a', 'finish b', 'finish c']);
    expect(lanes.size()).toBe(0);
  });

  it('a barrier waits for every earlier task, and nothing after it starts before it ends', async () => {
    const lanes = createPipelinedSerializer();
    const log: string[] = [];
    const runs = [
      lanes.pipelined('k', task(log, 'a', 10)),
      lanes.barrier('k', async () => { log.push('barrier begins'); await sleep(10); log.push('barrier ends'); }),
      lanes.pipelined('k', task(log, 'b', 1)),
    ];
    await Promise.all(runs);
    expect(log).toEqual(['start a', 'finish a', 'barrier begins', 'barrier ends', 'start b', 'finish b']);
  });

  it('keys do not wait for each other', async () => {
    const lanes = createPipelinedSerializer();
    const log: string[] = [];
    await Promise.all([lanes.barrier('slow', async () => { await sleep(30); log.push('slow'); }), lanes.pipelined('fast', task(log, 'fast', 1))]);
    expect(log).toEqual(['start fast', 'finish fast', 'slow']);
  });

  it('a failed lookup fails its own task, in its turn, and the next one still runs', async () => {
    const lanes = createPipelinedSerializer();
    const log: string[] = [];
    const failing = lanes.pipelined('k', async () => { await sleep(1); throw new Error('no such chat'); });
    const before = lanes.pipelined('k', task(log, 'after', 1));
    await expect(failing).rejects.toThrow('no such chat');
    await before;
    expect(log).toEqual(['start after', 'finish after']);
  });

  it('caps the lookups in flight per key', async () => {
    const lanes = createPipelinedSerializer(2);
    const log: string[] = [];
    await Promise.all(['a', 'b', 'c'].map((n) => lanes.pipelined('k', task(log, n, 5))));
    expect(log).toEqual(['start a', 'start b', 'finish a', 'finish b', 'start c', 'finish c']);
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { pino } from 'pino';
import { createCoalescer, createKeyedSerializer, createSharedRead } from '../../component/lib/scheduling.js';

const log = pino({ level: 'silent' });

describe('createCoalescer', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

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
      await new Promise<void>((r) => {
        release = r;
      });
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
    const fn = async () => {
      starts.push(Date.now());
    };
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
    const fn = vi.fn(
      () =>
        new Promise<number>((r) => {
          const v = ++version;
          releases.push(() => r(v));
        }),
    );
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
    await Promise.all(
      [1, 2, 3].map((n) =>
        serialize('k', async () => {
          await new Promise((r) => setTimeout(r, 5 - n));
          order.push(n);
        }),
      ),
    );
    expect(order).toEqual([1, 2, 3]);
  });
});

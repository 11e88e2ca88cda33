/** Bounded sample recorders and percentiles (nearest rank). */
export interface Recorder {
  add(v: number): void;
  count(): number;
  /** Percentile p in [0, 1]; NaN when empty. Sorts once, lazily. */
  p(p: number): number;
  mean(): number;
}

export function createRecorder(capacity: number): Recorder {
  const values = new Float64Array(capacity);
  let n = 0;
  let sorted: Float64Array | undefined;
  return {
    add(v) {
      if (n < capacity) values[n++] = v;
      sorted = undefined;
    },
    count: () => n,
    p(p) {
      if (n === 0) return Number.NaN;
      sorted ??= values.slice(0, n).sort();
      return sorted[Math.min(n - 1, Math.max(0, Math.ceil(p * n) - 1))] as number;
    },
    mean() {
      let s = 0;
      for (let i = 0; i < n; i++) s += values[i] as number;
      return n ? s / n : Number.NaN;
    },
  };
}

/** A duration in µs for people: ms below 10 s, seconds above. */
export const dur = (us: number) =>
  !Number.isFinite(us) ? 'n/a' : us >= 10e6 ? `${(us / 1e6).toFixed(1)} s` : `${(us / 1000).toFixed(1)} ms`;

/** Microseconds as milliseconds for tables. */
export const ms = (us: number, digits = 2) => (Number.isFinite(us) ? (us / 1000).toFixed(digits) : 'n/a');

/** Calls per unit (message, customer), the bench's own INFO/CONFIG calls left out, biggest first. */
export function perUnit(calls: Record<string, number>, units: number): Record<string, number> {
  return Object.fromEntries(
    Object.entries(calls)
      .filter(([cmd]) => cmd !== 'info' && cmd !== 'config|resetstat' && cmd !== 'config')
      .map(([cmd, n]) => [cmd, n / Math.max(1, units)] as const)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8),
  );
}

/** The median (mean of the middle two for an even count); NaN when empty. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? Number.NaN : n % 2 ? (s[(n - 1) / 2] as number) : ((s[n / 2 - 1] as number) + (s[n / 2] as number)) / 2;
}

/** The lowest and highest value. */
export const spread = (xs: readonly number[]): [number, number] => [Math.min(...xs), Math.max(...xs)];

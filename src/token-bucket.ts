/**
 * Per-sender token buckets (issue 14 item 5): each sender may spend `burst` tokens at once and
 * earns `perSecond` back, up to `burst`. A message that finds too few tokens is refused (and
 * costs nothing). A refusal *episode* starts with the first refusal and lasts until the bucket
 * has refilled completely, so "tell the operator once per burst" is one notice per episode, not
 * one per refused message, however long a flood lasts.
 *
 * Memory stays bounded by the senders active lately: a full bucket is the same as no bucket,
 * so buckets that have refilled are forgotten (swept at most every `sweepMs`).
 * Pure: the clock is injected.
 */
export interface RateSpec {
  /** Tokens earned per second (sustained rate). */
  perSecond: number;
  /** The most tokens a sender can hold (largest burst). */
  burst: number;
}

export interface TakeResult {
  allowed: boolean;
  /** The first refusal of an episode (the moment to tell someone, once). */
  episodeStart: boolean;
}

interface Bucket {
  tokens: number;
  at: number;
  refusing: boolean;
}

export function createRateLimiter(spec: RateSpec, now: () => number, sweepMs = 10_000) {
  const { perSecond, burst } = spec;
  const buckets = new Map<string, Bucket>();
  let lastSweep = now();

  const refill = (b: Bucket, t: number): void => {
    if (t > b.at) b.tokens = Math.min(burst, b.tokens + ((t - b.at) / 1000) * perSecond);
    b.at = Math.max(b.at, t); // a clock stepping back earns nothing
  };

  function sweep(t = now()): void {
    lastSweep = t;
    for (const [key, b] of buckets) {
      refill(b, t);
      if (b.tokens >= burst) buckets.delete(key);
    }
  }

  return {
    /** Spends `cost` tokens of `key`'s bucket if it holds them. */
    take(key: string, cost = 1): TakeResult {
      const t = now();
      if (t - lastSweep >= sweepMs) sweep(t);
      let b = buckets.get(key);
      if (!b) buckets.set(key, (b = { tokens: burst, at: t, refusing: false }));
      else refill(b, t);
      if (b.tokens >= burst) b.refusing = false; // refilled: the last episode is over
      if (b.tokens >= cost) {
        b.tokens -= cost;
        return { allowed: true, episodeStart: false };
      }
      const episodeStart = !b.refusing;
      b.refusing = true;
      return { allowed: false, episodeStart };
    },
    /** Forgets every bucket that has refilled (called by take() every `sweepMs`). */
    sweep,
    /** Senders currently remembered. */
    size: () => buckets.size,
  };
}
export type RateLimiter = ReturnType<typeof createRateLimiter>;

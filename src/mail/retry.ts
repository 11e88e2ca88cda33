/**
 * When a mail that failed is tried again, and when the queue stops trying (issue 17). Pure:
 * the sender (component/services/mail-sender.ts) hands in the clock.
 */
export interface RetryPolicy {
  baseMs: number;
  maxMs: number;
  giveUpMs: number;
}

/** Exponential backoff: base, 2·base, 4·base, … capped at max; `attempt` counts failures so far (1 = first). */
export function retryDelayMs(attempt: number, policy: Pick<RetryPolicy, 'baseMs' | 'maxMs'>): number {
  const n = Math.max(1, Math.floor(attempt));
  return Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(n - 1, 40));
}

export type FailureVerdict = { kind: 'retry'; at: number } | { kind: 'give-up'; why: 'expired' | 'refused' };

/**
 * After a failure: a 5xx reply (RFC 5321 §4.2.1: permanent) refuses for good; anything else
 * (4xx, connection refused, timeout) is retried until giveUpMs after the mail was queued.
 */
export function afterFailure(
  p: { createdAt: number; attempt: number; now: number; responseCode?: number },
  policy: RetryPolicy,
): FailureVerdict {
  if (p.responseCode !== undefined && p.responseCode >= 500 && p.responseCode < 600) return { kind: 'give-up', why: 'refused' };
  const at = p.now + retryDelayMs(p.attempt, policy);
  if (at > p.createdAt + policy.giveUpMs) return { kind: 'give-up', why: 'expired' };
  return { kind: 'retry', at };
}

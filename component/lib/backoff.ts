/**
 * Reconnect delays: exponential, capped, with "equal jitter" (half the step fixed, half random),
 * so a fleet of instances that lost the server at the same moment does not reconnect in lockstep,
 * while each still waits at least half its step.
 * https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
 */
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

/** The delay before retry number `attempt` (0-based); `random` returns [0, 1). */
export function backoffDelay(attempt: number, { baseMs, maxMs }: BackoffOptions, random: () => number = Math.random): number {
  const step = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt));
  return Math.round(step / 2 + random() * (step / 2));
}

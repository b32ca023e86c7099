/**
 * When a failed delivery is tried again: exponential backoff with jitter, the first retry
 * within `firstMs` (10 s), then doubling up to `maxMs` (10 min) apart, until `giveUpMs` (24 h)
 * after the change. The jitter (each delay drawn from its upper half) keeps deliveries that
 * failed together from all coming back at the same instant.
 */
export interface RetryPolicy {
  firstMs: number;
  maxMs: number;
  giveUpMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  firstMs: 10_000,
  maxMs: 600_000,
  giveUpMs: 24 * 3600_000,
};

/** The wait after failed attempt number `attempt` (1 for the first). */
export function retryDelayMs(attempt: number, policy: RetryPolicy, random = Math.random): number {
  const base = Math.min(policy.maxMs, policy.firstMs * 2 ** Math.min(attempt - 1, 30));
  return base / 2 + (random() * base) / 2;
}

/** When to try again after failed attempt `attempt`; null once the 24 hours are over. */
export function nextAttemptAt(
  attempt: number,
  createdAt: Date,
  policy: RetryPolicy,
  now = Date.now(),
): Date | null {
  const at = now + retryDelayMs(attempt, policy);
  return at - createdAt.getTime() > policy.giveUpMs ? null : new Date(at);
}

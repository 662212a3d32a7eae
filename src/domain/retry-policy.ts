// When a failed delivery is tried again. Pure: the clock is passed in.

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 1_000, maxDelayMs: 5 * 60_000 };

export type RetryDecision = { kind: 'retry'; at: Date } | { kind: 'give_up' };

/**
 * Exponential back-off after the `attempts`-th failure. A delivery that has used all its
 * attempts is kept as failed, never dropped: GitHub does not resend it by itself
 * (GITHUB-FACTS.md, Deliveries), so the stored copy is the only one left.
 */
export function decideRetry(attempts: number, now: Date, policy: RetryPolicy): RetryDecision {
  if (attempts >= policy.maxAttempts) return { kind: 'give_up' };
  const delay = Math.min(policy.baseDelayMs * 2 ** Math.max(0, attempts - 1), policy.maxDelayMs);
  return { kind: 'retry', at: new Date(now.getTime() + delay) };
}

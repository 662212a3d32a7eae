// When a failed delivery is tried again. Pure: the clock is passed in.

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

// 1 s, 2 s, 4 s ... capped at 5 min: 16 attempts span about 38 minutes, so a GitHub outage is
// waited out instead of ending the delivery; a rate limit's own reset time is honoured on top.
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 16, baseDelayMs: 1_000, maxDelayMs: 5 * 60_000 };

export type RetryDecision = { kind: 'retry'; at: Date } | { kind: 'give_up' };

/**
 * Exponential back-off after the `attempts`-th failure. A delivery that has used all its
 * attempts is kept as failed, never dropped: GitHub does not resend it by itself
 * (GITHUB-FACTS.md, Deliveries), so the stored copy is the only one left.
 */
export function decideRetry(
  attempts: number,
  now: Date,
  policy: RetryPolicy,
  retryAfterMs: number | null = null,
): RetryDecision {
  if (attempts >= policy.maxAttempts) return { kind: 'give_up' };
  const backOff = Math.min(policy.baseDelayMs * 2 ** Math.max(0, attempts - 1), policy.maxDelayMs);
  // When GitHub says when to come back (Retry-After, rate-limit reset), never come back sooner.
  const delay = Math.max(backOff, retryAfterMs ?? 0);
  return { kind: 'retry', at: new Date(now.getTime() + delay) };
}

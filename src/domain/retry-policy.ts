// When a failed delivery is tried again. Pure: the clock and the randomness are passed in.

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /**
   * Each delay is moved by up to ± this share of it (default 0: exact), so deliveries that failed
   * together (one GitHub outage) do not all come back in the same millisecond, again and again.
   */
  jitterRatio?: number;
}

// 1 s, 2 s, 4 s ... capped at 5 min: 16 attempts span about 38 minutes, so a GitHub outage is
// waited out instead of ending the delivery; a rate limit's own reset time is honoured on top.
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 16,
  baseDelayMs: 1_000,
  maxDelayMs: 5 * 60_000,
  jitterRatio: 0.2,
};

export type RetryDecision = { kind: 'retry'; at: Date } | { kind: 'give_up'; because: 'attempts_used_up' | 'terminal' };

export interface RetryFacts {
  /** The failure would repeat on every attempt (a payload that cannot be read, a bug). */
  terminal?: boolean;
  /** A number in [0, 1) from the caller's random source; 0.5 is the delay without jitter. */
  random?: number;
}

/**
 * Exponential back-off after the `attempts`-th failure. A delivery that has used all its
 * attempts, or whose failure is terminal, is kept as failed, never dropped: GitHub does not resend
 * it by itself (GITHUB-FACTS.md, Deliveries), so the stored copy is the only one left.
 */
export function decideRetry(
  attempts: number,
  now: Date,
  policy: RetryPolicy,
  retryAfterMs: number | null = null,
  facts: RetryFacts = {},
): RetryDecision {
  if (facts.terminal === true) return { kind: 'give_up', because: 'terminal' };
  if (attempts >= policy.maxAttempts) return { kind: 'give_up', because: 'attempts_used_up' };
  const backOff = Math.min(policy.baseDelayMs * 2 ** Math.max(0, attempts - 1), policy.maxDelayMs);
  const random = Math.min(Math.max(facts.random ?? 0.5, 0), 1);
  const jittered = Math.round(backOff * (1 + (policy.jitterRatio ?? 0) * (2 * random - 1)));
  // When GitHub says when to come back (Retry-After, rate-limit reset), never come back sooner.
  const delay = Math.max(jittered, retryAfterMs ?? 0);
  return { kind: 'retry', at: new Date(now.getTime() + delay) };
}

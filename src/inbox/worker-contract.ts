import type { AuditDraft } from '../domain/audit/index.js';
import type { Delivery, RoutedOutcome } from '../domain/delivery.js';
import type { Wake } from '../domain/entities.js';

// What the delivery worker expects of whatever applies a delivery (reconcile/apply-delivery.ts
// implements it): an outcome, or an error that says whether trying again can help.

export interface ApplyOutcome {
  state: 'applied' | 'ignored';
  /** Why, in words an operator can act on (always set for ignored). */
  reason: string | null;
  audit: AuditDraft[];
  /** Triggers woken: written with the outcome, in the same transaction. */
  wakes?: Wake[];
  routingOutcome?: RoutedOutcome;
}

/**
 * Applies one stored delivery. Throwing fails the attempt: a TerminalError (or a bug's TypeError
 * or RangeError) for good, anything else again on the retry schedule.
 */
export type ApplyDelivery = (delivery: Delivery, payload: string) => Promise<ApplyOutcome>;

/** How long a failure asks to wait before the next attempt (GitHub's Retry-After / rate-limit reset). */
export class RetryLater extends Error {
  constructor(
    message: string,
    readonly retryAfterMs: number | null,
  ) {
    super(message);
    this.name = 'RetryLater';
  }
}

/**
 * A failure no later attempt can mend (a payload that cannot be read as its event): the delivery
 * ends failed at once, with this reason, instead of using up every attempt of the schedule.
 */
export class TerminalError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TerminalError';
  }
}

export interface Failure {
  message: string;
  /** No attempt after this one: the same input would fail the same way. */
  terminal: boolean;
  retryAfterMs: number | null;
}

/**
 * What a thrown error means for the delivery. A TypeError or RangeError out of our own code is a
 * bug that fails the same way every time; GitHub's and the store's failures come as their own
 * error classes (GitHubError, the drivers' errors) and stay retryable.
 */
export function failureOf(error: unknown): Failure {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof RetryLater) return { message, terminal: false, retryAfterMs: error.retryAfterMs };
  const terminal = error instanceof TerminalError || error instanceof TypeError || error instanceof RangeError;
  return { message, terminal, retryAfterMs: null };
}

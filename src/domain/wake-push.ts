import type { StoredWake } from './entities.js';
import type { RetryPolicy } from './retry-policy.js';
import { subscriptionOf } from './route-event.js';

// Pushed wakes (docs/wake-push.md): which endpoint wants which wake, what a runner receives,
// when a failed send is tried again, and when an endpoint that keeps failing is paused. Pure:
// the clock and randomness are passed in.

/** What an endpoint receives; an absent list lets every value through. */
export interface EndpointFilter {
  automationIds: readonly string[] | null;
  userIds: readonly string[] | null;
  /** `event` or `event.action` entries, as a trigger's events are. */
  events: readonly string[] | null;
}

/** A runner endpoint, as an operator registers it (PUT /api/endpoints/:id or WAKE_ENDPOINT_URL). */
export interface WakeEndpoint {
  id: string;
  url: string;
  /** Standard Webhooks secret (`whsec_` + base64); kept to sign, never shown. */
  secret: string;
  filter: EndpointFilter;
  enabled: boolean;
  /** `config` for the one from WAKE_ENDPOINT_URL, which start-up writes and the API leaves alone. */
  source: 'api' | 'config';
  updatedAt: string;
}

/** How an endpoint is doing: what start-up and the API leave alone, the senders keep. */
export interface EndpointHealth {
  /** The outbox position up to which wakes were queued for this endpoint. */
  queuedThroughSeq: number;
  consecutiveFailures: number;
  /** While in the future, the endpoint's sends wait: it kept failing (the circuit is open). */
  pausedUntil: string | null;
  lastFailure: string | null;
  lastSuccessAt: string | null;
}

export type StoredEndpoint = WakeEndpoint & EndpointHealth;

/** An endpoint as first registered: its queue starts after `startAfterSeq`, nothing failed yet. */
export const newlyRegistered = (endpoint: WakeEndpoint, startAfterSeq: number): StoredEndpoint => ({
  ...endpoint,
  queuedThroughSeq: startAfterSeq,
  consecutiveFailures: 0,
  pausedUntil: null,
  lastFailure: null,
  lastSuccessAt: null,
});

export type SendState = 'pending' | 'sending' | 'delivered' | 'given_up';

/** One attempt to deliver a wake to an endpoint, kept on its send. */
export interface SendAttempt {
  at: string;
  /** The HTTP status the endpoint answered; null when it did not answer (refused, timed out). */
  status: number | null;
  error: string | null;
  durationMs: number;
}

/** A wake queued for one endpoint. Its id is the message's `webhook-id`, for the receiver's dedupe. */
export interface WakeSend {
  id: string;
  seq: number;
  endpointId: string;
  wakeId: string;
  /** The message as it is signed and sent, fixed when queued so a resend sends the same bytes' content. */
  body: string;
  state: SendState;
  attempts: number;
  nextAttemptAt: string | null;
  attemptLog: SendAttempt[];
  createdAt: string;
  finishedAt: string | null;
}

/** Attempts kept on a send: the latest ones, enough to see a whole retry schedule. */
export const ATTEMPT_LOG_LIMIT = 30;

export function endpointWants(
  filter: EndpointFilter,
  wake: Pick<StoredWake, 'automationId' | 'userId' | 'event' | 'action'>,
): boolean {
  if (filter.userIds !== null && !filter.userIds.includes(wake.userId)) return false;
  if (
    filter.automationIds !== null &&
    (wake.automationId === null || !filter.automationIds.includes(wake.automationId))
  )
    return false;
  return filter.events === null || subscriptionOf(filter.events, wake.event, wake.action) === 'subscribed';
}

/** The wake as the API and a pushed message show it. */
export const publicWake = (wake: StoredWake) => ({ ...wake, replay: wake.replayOf !== null });

/** The Standard Webhooks message body: `{ type, timestamp, data }`. */
export function wakeMessage(wake: StoredWake, at: Date): string {
  return JSON.stringify({ type: 'wake.created', timestamp: at.toISOString(), data: publicWake(wake) });
}

/**
 * About a day of tries: 5 s doubling to 2 h, then every 2 h, 22 attempts in all (≈ 24.6 h), each
 * wait moved by up to ±20 % so that sends that failed together do not all return at once.
 */
export const DEFAULT_PUSH_RETRY: RetryPolicy = {
  maxAttempts: 22,
  baseDelayMs: 5_000,
  maxDelayMs: 2 * 3_600_000,
  jitterRatio: 0.2,
};

/** Consecutive failed attempts after which an endpoint is paused (its circuit opens). */
export const CIRCUIT_FAILURE_THRESHOLD = 10;

export type EndpointCondition = 'disabled' | 'paused' | 'failing' | 'healthy';

/** What to say about an endpoint: paused until its pause ends, failing while failures accrue. */
export function endpointCondition(endpoint: StoredEndpoint, now: Date): EndpointCondition {
  if (!endpoint.enabled) return 'disabled';
  if (endpoint.pausedUntil !== null && Date.parse(endpoint.pausedUntil) > now.getTime()) return 'paused';
  return endpoint.consecutiveFailures > 0 ? 'failing' : 'healthy';
}

/** `Retry-After` as seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now: Date): number | null {
  if (header === null) return null;
  if (/^\d{1,9}$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
}

/**
 * What is wrong with a Standard Webhooks secret, or null: `whsec_` and the base64 of 24 to 64
 * random bytes (e.g. `echo whsec_$(openssl rand -base64 32)`), as Svix and the spec give them.
 */
export function signingSecretProblem(secret: string): string | null {
  if (!secret.startsWith('whsec_')) return 'must start with whsec_ (a Standard Webhooks secret)';
  const encoded = secret.slice('whsec_'.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || encoded.length % 4 !== 0) return 'must be whsec_ followed by base64';
  const bytes = Buffer.from(encoded, 'base64').length;
  return bytes < 24 || bytes > 64
    ? `must encode 24 to 64 bytes (it encodes ${bytes}); e.g. echo whsec_$(openssl rand -base64 32)`
    : null;
}

/** What is wrong with an endpoint URL, or null: an absolute http(s) URL of at most 2,000 characters. */
export function endpointUrlProblem(url: string): string | null {
  if (url.length > 2000) return 'must be at most 2000 characters';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `"${url.slice(0, 100)}" is not a URL`;
  }
  return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? null : 'must be an http(s) URL';
}

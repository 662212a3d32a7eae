import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Logger } from '../telemetry/logger.js';
import { sendError } from './http-error.js';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/**
 * Failed token attempts one remote address may make per window. Far above an operator mistyping,
 * far below guessing: once past it, every /api request from that address is answered 429 until
 * the window ends, a right token included (else guessing would go on at full speed).
 */
export interface TokenFailureLimit {
  failures: number;
  windowMs: number;
}

export const TOKEN_FAILURE_LIMIT: TokenFailureLimit = { failures: 30, windowMs: 60_000 };

/** Windows kept at most; past it, ended windows are dropped first (a spray of addresses cannot grow it unbounded). */
const TRACKED_SOURCES = 10_000;

interface FailureWindow {
  startedAt: number;
  failures: number;
}

/** Counts failed attempts per source in fixed windows. Time is passed in. */
export class TokenFailures {
  private readonly windows = new Map<string, FailureWindow>();
  constructor(private readonly limit: TokenFailureLimit) {}

  /** Milliseconds until `source` may try again, or 0 when it may now. */
  blockedFor(source: string, now: number): number {
    const window = this.windows.get(source);
    if (window === undefined || window.failures < this.limit.failures) return 0;
    return Math.max(0, window.startedAt + this.limit.windowMs - now);
  }

  /** Counts one failure; true when it is the one that reaches the limit. */
  recordFailure(source: string, now: number): boolean {
    let window = this.windows.get(source);
    if (window === undefined || now - window.startedAt >= this.limit.windowMs) {
      if (this.windows.size >= TRACKED_SOURCES) this.dropEnded(now);
      window = { startedAt: now, failures: 0 };
      this.windows.set(source, window);
    }
    window.failures += 1;
    return window.failures === this.limit.failures;
  }

  private dropEnded(now: number): void {
    for (const [source, window] of this.windows) {
      if (now - window.startedAt >= this.limit.windowMs) this.windows.delete(source);
    }
    // Every window still running: the oldest goes, so the map stays bounded.
    if (this.windows.size >= TRACKED_SOURCES) {
      const oldest = this.windows.keys().next().value;
      if (oldest !== undefined) this.windows.delete(oldest);
    }
  }
}

export interface ApiTokenOptions {
  logger: Logger;
  now?: () => number;
  limit?: TokenFailureLimit;
}

/**
 * Bearer API_TOKEN on every /api route, compared in constant time (digests hide the length), with
 * failed attempts limited per remote address.
 */
export function requireApiToken(apiToken: string, options: ApiTokenOptions): RequestHandler {
  const expected = digest(apiToken);
  const now = options.now ?? Date.now;
  const failures = new TokenFailures(options.limit ?? TOKEN_FAILURE_LIMIT);
  const log = options.logger.child({ component: 'api-auth' });
  return (req, res, next) => {
    const source = req.socket.remoteAddress ?? 'unknown';
    const waitMs = failures.blockedFor(source, now());
    if (waitMs > 0) {
      res.set('Retry-After', String(Math.ceil(waitMs / 1000)));
      sendError(
        res,
        429,
        'too_many_failures',
        'too many requests with a wrong API token from this address; retry later',
      );
      return;
    }
    const match = /^Bearer (.+)$/.exec(req.get('authorization') ?? '');
    if (match?.[1] === undefined || !timingSafeEqual(digest(match[1]), expected)) {
      if (failures.recordFailure(source, now())) {
        log.warn({ source, result: 'limited' }, 'api refused: too many wrong tokens from one address');
      }
      res.set('WWW-Authenticate', 'Bearer realm="reconciler"');
      sendError(res, 401, 'unauthorized', 'send the API token as "Authorization: Bearer <API_TOKEN>"');
      return;
    }
    next();
  };
}

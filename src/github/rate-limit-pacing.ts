import type { Logger } from '../telemetry/logger.js';
import { GitHubError, type GitHubPort, type RepoPage } from './github-port.js';

// Long background work (the drift resync) slows down on a rate limit instead of failing: the
// adapter maps GitHub's primary limit (403/429 with x-ratelimit-remaining: 0 and
// x-ratelimit-reset) and secondary limits (403/429 with Retry-After) to a 'rate_limited'
// GitHubError with retryAfterMs (GITHUB-FACTS.md, API); this wrapper waits that long and asks
// again, within a total wait budget. Requests a user waits for are not paced: they fail fast.

/** Waits `ms`, or less when `signal` is aborted first (it never rejects). */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const sleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });

/** The quota is down to the reserve: not a refusal by GitHub, a rate limit all the same. */
class ReserveReached extends GitHubError {
  constructor(message: string, retryAfterMs: number) {
    super('rate_limited', message, null, true, retryAfterMs);
  }
}

// GitHub: without Retry-After or a reset time, wait at least a minute before trying again.
const DEFAULT_RATE_LIMIT_WAIT_MS = 60_000;
// A reset time already past still waits a little, so that a budget always runs out.
const MIN_RATE_LIMIT_WAIT_MS = 1_000;

export interface RateLimitWait {
  operation: string;
  waitMs: number;
  status: number | null;
}

export interface RateLimitPacing {
  sleep: Sleep;
  /**
   * When a page says no more than this many requests are left in the hour, the listing waits
   * for the reset: the rest of the quota is kept for requests a user waits for (an API sync).
   */
  quotaReserve: number;
  /** Waits beyond this total are not made: the rate-limited call fails as it would without pacing. */
  maxTotalWaitMs: number;
  logger: Logger;
  /** Stops waiting (the call then fails with its rate limit). */
  signal?: AbortSignal;
}

export interface PacedGitHub extends GitHubPort {
  /** Every wait made so far, in order. */
  readonly waits: readonly RateLimitWait[];
  /** True once a rate limit had to be passed on because the wait budget was used up (or the run stopped). */
  readonly gaveUp: boolean;
}

export function withRateLimitPacing(github: GitHubPort, pacing: RateLimitPacing): PacedGitHub {
  const waits: RateLimitWait[] = [];
  let waitedMs = 0;
  let gaveUp = false;

  /** Waits out a rate limit and returns, or throws the error when it is something else or the budget is spent. */
  const waitOut = async (error: unknown, operation: string): Promise<void> => {
    if (!(error instanceof GitHubError) || error.kind !== 'rate_limited') throw error;
    const waitMs = Math.max(MIN_RATE_LIMIT_WAIT_MS, error.retryAfterMs ?? DEFAULT_RATE_LIMIT_WAIT_MS);
    if (pacing.signal?.aborted || waitedMs + waitMs > pacing.maxTotalWaitMs) {
      gaveUp = true;
      pacing.logger.warn(
        { operation, waitMs, waitedMs, maxTotalWaitMs: pacing.maxTotalWaitMs },
        'GitHub rate limit: not waiting any longer',
      );
      throw error;
    }
    waitedMs += waitMs;
    waits.push({ operation, waitMs, status: error.status });
    pacing.logger.warn({ operation, waitMs, waitedMs, status: error.status }, 'GitHub rate limit: waiting');
    await pacing.sleep(waitMs, pacing.signal);
    if (pacing.signal?.aborted) {
      gaveUp = true;
      throw error;
    }
  };

  /** Waits for the quota's reset when a page says it is down to the reserve (or gives up, as waitOut does). */
  const keepReserve = async (page: RepoPage, operation: string): Promise<void> => {
    if (page.quota === null || page.quota.remaining > pacing.quotaReserve) return;
    const left = page.quota.remaining;
    await waitOut(
      new ReserveReached(
        `GitHub rate limit: ${left} requests left until the reset, kept for requests a user waits for`,
        page.quota.resetAtMs - Date.now(),
      ),
      `${operation} (quota reserve)`,
    );
  };

  return {
    get waits() {
      return waits;
    },
    get gaveUp() {
      return gaveUp;
    },
    async getInstallation(installationId) {
      for (;;) {
        try {
          return await github.getInstallation(installationId);
        } catch (error) {
          await waitOut(error, 'get installation');
        }
      }
    },
    listInstallationRepos(installationId) {
      return {
        async *[Symbol.asyncIterator](): AsyncGenerator<RepoPage> {
          // The port lists from the first page: after a wait the whole list is read again and
          // handed on again. GitHub pages by offset, so skipping the pages already seen would miss
          // a repo that moved back a page during the wait, and sync would detach it; deciding a
          // page twice changes nothing.
          for (;;) {
            try {
              for await (const page of github.listInstallationRepos(installationId)) {
                yield page;
                await keepReserve(page, 'list installation repositories');
              }
              return;
            } catch (error) {
              // Out of wait budget at the reserve: the run ends here, as on a refusal.
              if (error instanceof ReserveReached) throw error;
              await waitOut(error, 'list installation repositories');
            }
          }
        },
      };
    },
    listUserRepos(oauthToken) {
      return github.listUserRepos(oauthToken);
    },
    // The redelivery sweep is bounded per run and runs again soon: it is not paced.
    listHookDeliveries(since) {
      return github.listHookDeliveries(since);
    },
    redeliverHookDelivery(deliveryId) {
      return github.redeliverHookDelivery(deliveryId);
    },
  };
}

import type { WakePushConfig } from '../config.js';
import { DEFAULT_PUSH_RETRY, type WakeEndpoint } from '../domain/wake-push.js';
import type { WakeFeed } from '../http/wake-feed.js';
import type { Store } from '../store/store.js';
import type { Logger } from '../telemetry/logger.js';
import { queueNewWakes } from './queue-wakes.js';
import { startWakeSender, type WakeSenderDeps } from './send-wakes.js';

// Pushed wakes (docs/wake-push.md), as the service runs them: the endpoint the configuration
// names, the fan-out from the outbox into each endpoint's queue, and the sender.

/** The id of the endpoint WAKE_ENDPOINT_URL defines. */
export const CONFIGURED_ENDPOINT_ID = 'default';

/**
 * Makes the stored `default` endpoint what the configuration says: written when it is set (its
 * queue and health kept), removed when it is not set any more. The API's endpoints are left alone.
 */
export async function applyConfiguredEndpoint(
  store: Store,
  configured: WakePushConfig['endpoint'],
  now: Date,
  logger: Logger,
): Promise<void> {
  const stored = await store.getEndpoint(CONFIGURED_ENDPOINT_ID);
  if (configured === null) {
    if (stored?.source === 'config') {
      await store.deleteEndpoint(CONFIGURED_ENDPOINT_ID, []);
      logger.info(
        { endpointId: CONFIGURED_ENDPOINT_ID },
        'WAKE_ENDPOINT_URL is not set any more: its endpoint is removed',
      );
    }
    return;
  }
  if (
    stored !== null &&
    stored.source === 'config' &&
    stored.url === configured.url &&
    stored.secret === configured.secret
  )
    return;
  const endpoint: WakeEndpoint = {
    id: CONFIGURED_ENDPOINT_ID,
    url: configured.url,
    secret: configured.secret,
    filter: { automationIds: null, userIds: null, events: null },
    enabled: true,
    source: 'config',
    updatedAt: now.toISOString(),
  };
  await store.putEndpoint(endpoint, (await store.wakeBounds()).headSeq, []);
  logger.info({ endpointId: CONFIGURED_ENDPOINT_ID, url: configured.url }, 'wakes are pushed to WAKE_ENDPOINT_URL');
}

export interface WakePushDeps extends Omit<WakeSenderDeps, 'policy' | 'pauseMs'> {
  feed: WakeFeed;
  config: WakePushConfig;
  /** Longest wait between fan-out passes when nothing signals a new wake. */
  fanOutPollMs?: number;
}

export interface WakePush {
  stop(): Promise<void>;
}

export function startWakePush(deps: WakePushDeps): WakePush {
  const log = deps.logger.child({ component: 'wake-push' });
  const pollMs = deps.fanOutPollMs ?? 1_000;
  const sender = startWakeSender({
    ...deps,
    policy: { ...DEFAULT_PUSH_RETRY, maxAttempts: deps.config.maxAttempts, baseDelayMs: deps.config.firstRetryMs },
    pauseMs: deps.config.pauseSeconds * 1000,
  });
  const stopped = new AbortController();
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        stopped.signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      stopped.signal.addEventListener('abort', done, { once: true });
    });
  const fanOut = async (): Promise<void> => {
    while (!stopped.signal.aborted) {
      let lowestSeq: number | null;
      try {
        ({ lowestSeq } = await queueNewWakes(deps.store, deps.now));
      } catch (error) {
        log.error({ err: (error as Error).message }, 'could not queue new wakes for endpoints; trying again shortly');
        await pause(pollMs);
        continue;
      }
      sender.notify();
      if (lowestSeq === null || deps.feed.closed) await pause(pollMs);
      else await deps.feed.waitBeyond(lowestSeq, pollMs, stopped.signal);
    }
  };
  const fanningOut = fanOut();
  return {
    async stop() {
      stopped.abort();
      await fanningOut;
      await sender.stop();
    },
  };
}

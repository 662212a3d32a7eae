import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { decideRetry, type RetryPolicy } from '../domain/retry-policy.js';
import { CIRCUIT_FAILURE_THRESHOLD, retryAfterMs, type SendAttempt, type WakeSend } from '../domain/wake-push.js';
import type { SendFinish, Store } from '../store/store.js';
import type { Logger } from '../telemetry/logger.js';

// The sender: takes due sends by claim (so replicas never attempt one send at once), signs each
// in the Standard Webhooks format and POSTs it, and records how the attempt ended. A few sends
// are in flight at once, so one slow endpoint does not hold back the others.

export type SendResult = 'delivered' | 'failed' | 'given_up';

export interface WakeSenderDeps {
  store: Store;
  logger: Logger;
  now: () => Date;
  policy: RetryPolicy;
  /** How long an endpoint is left alone once it failed CIRCUIT_FAILURE_THRESHOLD times in a row. */
  pauseMs: number;
  random?: () => number;
  /** Longest idle sleep: bounds how late a due retry or an expired lease is noticed. */
  idlePollMs?: number;
  onAttempt: (attempt: { endpointId: string; result: SendResult; seconds: number }) => void;
}

export interface WakeSender {
  /** Sends were queued: look now instead of at the next poll. */
  notify(): void;
  stop(): Promise<void>;
}

/** Sends in flight at once, per process. */
const SEND_CONCURRENCY = 8;
/** A receiver answers within this or the attempt counts as failed (Standard Webhooks suggests 15 s at most). */
const ATTEMPT_TIMEOUT_MS = 10_000;
/** A claim outlives the attempt's timeout, so only a dead sender's claim expires. */
const SEND_LEASE_MS = 3 * ATTEMPT_TIMEOUT_MS;
/** What of an endpoint's error answer is kept on the attempt. */
const ERROR_TEXT_LIMIT = 300;

async function attemptSend(
  url: string,
  secret: string,
  send: WakeSend,
  at: Date,
): Promise<SendAttempt & { retryAfter: string | null }> {
  const started = performance.now();
  const signature = new Webhook(secret).sign(send.id, at, send.body);
  const attempt = (status: number | null, error: string | null, retryAfter: string | null = null) => ({
    at: at.toISOString(),
    status,
    error,
    durationMs: Math.round(performance.now() - started),
    retryAfter,
  });
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'reconciler-wake-push',
        'webhook-id': send.id,
        'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
        'webhook-signature': signature,
      },
      body: send.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
    });
    if (response.status >= 200 && response.status < 300) {
      await response.body?.cancel();
      return attempt(response.status, null);
    }
    const text = (await response.text().catch(() => '')).slice(0, ERROR_TEXT_LIMIT);
    return attempt(response.status, text.length > 0 ? text : null, response.headers.get('retry-after'));
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    const message =
      error instanceof Error && error.name === 'TimeoutError'
        ? `no answer within ${ATTEMPT_TIMEOUT_MS / 1000} s`
        : `${(error as Error).message}${cause !== undefined ? ` (${cause})` : ''}`;
    return attempt(null, message);
  }
}

export function startWakeSender(deps: WakeSenderDeps): WakeSender {
  const workerId = randomUUID();
  const log = deps.logger.child({ component: 'wake-sender' });
  const random = deps.random ?? Math.random;
  const idlePollMs = deps.idlePollMs ?? 1_000;
  const inFlight = new Set<Promise<void>>();
  let stopping = false;
  let wakeUp: (() => void) | null = null;
  let notified = false;

  const finishOf = (send: WakeSend, attempt: SendAttempt & { retryAfter: string | null }, now: Date): SendFinish => {
    const { retryAfter, ...kept } = attempt;
    const base = {
      attempt: kept,
      pauseUntil: new Date(now.getTime() + deps.pauseMs).toISOString(),
      pauseAfterFailures: CIRCUIT_FAILURE_THRESHOLD,
    };
    if (attempt.status !== null && attempt.status >= 200 && attempt.status < 300)
      return { ...base, state: 'delivered', nextAttemptAt: null };
    // A receiver that asks for more time gets it, up to the longest wait of the schedule.
    const asked = retryAfterMs(retryAfter, now);
    const retry = decideRetry(
      send.attempts + 1,
      now,
      deps.policy,
      asked === null ? null : Math.min(asked, deps.policy.maxDelayMs),
      { random: random() },
    );
    return retry.kind === 'retry'
      ? { ...base, state: 'pending', nextAttemptAt: retry.at.toISOString() }
      : { ...base, state: 'given_up', nextAttemptAt: null };
  };

  const deliver = async (send: WakeSend): Promise<void> => {
    const endpoint = await deps.store.getEndpoint(send.endpointId);
    // Deleted since it was claimed: its queue went with it.
    if (endpoint === null) return;
    const attempt = await attemptSend(endpoint.url, endpoint.secret, send, deps.now());
    const now = deps.now();
    const finish = finishOf(send, attempt, now);
    if (!(await deps.store.finishSend(send.id, workerId, now.toISOString(), finish))) {
      log.warn({ sendId: send.id, endpointId: send.endpointId }, 'send claim lost before its attempt was recorded');
      return;
    }
    const result: SendResult =
      finish.state === 'delivered' ? 'delivered' : finish.state === 'given_up' ? 'given_up' : 'failed';
    deps.onAttempt({ endpointId: send.endpointId, result, seconds: attempt.durationMs / 1000 });
    if (result === 'given_up')
      log.warn(
        { sendId: send.id, endpointId: send.endpointId, attempts: send.attempts + 1, status: attempt.status },
        'wake send given up: requeue it with POST /api/endpoints/:id/requeue once the endpoint is fixed',
      );
    else if (result === 'failed')
      log.info(
        {
          sendId: send.id,
          endpointId: send.endpointId,
          status: attempt.status,
          error: attempt.error,
          retryAt: finish.nextAttemptAt,
        },
        'wake send failed; retrying',
      );
  };

  const sleep = async (ms: number): Promise<void> => {
    if (notified || stopping) {
      notified = false;
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    wakeUp = null;
    notified = false;
  };

  const idleWait = async (): Promise<number> => {
    const next = await deps.store.nextSendAt();
    const untilNext = next === null ? idlePollMs : Date.parse(next) - deps.now().getTime();
    return Math.max(1, Math.min(idlePollMs, untilNext));
  };

  const loop = async (): Promise<void> => {
    while (!stopping) {
      if (inFlight.size >= SEND_CONCURRENCY) {
        await Promise.race(inFlight);
        continue;
      }
      let send: WakeSend | null;
      try {
        const now = deps.now();
        send = await deps.store.claimSend({
          workerId,
          now: now.toISOString(),
          leaseUntil: new Date(now.getTime() + SEND_LEASE_MS).toISOString(),
        });
      } catch (error) {
        log.error({ err: (error as Error).message }, 'could not claim a wake send; trying again shortly');
        await sleep(idlePollMs);
        continue;
      }
      if (send === null) {
        await sleep(await idleWait().catch(() => idlePollMs));
        continue;
      }
      const running: Promise<void> = deliver(send)
        .catch((error: unknown) => {
          // The claim expires and another attempt takes the send over: nothing is lost.
          log.error({ err: (error as Error).message, sendId: send.id }, 'wake send attempt failed to record');
        })
        .finally(() => inFlight.delete(running));
      inFlight.add(running);
    }
  };
  const running = loop();
  return {
    notify() {
      notified = true;
      wakeUp?.();
    },
    async stop() {
      stopping = true;
      wakeUp?.();
      await running;
      await Promise.all(inFlight);
    },
  };
}

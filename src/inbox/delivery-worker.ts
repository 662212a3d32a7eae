import { randomUUID } from 'node:crypto';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, type Span } from '@opentelemetry/api';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { AuditDraft } from '../domain/audit/index.js';
import type { Delivery } from '../domain/delivery.js';
import { decideRetry, type RetryPolicy } from '../domain/retry-policy.js';
import type { DeliveryStore } from '../store/store.js';
import type { Logger } from '../telemetry/logger.js';
import { currentTraceId, inSpan, remoteContextOf } from '../telemetry/tracing.js';
import { failureOf, type ApplyDelivery, type ApplyOutcome } from './worker-contract.js';

export interface DeliveryWorkerDeps {
  store: DeliveryStore;
  apply: ApplyDelivery;
  logger: Logger;
  now: () => Date;
  retryPolicy: RetryPolicy;
  /** The retry schedule's jitter source, [0, 1) (Math.random unless a test needs exact times). */
  random?: () => number;
  /** How long a claim holds before another worker may take the delivery over. */
  leaseMs: number;
  /** Longest idle sleep: bounds how late an expired lease or a missed wake-up is noticed. */
  idlePollMs: number;
  /** True while webhook requests are being acknowledged. */
  isIngressBusy: () => boolean;
  /** Longest the worker waits for the ingress to go quiet before it takes a delivery anyway. */
  maxDeferMs: number;
  /** Called once per attempt whose outcome was recorded (metrics). */
  onProcessed: (processed: {
    event: string;
    outcome: 'applied' | 'ignored' | 'failed' | 'retried';
    seconds: number;
  }) => void;
}

export interface DeliveryWorker {
  /** A delivery was stored: look now instead of at the next poll. */
  notify(): void;
  isRunning(): boolean;
  /** Stops taking deliveries and resolves once the one in hand is finished. */
  stop(): Promise<void>;
}

function outcomeAudit(delivery: Delivery, decision: string, reason: string | null, at: string): AuditDraft {
  return {
    kind: 'delivery.outcome',
    actor: 'worker',
    source: { type: 'delivery', id: delivery.id },
    subject: {
      ...(delivery.installationId !== null ? { installationId: delivery.installationId } : {}),
      ...(delivery.repoId !== null ? { repoId: delivery.repoId } : {}),
    },
    decision,
    reason,
    before: null,
    after: { event: delivery.event, action: delivery.action, attempts: delivery.attempts },
    traceId: currentTraceId(),
    deliveryId: delivery.id,
    occurredAt: at,
  };
}

/**
 * Takes stored deliveries one at a time in arrival order and records each outcome. It resumes
 * whatever was stored but not finished, because the store, not memory, holds the queue.
 */
export function startDeliveryWorker(deps: DeliveryWorkerDeps): DeliveryWorker {
  const workerId = randomUUID();
  const log = deps.logger.child({ component: 'delivery-worker' });
  const random = deps.random ?? Math.random;
  let stopping = false;
  let wake: (() => void) | null = null;
  let pendingNotify = false;

  const sleep = async (ms: number): Promise<void> => {
    if (stopping) return;
    if (pendingNotify) {
      pendingNotify = false;
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    wake = null;
    pendingNotify = false;
  };

  const idleMs = async (): Promise<number> => {
    const nextRetry = await deps.store.nextRetryAt();
    if (nextRetry === null) return deps.idlePollMs;
    const untilRetry = Date.parse(nextRetry) - deps.now().getTime();
    // A retry already due that the claim just passed over waits for its installation (another
    // of its deliveries is claimed): poll for it, do not spin.
    return untilRetry <= 0 ? deps.idlePollMs : Math.min(deps.idlePollMs, untilRetry);
  };

  const applyAndRecord = async (delivery: Delivery, span: Span): Promise<void> => {
    const dlog = log.child({ deliveryId: delivery.id, event: delivery.event, action: delivery.action });
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    const payload = await deps.store.getDeliveryPayload(delivery.id);
    let outcome: ApplyOutcome;
    try {
      if (payload === null) throw new Error('the stored payload is missing');
      outcome = await deps.apply(delivery, payload);
    } catch (error) {
      const failure = failureOf(error);
      const { message } = failure;
      span.setStatus({ code: SpanStatusCode.ERROR, message });
      const now = deps.now();
      const retry = decideRetry(delivery.attempts, now, deps.retryPolicy, failure.retryAfterMs, {
        terminal: failure.terminal,
        random: random(),
      });
      const nextAttemptAt = retry.kind === 'retry' ? retry.at.toISOString() : null;
      const kept = await deps.store.failDelivery(delivery.id, workerId, {
        error: message,
        processedAt: now.toISOString(),
        nextAttemptAt,
        audit: [
          outcomeAudit(
            delivery,
            'failed',
            retry.kind === 'retry'
              ? `retry at ${nextAttemptAt}`
              : retry.because === 'terminal'
                ? 'not retried: another attempt would fail the same way'
                : 'attempts used up',
            now.toISOString(),
          ),
        ],
      });
      span.setAttribute('reconciler.delivery.outcome', retry.kind === 'retry' ? 'retried' : 'failed');
      if (kept)
        deps.onProcessed({
          event: delivery.event,
          outcome: retry.kind === 'retry' ? 'retried' : 'failed',
          seconds: seconds(),
        });
      dlog.error(
        { err: message, attempts: delivery.attempts, nextAttemptAt, terminal: failure.terminal },
        'delivery failed',
      );
      return;
    }
    // Outside the try: the effects are applied, so a store failure here must not count as a
    // failed apply. The loop logs it and the lease brings the delivery back.
    const at = deps.now().toISOString();
    const kept = await deps.store.finishDelivery(delivery.id, workerId, {
      state: outcome.state,
      reason: outcome.reason,
      processedAt: at,
      audit: [...outcome.audit, outcomeAudit(delivery, outcome.state, outcome.reason, at)],
      wakes: outcome.wakes ?? [],
      ...(outcome.routingOutcome !== undefined ? { routingOutcome: outcome.routingOutcome } : {}),
    });
    span.setAttribute('reconciler.delivery.outcome', outcome.state);
    if (kept) {
      deps.onProcessed({ event: delivery.event, outcome: outcome.state, seconds: seconds() });
      dlog.info({ outcome: outcome.state, reason: outcome.reason, attempts: delivery.attempts }, 'delivery processed');
    } else dlog.warn('the claim on this delivery expired while it was processed; another worker owns it now');
  };

  /**
   * Each attempt is a CONSUMER span in the trace of the request that stored the delivery, and
   * linked to it (OpenTelemetry messaging conventions), so one trace tells a delivery's story.
   */
  const processDelivery = (delivery: Delivery): Promise<void> => {
    const stored = remoteContextOf(delivery.traceparent);
    return inSpan(
      `process ${delivery.event}`,
      {
        kind: SpanKind.CONSUMER,
        root: stored === null,
        links: stored === null ? [] : [stored.link],
        attributes: {
          'messaging.system': 'github',
          'messaging.operation.type': 'process',
          'messaging.message.id': delivery.id,
          'github.event': delivery.event,
          ...(delivery.action !== null ? { 'github.action': delivery.action } : {}),
          ...(delivery.installationId !== null ? { 'github.installation.id': delivery.installationId } : {}),
          ...(delivery.repoId !== null ? { 'github.repository.id': delivery.repoId } : {}),
          ...(delivery.replayOf !== null ? { 'reconciler.replay_of': delivery.replayOf } : {}),
          'reconciler.delivery.attempt': delivery.attempts,
        },
      },
      (span) => applyAndRecord(delivery, span),
      stored?.parent ?? ROOT_CONTEXT,
    );
  };

  // Acknowledgements come first: GitHub fails a delivery that is not answered within 10 s
  // (GITHUB-FACTS.md, Deliveries), while applying it a little later costs nothing. Under a
  // burst the worker still takes at least one delivery every maxDeferMs.
  let deferringSince: number | null = null;
  const deferToIngress = async (): Promise<boolean> => {
    if (!deps.isIngressBusy()) {
      deferringSince = null;
      return false;
    }
    const now = Date.now();
    deferringSince ??= now;
    if (now - deferringSince >= deps.maxDeferMs) {
      deferringSince = null;
      return false;
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
    return true;
  };

  const loop = async (): Promise<void> => {
    while (!stopping) {
      try {
        // Store calls can all complete as microtasks; without this the worker would drain a
        // whole backlog before the server reads another request.
        await yieldToEventLoop();
        if (await deferToIngress()) continue;
        const now = deps.now();
        const delivery = await deps.store.claimNextDelivery({
          workerId,
          now: now.toISOString(),
          leaseUntil: new Date(now.getTime() + deps.leaseMs).toISOString(),
        });
        if (delivery === null) await sleep(await idleMs());
        else await processDelivery(delivery);
      } catch (error) {
        // The store itself failed (e.g. disk full): keep the worker alive, the lease brings the delivery back.
        log.error({ err: error instanceof Error ? error.message : String(error) }, 'worker step failed; retrying');
        await sleep(deps.idlePollMs);
      }
    }
  };

  const done = loop();
  return {
    notify() {
      if (wake) wake();
      else pendingNotify = true;
    },
    isRunning: () => !stopping,
    async stop() {
      stopping = true;
      wake?.();
      await done;
    },
  };
}

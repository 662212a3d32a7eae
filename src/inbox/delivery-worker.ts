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
  /** Deliveries in hand at once, each of another installation (DEFAULT_CONCURRENCY unless a test needs one). */
  concurrency?: number;
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
  /** Stops taking deliveries and resolves once those in hand are finished. */
  stop(): Promise<void>;
}

/**
 * Deliveries applied at once. The claim never hands out two of one installation (so their order
 * holds, here and across replicas); several lets one waiting on GitHub not hold up the others,
 * and lets the store commit the ends of those finished together in one transaction.
 */
const DEFAULT_CONCURRENCY = 4;

/** Deliveries without an installation have no claim to keep them apart: in hand one at a time, in claim order. */
const NO_INSTALLATION = 'none';

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
 * Takes stored deliveries in arrival order, a few at once but one per installation, and records
 * each outcome. It resumes whatever was stored but not finished, because the store, not memory,
 * holds the queue.
 */
export function startDeliveryWorker(deps: DeliveryWorkerDeps): DeliveryWorker {
  const workerId = randomUUID();
  // One logger for the worker: a child per delivery (with its redaction setup) cost more than the line it wrote.
  const log = deps.logger.child({ component: 'delivery-worker' });
  const random = deps.random ?? Math.random;
  let stopping = false;
  const sleepers = new Set<() => void>();
  let pendingNotify = false;

  /** Until woken, or at most `ms` when given. */
  const sleep = async (ms: number | null): Promise<void> => {
    if (stopping) return;
    if (pendingNotify) {
      pendingNotify = false;
      return;
    }
    await new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        sleepers.delete(wake);
        resolve();
      };
      const timer = ms === null ? undefined : setTimeout(wake, ms);
      sleepers.add(wake);
    });
  };
  // One at a time: a loop that finds work wakes the next, so a burst fans out over the loops
  // while a lone delivery costs one claim, not one per loop (a MongoDB claim is a round trip).
  const wakeOne = () => {
    const [wake] = sleepers;
    wake?.();
  };
  const wakeAll = () => {
    for (const wake of [...sleepers]) wake();
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
    const about = { deliveryId: delivery.id, event: delivery.event, action: delivery.action };
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
      log.error(
        { ...about, err: message, attempts: delivery.attempts, nextAttemptAt, terminal: failure.terminal },
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
      log.info(
        { ...about, outcome: outcome.state, reason: outcome.reason, attempts: delivery.attempts },
        'delivery processed',
      );
    } else log.warn(about, 'the claim on this delivery expired while it was processed; another worker owns it now');
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
  // (GITHUB-FACTS.md, Deliveries), while applying it a few milliseconds later costs nothing. The
  // wait is bounded per claim, so that under a steady stream of webhooks a wake is late by at
  // most maxDeferMs, not by a growing backlog.
  const deferToIngress = async (): Promise<void> => {
    const until = performance.now() + deps.maxDeferMs;
    while (deps.isIngressBusy() && !stopping && performance.now() < until)
      await new Promise((resolve) => setTimeout(resolve, 1));
  };

  // Deliveries in hand by installation: the claim keeps two of one installation apart, except
  // those without one, which wait here for the one before them.
  const inHand = new Map<string, Promise<void>>();
  const processInTurn = async (delivery: Delivery): Promise<void> => {
    const key = delivery.installationId === null ? NO_INSTALLATION : String(delivery.installationId);
    const before = inHand.get(key);
    const mine = (async () => {
      await before;
      await processDelivery(delivery);
    })();
    inHand.set(key, mine);
    try {
      await mine;
    } finally {
      if (inHand.get(key) === mine) inHand.delete(key);
    }
  };

  // Only the first loop polls when there is nothing to do; the others sleep until a delivery is
  // stored or one of them finds work, so an idle worker costs what one loop costs.
  const loop = async (index: number): Promise<void> => {
    if (index > 0) await sleep(null);
    while (!stopping) {
      try {
        // Store calls can all complete as microtasks; without this the worker would drain a
        // whole backlog before the server reads another request.
        await yieldToEventLoop();
        await deferToIngress();
        if (stopping) break;
        const now = deps.now();
        const delivery = await deps.store.claimNextDelivery({
          workerId,
          now: now.toISOString(),
          leaseUntil: new Date(now.getTime() + deps.leaseMs).toISOString(),
        });
        if (delivery === null) await sleep(index === 0 ? await idleMs() : null);
        else {
          // Where there was one there may be more: another loop looks too.
          wakeOne();
          await processInTurn(delivery);
        }
      } catch (error) {
        // The store itself failed (e.g. disk full): keep the worker alive, the lease brings the delivery back.
        log.error({ err: error instanceof Error ? error.message : String(error) }, 'worker step failed; retrying');
        await sleep(deps.idlePollMs);
      }
    }
  };

  const done = Promise.all(Array.from({ length: deps.concurrency ?? DEFAULT_CONCURRENCY }, (_, index) => loop(index)));
  return {
    notify() {
      if (sleepers.size > 0) wakeOne();
      else pendingNotify = true;
    },
    isRunning: () => !stopping,
    async stop() {
      stopping = true;
      wakeAll();
      await done;
    },
  };
}

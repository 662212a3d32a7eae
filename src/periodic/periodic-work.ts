import { randomUUID } from 'node:crypto';
import type { AuditActor, AuditKind, AuditValue } from '../domain/audit/index.js';
import type { AuditStore, LeaseStore } from '../store/store.js';
import type { Logger } from '../telemetry/logger.js';
import { currentTraceId, inSpan } from '../telemetry/tracing.js';

// Periodic work under a leadership lease (docs/periodic-work.md): every replica runs this loop
// for every job, and only the one holding the job's lease in the store runs the job. The holder
// renews the lease every third of its length; one that dies stops renewing, its lease runs out
// and another replica takes over. Each run is audited (kind `periodic.<job>`), which is also how
// a replica that takes over knows when the job last ran.

export type PeriodicReport = { [key: string]: AuditValue };

export interface PeriodicRun {
  /** Shared by every audit record the run writes (source `{ type: 'periodic', id }`). */
  runId: string;
  /** Aborted when this process loses the lease or stops: a run checks it between steps and ends early. */
  signal: AbortSignal;
}

export interface PeriodicJob {
  /** Names the lease (`periodic:<name>`) and the run records (kind `periodic.<name>`). */
  name: string;
  /** Written on the run record. */
  actor: AuditActor;
  /** 0 disables the job. */
  intervalMs: number;
  /** Each wait is the interval moved by up to ± this share of it, so restarts and replicas spread out. */
  jitterRatio: number;
  /**
   * With no run on record, whether the first is due as soon as a leader holds the lease (else one
   * interval after taking the lead).
   */
  runAtStart: boolean;
  run(run: PeriodicRun): Promise<PeriodicReport | void>;
}

export interface PeriodicWorkOptions {
  store: LeaseStore & Pick<AuditStore, 'appendAudit' | 'listAudit'>;
  /** This process, as written on the lease and on every run record. */
  holder: string;
  leaseMs: number;
  logger: Logger;
  now: () => Date;
  random?: () => number;
}

export interface PeriodicWork {
  /** Ends the loops, asks a running job to stop and waits for it, and releases the leases held. */
  stop(): Promise<void>;
}

/** The wait before a job's next run: its interval moved by `jitterRatio` times (2·random − 1) of it. */
export function jitteredInterval(intervalMs: number, jitterRatio: number, random: number): number {
  return Math.max(0, Math.round(intervalMs * (1 + jitterRatio * (2 * random - 1))));
}

export function startPeriodicWork(options: PeriodicWorkOptions, jobs: readonly PeriodicJob[]): PeriodicWork {
  const loops = jobs.filter((job) => job.intervalMs > 0).map((job) => startJobLoop(job, options));
  return {
    async stop() {
      await Promise.all(loops.map((loop) => loop.stop()));
    },
  };
}

function startJobLoop(job: PeriodicJob, options: PeriodicWorkOptions): PeriodicWork {
  const { store, holder, leaseMs, now } = options;
  const lease = `periodic:${job.name}`;
  const kind: AuditKind = `periodic.${job.name}`;
  const log = options.logger.child({ component: 'periodic', job: job.name, holder });
  const random = options.random ?? Math.random;
  const heartbeatMs = Math.max(1, Math.floor(leaseMs / 3));
  const nextInterval = () => jitteredInterval(job.intervalMs, job.jitterRatio, random());
  let leading = false;
  let dueAt: number | null = null;
  let running: { abort: AbortController; done: Promise<void> } | null = null;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let ticking: Promise<void> = Promise.resolve();

  const holdLease = async (): Promise<boolean> => {
    try {
      return await store.acquireLease(lease, holder, leaseMs);
    } catch (error) {
      log.error({ err: (error as Error).message }, 'the lease of a periodic job could not be taken or renewed');
      return false;
    }
  };

  // A replica taking over keeps the cadence of the one before it, so restarts never skip or repeat a run.
  const firstDueAt = async (): Promise<number> => {
    const [last] = await store.listAudit({ kind, order: 'newest', limit: 1 });
    if (last !== undefined) return Date.parse(last.occurredAt) + nextInterval();
    return now().getTime() + (job.runAtStart ? 0 : nextInterval());
  };

  const startRun = (): void => {
    const abort = new AbortController();
    const runId = randomUUID();
    const startedAt = now();
    log.info({ runId }, 'periodic job started');
    const done = inSpan(`periodic ${job.name}`, { attributes: { 'reconciler.periodic.run_id': runId } }, async () => {
      let decision = 'completed';
      let reason: string | null = null;
      let report: PeriodicReport | null = null;
      try {
        report = (await job.run({ runId, signal: abort.signal })) ?? null;
        if (abort.signal.aborted) {
          decision = 'interrupted';
          reason = stopped ? 'the service is stopping' : 'this process lost the lease';
        }
      } catch (error) {
        // A failed run is logged and audited; the next one comes at the usual time.
        decision = 'failed';
        reason = (error as Error).message;
      }
      const durationMs = now().getTime() - startedAt.getTime();
      log[decision === 'failed' ? 'error' : 'info']({ runId, decision, reason, durationMs }, 'periodic job ended');
      await store
        .appendAudit([
          {
            kind,
            actor: job.actor,
            source: { type: 'periodic', id: runId },
            subject: {},
            decision,
            reason,
            before: null,
            after: { holder, startedAt: startedAt.toISOString(), durationMs, report },
            traceId: currentTraceId(),
            deliveryId: null,
            occurredAt: startedAt.toISOString(),
          },
        ])
        .catch((error: unknown) =>
          log.error({ runId, err: (error as Error).message }, 'the record of a periodic run could not be written'),
        );
    }).finally(() => {
      running = null;
      if (leading) dueAt = startedAt.getTime() + nextInterval();
      // The loop checked only its lease while the run lasted: now it waits for the next run's time.
      if (!inTick) rearm();
    });
    running = { abort, done };
  };

  const tick = async (): Promise<void> => {
    const held = await holdLease();
    if (held && !leading) {
      leading = true;
      dueAt = await firstDueAt().catch((error: unknown) => {
        log.error({ err: (error as Error).message }, 'the last run of a periodic job could not be read');
        return now().getTime() + nextInterval();
      });
      log.info({ nextRunAt: new Date(dueAt).toISOString() }, 'this process leads a periodic job');
    } else if (!held && leading) {
      leading = false;
      dueAt = null;
      running?.abort.abort();
      log.warn('this process no longer leads a periodic job; a run in hand is asked to stop');
    }
    if (leading && !stopped && running === null && dueAt !== null && now().getTime() >= dueAt) startRun();
  };

  let inTick = false;
  /** Next step: at the next renewal, or sooner when a run falls due. */
  const rearm = (): void => {
    if (stopped) return;
    if (timer !== null) clearTimeout(timer);
    const untilDue = leading && running === null && dueAt !== null ? Math.max(0, dueAt - now().getTime()) : heartbeatMs;
    timer = setTimeout(step, Math.min(heartbeatMs, untilDue));
    timer.unref();
  };
  const step = (): void => {
    inTick = true;
    ticking = tick()
      .catch((error: unknown) => log.error({ err: (error as Error).message }, 'periodic job loop failed a step'))
      .finally(() => {
        inTick = false;
        rearm();
      });
  };
  step();

  return {
    async stop() {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      await ticking;
      running?.abort.abort();
      await running?.done;
      if (leading)
        await store
          .releaseLease(lease, holder)
          .catch((error: unknown) =>
            log.warn({ err: (error as Error).message }, 'the lease could not be released; it expires on its own'),
          );
      leading = false;
    },
  };
}

import { randomUUID } from 'node:crypto';
import type { AuditDraft, AuditValue } from '../domain/audit/index.js';
import {
  decideRedeliverySweep,
  DEFAULT_REDELIVERY_POLICY,
  nextSweepHorizon,
  REDELIVERY_REQUESTED,
  redeliveryWindowStart,
  SWEEP_SKIP_REASONS,
  type HookDeliveryAttempt,
  type RedeliverDecision,
  type RedeliverReason,
  type RedeliveryPolicy,
  type RedeliveryRequest,
  type RedeliveryResult,
  type SweepHorizon,
  type SweepSkipReason,
  sweepRead,
} from '../domain/decide-redelivery-sweep.js';
import type { Delivery } from '../domain/delivery.js';
import type { GitHubPort } from '../github/github-port.js';
import { auditFor } from '../domain/audit-for.js';
import type { Store } from '../store/store.js';
import type { Logger } from '../telemetry/logger.js';
import { activeSpanTrace, currentTraceId, inSpan, setSpanAttributes } from '../telemetry/tracing.js';

// The redelivery sweeper: gather (GitHub's delivery log inside its redelivery window, what the
// store holds for each GUID, the requests already made) → decide (decide-redelivery-sweep.ts) →
// act (ask GitHub to redeliver), one audit record per request. The redelivery itself arrives
// through the webhook route like any delivery, with the same GUID, and the inbox dedupes it.

const NO_APP_CREDENTIALS_FOR_SWEEP =
  'the redelivery sweep reads the App webhook delivery log, which needs GitHub App credentials: set GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY (or GITHUB_APP_PRIVATE_KEY_PATH)';

export interface RedeliverySweepDeps {
  store: Pick<Store, 'getDeliveriesByIds' | 'listAudit' | 'appendAudit'>;
  github: Pick<GitHubPort, 'listHookDeliveries' | 'redeliverHookDelivery'>;
  appCredentials: boolean;
  now: () => Date;
  logger: Logger;
  policy?: RedeliveryPolicy;
  /**
   * Kept by whoever runs the sweeps, from one to the next: where GitHub's log still needs
   * reading. Without it every sweep reads the whole window.
   */
  memory?: { horizon: SweepHorizon | null };
}

export interface RequestedRedelivery {
  guid: string;
  hookDeliveryId: number;
  event: string;
  action: string | null;
  reason: RedeliverReason;
  result: RedeliveryResult;
  error: string | null;
}

export interface RedeliverySweepReport {
  sweepId: string;
  traceId: string | null;
  /** False without App credentials: nothing was read or requested. */
  available: boolean;
  unavailableReason: string | null;
  /** The oldest delivery time read: GitHub's log is not read past it. */
  since: string | null;
  /** Whether this sweep read GitHub's whole redelivery window, or only from where the last one left off. */
  wholeWindow: boolean;
  /** Where the next sweep starts reading (every GUID first delivered before it was settled). */
  nextReadFrom: string | null;
  pagesRead: number;
  attemptsListed: number;
  /** GUIDs decided on (each once, whatever its number of attempts). */
  considered: number;
  requested: RequestedRedelivery[];
  skipped: Record<SweepSkipReason, number>;
  /** Requests GitHub refused or did not answer. */
  failures: number;
}

const emptySkips = (): Record<SweepSkipReason, number> =>
  Object.fromEntries(SWEEP_SKIP_REASONS.map((reason) => [reason, 0])) as Record<SweepSkipReason, number>;

// Store reads stay small however long GitHub's log is.
const LOOKUP_BATCH = 500;
const AUDIT_PAGE = 1000;

async function storedDeliveries(deps: RedeliverySweepDeps, guids: readonly string[]): Promise<Delivery[]> {
  const found: Delivery[] = [];
  for (let start = 0; start < guids.length; start += LOOKUP_BATCH)
    found.push(...(await deps.store.getDeliveriesByIds(guids.slice(start, start + LOOKUP_BATCH))));
  return found;
}

/** The requests this service (any replica) made since `since`, read back from the audit trail. */
async function earlierRequests(deps: RedeliverySweepDeps, since: string): Promise<RedeliveryRequest[]> {
  const requests: RedeliveryRequest[] = [];
  let beforeSeq: number | undefined;
  for (;;) {
    const page = await deps.store.listAudit({
      kind: REDELIVERY_REQUESTED,
      since,
      order: 'newest',
      limit: AUDIT_PAGE,
      ...(beforeSeq !== undefined ? { beforeSeq } : {}),
    });
    for (const record of page)
      if (record.deliveryId !== null) requests.push({ guid: record.deliveryId, requestedAt: record.occurredAt });
    if (page.length < AUDIT_PAGE) return requests;
    beforeSeq = page.at(-1)?.seq;
  }
}

function requestAudit(
  decision: RedeliverDecision,
  stored: Delivery | undefined,
  outcome: { result: RedeliveryResult; error: string | null },
  sweepId: string,
  now: () => Date,
): AuditDraft {
  const context = {
    actor: 'worker' as const,
    source: { type: 'delivery' as const, id: decision.guid },
    deliveryId: decision.guid,
    traceId: currentTraceId(),
    now,
    trace: activeSpanTrace,
  };
  return auditFor(context, {
    kind: REDELIVERY_REQUESTED,
    subject: {
      ...(decision.installationId !== null ? { installationId: decision.installationId } : {}),
      ...(decision.repositoryId !== null ? { repoId: decision.repositoryId } : {}),
    },
    decision: outcome.result,
    reason: decision.reason,
    before: {
      githubStatusCode: decision.latest.statusCode,
      githubDeliveredAt: decision.latest.deliveredAt,
      storedState: stored?.state ?? null,
      storedAttempts: stored?.attempts ?? null,
      storedError: stored?.error ?? null,
    },
    after: {
      sweepId,
      hookDeliveryId: decision.latest.id,
      event: decision.event,
      action: decision.action,
      error: outcome.error,
    },
  });
}

/**
 * One sweep: asks GitHub to redeliver what it failed to hand us and what we gave up on, within
 * GitHub's redelivery window, and reports what it did. A GitHub failure while listing throws
 * (typed GitHubError); a failed request is recorded and the sweep goes on with the next one.
 */
export function sweepRedeliveries(deps: RedeliverySweepDeps): Promise<RedeliverySweepReport> {
  const sweepId = randomUUID();
  const policy = deps.policy ?? DEFAULT_REDELIVERY_POLICY;
  const log = deps.logger.child({ component: 'redelivery-sweep', sweepId });
  return inSpan('sweep redeliveries', { attributes: { 'reconciler.sweep.id': sweepId } }, async () => {
    const report: RedeliverySweepReport = {
      sweepId,
      traceId: currentTraceId(),
      available: deps.appCredentials,
      unavailableReason: deps.appCredentials ? null : NO_APP_CREDENTIALS_FOR_SWEEP,
      since: null,
      wholeWindow: false,
      nextReadFrom: null,
      pagesRead: 0,
      attemptsListed: 0,
      considered: 0,
      requested: [],
      skipped: emptySkips(),
      failures: 0,
    };
    if (!deps.appCredentials) {
      log.debug(report.unavailableReason);
      return report;
    }
    const now = deps.now();
    const previous = deps.memory?.horizon ?? null;
    const read = sweepRead(now, policy, previous);
    report.since = read.since;
    report.wholeWindow = read.wholeWindow;
    const since = new Date(read.since);

    const attempts: HookDeliveryAttempt[] = [];
    for await (const page of deps.github.listHookDeliveries(since)) {
      report.pagesRead += 1;
      attempts.push(...page);
    }
    report.attemptsListed = attempts.length;
    const guids = [...new Set(attempts.map((attempt) => attempt.guid))];
    const stored = await storedDeliveries(deps, guids);
    // Every request inside GitHub's window counts against a GUID, however little of the log is read.
    const requests = await earlierRequests(deps, redeliveryWindowStart(now, policy));

    const plan = decideRedeliverySweep({ attempts, stored, requests, now, policy });
    report.considered = plan.decisions.length;
    for (const decision of plan.decisions) if (decision.kind === 'skip') report.skipped[decision.reason] += 1;

    const storedById = new Map(stored.map((delivery) => [delivery.id, delivery]));
    for (const decision of plan.redeliver) {
      let outcome: { result: RedeliveryResult; error: string | null };
      try {
        await deps.github.redeliverHookDelivery(decision.latest.id);
        outcome = { result: 'accepted', error: null };
      } catch (error) {
        outcome = { result: 'failed', error: error instanceof Error ? error.message : String(error) };
        report.failures += 1;
        log.warn({ deliveryId: decision.guid, err: outcome.error }, 'GitHub did not accept a redelivery request');
      }
      // Written per request, so that a sweep cut short still leaves the back-off of what it asked.
      await deps.store.appendAudit([requestAudit(decision, storedById.get(decision.guid), outcome, sweepId, deps.now)]);
      report.requested.push({
        guid: decision.guid,
        hookDeliveryId: decision.latest.id,
        event: decision.event,
        action: decision.action,
        reason: decision.reason,
        ...outcome,
      });
    }
    // Only after every request is recorded: a sweep cut short leaves the horizon where it was.
    const horizon = nextSweepHorizon(plan, read, previous, now, policy);
    report.nextReadFrom = horizon.readFrom;
    if (deps.memory !== undefined) deps.memory.horizon = horizon;
    setSpanAttributes({
      'reconciler.sweep.whole_window': report.wholeWindow,
      'reconciler.sweep.considered': report.considered,
      'reconciler.sweep.requested': report.requested.length,
      'reconciler.sweep.failures': report.failures,
    });
    const summary = {
      since: report.since,
      wholeWindow: report.wholeWindow,
      pagesRead: report.pagesRead,
      considered: report.considered,
      requested: report.requested.length,
      failures: report.failures,
      skipped: report.skipped,
    };
    if (report.requested.length > 0 || report.failures > 0)
      log.info(summary, 'redelivery sweep requested redeliveries');
    else log.debug(summary, 'redelivery sweep found nothing to redeliver');
    return report;
  });
}

/** What a periodic run records of a sweep: its figures, not every request (each has its own record). */
export function sweepSummary(report: RedeliverySweepReport): { [key: string]: AuditValue } {
  return {
    sweepId: report.sweepId,
    available: report.available,
    since: report.since,
    wholeWindow: report.wholeWindow,
    nextReadFrom: report.nextReadFrom,
    pagesRead: report.pagesRead,
    considered: report.considered,
    requested: report.requested.length,
    failures: report.failures,
    skipped: { ...report.skipped },
  };
}

import type { AuditDraft, AuditValue } from '../domain/audit/index.js';
import { REDELIVER_REASONS, REDELIVERY_REQUESTED, REDELIVERY_RESULTS } from '../domain/decide-redelivery-sweep.js';
import type { Store } from '../store/store.js';
import {
  DRIFT_REPAIRS,
  eventLabel,
  GITHUB_OPERATIONS,
  REBIND_OUTCOMES,
  SYNC_KINDS,
  SYNC_RESULTS,
  type Metrics,
} from './metrics.js';
import { currentTraceId } from './tracing.js';

// From what the service does to the metrics it exports. Decisions are counted from the audit
// records a store has committed (one record per decision, STYLE.md habit 7), so a counter
// never moves for a decision that was rolled back.

const exemplar = (): Record<string, string> => {
  const traceId = currentTraceId();
  return traceId === null ? {} : { trace_id: traceId };
};

const fieldOf = (value: AuditValue, key: string): AuditValue | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? value[key] : undefined;
const numberOf = (value: AuditValue | undefined): number | null => (typeof value === 'number' ? value : null);
const stringOf = (value: AuditValue | undefined): string | null => (typeof value === 'string' ? value : null);
const oneOf = <T extends string>(value: string | null, allowed: readonly T[]): T | null =>
  value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : null;

function countSyncRun(metrics: Metrics, record: AuditDraft): void {
  const kind = oneOf(record.kind.slice('sync.'.length), SYNC_KINDS);
  const result = oneOf(record.decision, SYNC_RESULTS);
  if (kind === null || result === null) return;
  metrics.syncRuns.inc({ kind, result });
  const durationMs = numberOf(fieldOf(record.after, 'durationMs'));
  if (durationMs !== null)
    metrics.syncDuration.observe({ labels: { kind }, value: durationMs / 1000, exemplarLabels: exemplar() });
  const counts = fieldOf(record.after, 'counts');
  if (typeof counts === 'object' && counts !== null && !Array.isArray(counts))
    for (const [decision, n] of Object.entries(counts))
      if (typeof n === 'number' && n > 0) metrics.syncDecisions.inc({ kind, decision }, n);
  // Skips are counted from their own rebind.skipped records (a user without a current
  // installation skips with no run at all); a run's record counts the rebinds it applied.
  const rebinds = fieldOf(record.after, 'rebind');
  if (Array.isArray(rebinds))
    for (const rebind of rebinds)
      if (stringOf(fieldOf(rebind, 'outcome')) === 'rebound')
        metrics.rebindAttempts.inc({ outcome: 'rebound', reason: 'none' });
}

/** A change the drift resync made: the row decision, or 'rebound' for each automation or trigger rebound. */
function countDriftRepair(metrics: Metrics, record: AuditDraft): void {
  const repair = record.kind === 'sync.decision' || record.kind === 'rebind.applied' ? record.decision : null;
  const decision = oneOf(repair, DRIFT_REPAIRS);
  if (decision !== null) metrics.driftRepairs.inc({ decision });
}

/** Counts one committed decision on the metric it belongs to. */
function countDecision(metrics: Metrics, record: AuditDraft): void {
  if (record.actor === 'resync') countDriftRepair(metrics, record);
  switch (record.kind) {
    case 'sync.installation':
    case 'sync.oauth':
      return countSyncRun(metrics, record);
    case 'webhook.decision':
      return void metrics.syncDecisions.inc({ kind: 'webhook', decision: record.decision });
    case 'sync.preserved_field':
      for (const field of Object.keys(typeof record.before === 'object' && record.before !== null ? record.before : {}))
        metrics.preservedFields.inc({ field });
      return;
    case 'rebind.skipped': {
      const reason = record.reason ?? '';
      if (REBIND_OUTCOMES.some(([o, r]) => o === 'skipped' && r === reason))
        metrics.rebindAttempts.inc({ outcome: 'skipped', reason });
      return;
    }
    case 'api.decision':
      return void metrics.syncDecisions.inc({ kind: 'api', decision: record.decision });
    case 'rebind.applied':
      if (record.subject.automationId !== undefined) metrics.reboundEntities.inc({ entity: 'automation' });
      if (record.subject.triggerId !== undefined) metrics.reboundEntities.inc({ entity: 'trigger' });
      return;
    case 'routing.decision':
      return void metrics.routingDecisions.inc({
        event: eventLabel(stringOf(fieldOf(record.after, 'event'))),
        outcome: record.decision,
        reason: record.reason ?? 'none',
      });
    case 'routing.outcome':
      if (record.decision === 'woke_none' || record.decision === 'no_candidates')
        metrics.deliveriesWokeNothing.inc({
          event: eventLabel(stringOf(fieldOf(record.after, 'event'))),
          reason: stringOf(fieldOf(record.after, 'leadingReason')) ?? record.decision,
        });
      return;
    case REDELIVERY_REQUESTED: {
      const reason = oneOf(record.reason, REDELIVER_REASONS);
      const result = oneOf(record.decision, REDELIVERY_RESULTS);
      if (reason !== null && result !== null) metrics.redeliveryRequests.inc({ reason, result });
      return;
    }
  }
}

/** The store, with every committed audit record counted. */
export function withDecisionMetrics(store: Store, metrics: Metrics): Store {
  const count = (drafts: readonly AuditDraft[]) => {
    for (const draft of drafts) countDecision(metrics, draft);
  };
  const counted = (kept: boolean, drafts: readonly AuditDraft[]): boolean => {
    if (kept) count(drafts);
    return kept;
  };
  return {
    ...store,
    async appendAudit(drafts) {
      const records = await store.appendAudit(drafts);
      count(drafts);
      return records;
    },
    async writeRepoRows(rows, audit) {
      await store.writeRepoRows(rows, audit);
      count(audit);
    },
    // API writes carry their audit records: counted once the store kept them.
    async upsertUser(user, audit) {
      await store.upsertUser(user, audit);
      count(audit);
    },
    async putAutomation(automation, audit) {
      await store.putAutomation(automation, audit);
      count(audit);
    },
    async putTrigger(trigger, audit) {
      await store.putTrigger(trigger, audit);
      count(audit);
    },
    async linkInstallation(userId, installationId, linkedAt, audit) {
      return counted(await store.linkInstallation(userId, installationId, linkedAt, audit), audit);
    },
    async unlinkInstallation(userId, installationId, audit) {
      return counted(await store.unlinkInstallation(userId, installationId, audit), audit);
    },
    async deleteAutomation(id, audit) {
      return counted(await store.deleteAutomation(id, audit), audit);
    },
    async deleteTrigger(id, audit) {
      return counted(await store.deleteTrigger(id, audit), audit);
    },
    async finishDelivery(id, workerId, finish) {
      const kept = await store.finishDelivery(id, workerId, finish);
      if (kept) count(finish.audit);
      return kept;
    },
    async failDelivery(id, workerId, failure) {
      const kept = await store.failDelivery(id, workerId, failure);
      if (kept) count(failure.audit);
      return kept;
    },
  };
}

export function observeWebhookAnswer(
  metrics: Metrics,
): (answer: { event: string | null; result: string; seconds: number }) => void {
  return ({ event, result, seconds }) => {
    metrics.webhookRequests.inc({ event: eventLabel(event), result });
    metrics.webhookAckDuration.observe({ labels: {}, value: seconds, exemplarLabels: exemplar() });
  };
}

export function observeDeliveryProcessed(
  metrics: Metrics,
): (processed: { event: string; outcome: 'applied' | 'ignored' | 'failed' | 'retried'; seconds: number }) => void {
  return ({ event, outcome, seconds }) => {
    const label = eventLabel(event);
    metrics.deliveryOutcomes.inc({ event: label, outcome });
    metrics.deliveryProcessingDuration.observe({
      labels: { event: label },
      value: seconds,
      exemplarLabels: exemplar(),
    });
  };
}

export function observeGitHubRequest(metrics: Metrics): (request: { operation: string; status: number }) => void {
  return ({ operation, status }) =>
    metrics.githubRequests.inc({
      operation: oneOf(operation, GITHUB_OPERATIONS) ?? 'other',
      status: status === 0 ? 'error' : String(status),
    });
}

export function observeWakeSend(
  metrics: Metrics,
): (attempt: { endpointId: string; result: 'delivered' | 'failed' | 'given_up'; seconds: number }) => void {
  return ({ endpointId, result }) => metrics.wakeSends.inc({ endpoint: metrics.endpointLabel(endpointId), result });
}

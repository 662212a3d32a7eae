import type { AuditRecord } from '../../domain/audit.js';
import type { Delivery, DeliveryState } from '../../domain/delivery.js';
import type {
  AccountType,
  Automation,
  DiscoveredBy,
  Installation,
  RepoRow,
  StoredWake,
  Trigger,
  User,
  Visibility,
} from '../../domain/entities.js';

// SQLite rows to domain values and back: the only place that knows column names and encodings.

export type Row = Record<string, unknown>;

// Every delivery column but the payload, which only the worker reads (and can be 25 MB).
export const DELIVERY_COLUMNS = `seq, id, event, action, installation_id, repo_id, received_at, headers, state, attempts, error,
  reason, processed_at, next_attempt_at, replay_of, traceparent, routing_outcome`;

export const str = (v: unknown): string => v as string;
export const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : (v as string));
export const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export function toDelivery(row: Row): Delivery {
  return {
    seq: Number(row.seq),
    id: str(row.id),
    event: str(row.event),
    action: strOrNull(row.action),
    installationId: numOrNull(row.installation_id),
    repoId: numOrNull(row.repo_id),
    receivedAt: str(row.received_at),
    headers: JSON.parse(str(row.headers)) as Record<string, string>,
    state: str(row.state) as DeliveryState,
    attempts: Number(row.attempts),
    error: strOrNull(row.error),
    reason: strOrNull(row.reason),
    processedAt: strOrNull(row.processed_at),
    nextAttemptAt: strOrNull(row.next_attempt_at),
    replayOf: strOrNull(row.replay_of),
    traceparent: strOrNull(row.traceparent),
    routingOutcome: strOrNull(row.routing_outcome) as Delivery['routingOutcome'],
  };
}

export const jsonOrNull = <T>(v: unknown): T | null =>
  v === null || v === undefined ? null : (JSON.parse(v as string) as T);
// Base rows keep '' in the key column; the domain says null.
export const rootToColumn = (root: string | null): string => root ?? '';
export const rootFromColumn = (v: unknown): string | null => (v === '' ? null : (v as string));

export function toInstallation(row: Row): Installation {
  return {
    id: Number(row.id),
    accountId: numOrNull(row.account_id),
    accountLogin: strOrNull(row.account_login),
    accountType: strOrNull(row.account_type) as AccountType | null,
    targetType: strOrNull(row.target_type),
    permissions: jsonOrNull<Record<string, string>>(row.permissions),
    repositorySelection: strOrNull(row.repository_selection) as Installation['repositorySelection'],
    events: JSON.parse(str(row.events)) as string[],
    suspendedAt: strOrNull(row.suspended_at),
    suspendedBy: strOrNull(row.suspended_by),
    deletedAt: strOrNull(row.deleted_at),
    updatedAt: str(row.updated_at),
  };
}

export function toUser(row: Row): User {
  return {
    id: str(row.id),
    githubUserId: Number(row.github_user_id),
    githubLogin: str(row.github_login),
    createdAt: str(row.created_at),
    updatedAt: str(row.updated_at),
  };
}

export function toRepoRow(row: Row): RepoRow {
  return {
    userId: str(row.user_id),
    repoId: Number(row.repo_id),
    rootDirectory: rootFromColumn(row.root_directory),
    fullName: str(row.full_name),
    owner: str(row.owner),
    name: str(row.name),
    defaultBranch: strOrNull(row.default_branch),
    visibility: strOrNull(row.visibility) as Visibility | null,
    archived: row.archived === 1,
    installationId: numOrNull(row.installation_id),
    discoveredBy: str(row.discovered_by) as DiscoveredBy,
    lastSeenAt: str(row.last_seen_at),
  };
}

export function toAutomation(row: Row): Automation {
  return {
    id: str(row.id),
    userId: str(row.user_id),
    installationId: Number(row.installation_id),
    name: str(row.name),
    enabled: row.enabled === 1,
    updatedAt: str(row.updated_at),
  };
}

export function toTrigger(row: Row): Trigger {
  return {
    id: str(row.id),
    userId: str(row.user_id),
    automationId: strOrNull(row.automation_id),
    installationId: Number(row.installation_id),
    repoId: Number(row.repo_id),
    repoFullName: strOrNull(row.repo_full_name),
    rootDirectory: strOrNull(row.root_directory),
    events: JSON.parse(str(row.events)) as string[],
    enabled: row.enabled === 1,
    updatedAt: str(row.updated_at),
  };
}

export function toAuditRecord(row: Row): AuditRecord {
  return {
    id: str(row.id),
    seq: Number(row.seq),
    schemaVersion: Number(row.schema_version),
    kind: str(row.kind),
    actor: str(row.actor) as AuditRecord['actor'],
    source: { type: str(row.source_type) as AuditRecord['source']['type'], id: str(row.source_id) },
    subject: JSON.parse(str(row.subject)) as AuditRecord['subject'],
    decision: str(row.decision),
    reason: strOrNull(row.reason),
    before: JSON.parse(str(row.before)) as AuditRecord['before'],
    after: JSON.parse(str(row.after)) as AuditRecord['after'],
    traceId: strOrNull(row.trace_id),
    deliveryId: strOrNull(row.delivery_id),
    occurredAt: str(row.occurred_at),
    recordedAt: str(row.recorded_at),
    prevHash: strOrNull(row.prev_hash),
    hash: str(row.hash),
  };
}

export function toWake(row: Row): StoredWake {
  return {
    seq: Number(row.seq),
    id: str(row.id),
    deliveryId: str(row.delivery_id),
    triggerId: str(row.trigger_id),
    automationId: strOrNull(row.automation_id),
    userId: str(row.user_id),
    repoId: Number(row.repo_id),
    installationId: Number(row.installation_id),
    event: str(row.event),
    action: strOrNull(row.action),
    createdAt: str(row.created_at),
  };
}

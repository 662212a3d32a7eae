import type { AuditDraft, AuditValue, RowDecisionSource } from '../../domain/audit/index.js';
import { auditFor } from '../../domain/audit-for.js';
import type { RowPlan } from '../../domain/decide-sync.js';
import type { DecisionCounts } from '../../domain/sync/decision-counts.js';
import type { RepoRow } from '../../domain/entities.js';
import type { Store } from '../../store/store.js';
import type { ReconcileContext } from '../sync-context.js';

// The one apply path for repo sync: webhooks, the sync API and periodic resync all end here
// (STYLE.md, habit 2). Gather facts, call the pure decisions, write the plan, audit each decision.

const rowSubject = (row: RepoRow) => ({
  userId: row.userId,
  repoId: row.repoId,
  repoFullName: row.fullName,
  ...(row.installationId !== null ? { installationId: row.installationId } : {}),
});

const rowValue = (row: RepoRow | null): AuditValue =>
  row === null
    ? null
    : {
        fullName: row.fullName,
        rootDirectory: row.rootDirectory,
        defaultBranch: row.defaultBranch,
        visibility: row.visibility,
        archived: row.archived,
        installationId: row.installationId,
      };

/** How many repos a sync decides and writes at once: one read and one write per batch. */
export const ROWS_PER_BATCH = 500;

/**
 * Writes what changed together with the audit record of each decision, as one batch;
 * unchanged rows are counted, not written. `subProjects`, when given, counts the decisions on
 * sub-project rows once more, apart (a sync reports repos and sub-project rows apart).
 */
export async function applyRowPlans(
  store: Store,
  context: ReconcileContext,
  kind: RowDecisionSource,
  plans: RowPlan[],
  counts: DecisionCounts,
  subProjects?: DecisionCounts,
): Promise<void> {
  const rows: RepoRow[] = [];
  const audit: AuditDraft[] = [];
  for (const plan of plans) {
    counts[plan.decision] += 1;
    if (subProjects !== undefined && plan.after.rootDirectory !== null) subProjects[plan.decision] += 1;
    if (plan.decision === 'unchanged') continue;
    rows.push(plan.after);
    audit.push(
      auditFor(context, {
        kind: `${kind}.decision`,
        subject: rowSubject(plan.after),
        decision: plan.decision,
        reason: plan.reason ?? null,
        before: rowValue(plan.before),
        after: rowValue(plan.after),
      }),
    );
    if (plan.preserved) {
      audit.push(
        auditFor(context, {
          kind: 'sync.preserved_field',
          subject: rowSubject(plan.after),
          decision: 'preserved',
          reason: 'OAuth-only sync never sets, changes or clears a stored installation id (R2)',
          before: { [plan.preserved.field]: plan.preserved.kept },
          after: { [plan.preserved.field]: plan.preserved.kept, offered: plan.preserved.offered },
        }),
      );
    }
  }
  if (rows.length > 0) await store.writeRepoRows(rows, audit);
}

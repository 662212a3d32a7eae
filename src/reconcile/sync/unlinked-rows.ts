import { decideDetach } from '../../domain/decide-sync.js';
import { addCounts, emptyCounts, type DecisionCounts } from '../../domain/sync/decision-counts.js';
import type { RowDecisionSource } from '../../domain/audit/index.js';
import type { Store } from '../../store/store.js';
import type { ReconcileContext } from '../sync-context.js';
import { applyRowPlans, ROWS_PER_BATCH } from './apply-row-plans.js';

// Coverage is per user: installation-backed sync records an installation id only on the rows of
// users linked to it (R1). A user who unlinks an installation no longer reaches repos through
// it, so the rows it covered for that user lose it, or routing would keep waking the user's
// triggers on events of an installation the user gave up.

/** Detaches the user's rows (base and sub-project) bound to one installation, each audited. */
export async function detachUserRows(
  store: Store,
  context: ReconcileContext,
  kind: RowDecisionSource,
  userId: string,
  installationId: number,
  reason: string,
  subProjects?: DecisionCounts,
): Promise<DecisionCounts> {
  const counts = emptyCounts();
  for (;;) {
    // Each batch detaches the rows it read, so the next read from the start finds the rest.
    const page = await store.listRepoRows(userId, { limit: ROWS_PER_BATCH, installationId });
    await applyRowPlans(
      store,
      context,
      kind,
      page.map((row) => decideDetach(row, installationId, reason)),
      counts,
      subProjects,
    );
    if (page.length < ROWS_PER_BATCH) return counts;
  }
}

/**
 * The user's rows bound to installations the user is not linked to: left by an unlink that
 * stopped before its rows were detached, or by links removed before unlinking detached rows.
 * A sync of the user repairs them.
 */
export async function detachRowsOfUnlinked(
  store: Store,
  context: ReconcileContext,
  userId: string,
  linkedIds: readonly number[],
  subProjects: DecisionCounts,
): Promise<DecisionCounts> {
  const counts = emptyCounts();
  const linked = new Set(linkedIds);
  for (const installationId of await store.listRepoRowInstallationIds(userId)) {
    if (linked.has(installationId)) continue;
    addCounts(
      counts,
      await detachUserRows(
        store,
        context,
        'sync',
        userId,
        installationId,
        `user ${userId} is not linked to installation ${installationId}`,
        subProjects,
      ),
    );
  }
  return counts;
}

import type { RowDecisionSource } from '../../domain/audit/index.js';
import {
  decideBaseRow,
  decideSubProjectRow,
  type ListedRepo,
  type RowPlan,
  type SyncSource,
} from '../../domain/decide-sync.js';
import type { DecisionCounts } from '../../domain/sync/decision-counts.js';
import type { RepoRow } from '../../domain/entities.js';
import type { Store } from '../../store/store.js';
import type { ReconcileContext } from '../sync-context.js';
import { applyRowPlans, ROWS_PER_BATCH } from './apply-row-plans.js';

/**
 * Base rows of one user against what GitHub listed, and their sub-project rows after them (R3),
 * decided and written a batch of repos at a time: one read and one write per batch.
 */
export async function syncUserRows(
  store: Store,
  context: ReconcileContext,
  kind: RowDecisionSource,
  userId: string,
  listed: ListedRepo[],
  source: SyncSource,
  counts: DecisionCounts,
  subProjects: DecisionCounts,
): Promise<void> {
  const now = context.now().toISOString();
  for (let start = 0; start < listed.length; start += ROWS_PER_BATCH) {
    const batch = listed.slice(start, start + ROWS_PER_BATCH);
    const storedByRepo = new Map<number, RepoRow[]>();
    for (const row of await store.listRepoRowsOfRepos(
      userId,
      batch.map((repo) => repo.repoId),
    )) {
      storedByRepo.set(row.repoId, [...(storedByRepo.get(row.repoId) ?? []), row]);
    }
    const plans: RowPlan[] = [];
    for (const repo of batch) {
      const stored = storedByRepo.get(repo.repoId) ?? [];
      const base = decideBaseRow(stored.find((row) => row.rootDirectory === null) ?? null, repo, source, userId, now);
      plans.push(base);
      for (const sub of stored) if (sub.rootDirectory !== null) plans.push(decideSubProjectRow(sub, base.after));
    }
    await applyRowPlans(store, context, kind, plans, counts, subProjects);
  }
}

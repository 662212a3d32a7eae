import type { RowDecisionSource } from '../../domain/audit/index.js';
import { decideDetach } from '../../domain/decide-sync.js';
import { emptyCounts, type DecisionCounts } from '../../domain/sync/decision-counts.js';
import type { RepoRow } from '../../domain/entities.js';
import type { Store } from '../../store/store.js';
import type { ReconcileContext } from '../sync-context.js';
import { applyRowPlans, ROWS_PER_BATCH } from './apply-row-plans.js';

/** An installation's rows (every user), a page at a time in key order: never all of them in memory. */
export async function* installationRowPages(store: Store, installationId: number): AsyncGenerator<RepoRow[]> {
  let page = await store.listRepoRowsByInstallation(installationId, { limit: ROWS_PER_BATCH });
  for (;;) {
    const last = page[page.length - 1];
    if (last === undefined) return;
    yield page;
    if (page.length < ROWS_PER_BATCH) return;
    page = await store.listRepoRowsByInstallation(installationId, {
      limit: ROWS_PER_BATCH,
      after: { userId: last.userId, repoId: last.repoId, rootDirectory: last.rootDirectory },
    });
  }
}

/**
 * Rows that carried a removed installation's id lose it (R1, R7): repo scope removed or
 * installation deleted. `which` picks the rows of the installation that are affected; `reason`
 * says what took the coverage away, on each row's audit record.
 */
export async function detachRows(
  store: Store,
  context: ReconcileContext,
  installationId: number,
  kind: RowDecisionSource,
  which: (row: RepoRow) => boolean,
  reason: string,
  subProjects?: DecisionCounts,
): Promise<DecisionCounts> {
  const counts = emptyCounts();
  for await (const page of installationRowPages(store, installationId)) {
    const plans = page.filter(which).map((row) => decideDetach(row, installationId, reason));
    await applyRowPlans(store, context, kind, plans, counts, subProjects);
  }
  return counts;
}

import { decideBaseRow, decideRepoRefresh, type ListedRepo, type RowPlan } from '../../domain/decide-sync.js';
import { decideSyncedDelivery } from '../../domain/sync/decide-failed-run.js';
import { describeCounts, emptyCounts, type DecisionCounts } from '../../domain/sync/decision-counts.js';
import type { GitHubPort } from '../../github/github-port.js';
import { RetryLater, type ApplyOutcome } from '../../inbox/worker-contract.js';
import type { Store } from '../../store/store.js';
import type { ReconcileContext } from '../sync-context.js';
import { applyRowPlans } from '../sync/apply-row-plans.js';
import { syncInstallation } from '../sync/sync-installation.js';

// What the webhook handlers share (R7; repo-sync-and-rebinding.md, "What happens when
// installations change"). Deliveries can arrive out of order or twice (GITHUB-FACTS.md,
// Deliveries), so with App credentials every change to an installation's repositories ends in
// an installation-backed sync: GitHub's current state decides, not the order of arrival. Facts
// only a payload carries (deleted, suspended) are applied from it, idempotently.

export interface WebhookDeps {
  store: Store;
  github: GitHubPort;
  appCredentials: boolean;
  now: () => Date;
}

export const ignored = (reason: string): ApplyOutcome => ({ state: 'ignored', reason, audit: [] });

/** Ground truth from GitHub when the App can ask; otherwise the payload's own diff. */
export async function resyncOr(
  deps: WebhookDeps,
  context: ReconcileContext,
  installationId: number,
  fallback: () => Promise<string>,
): Promise<string> {
  if (!deps.appCredentials) return `${await fallback()} (from the payload: no App credentials to resync)`;
  const report = await syncInstallation(deps.store, deps.github, context, installationId);
  const next = decideSyncedDelivery(report);
  if (next.kind === 'retry_later') {
    throw new RetryLater(`resync of installation ${installationId} failed: ${report.message}`, next.retryAfterMs);
  }
  return report.status === 'completed'
    ? `installation ${installationId} resynced: ${describeCounts(report.counts)}`
    : `installation ${installationId} ${report.status}: ${report.message}`;
}

/** Coverage from a payload for the users linked to the installation (no App credentials). */
export async function coverFromPayload(
  store: Store,
  context: ReconcileContext,
  installationId: number,
  repos: ListedRepo[],
): Promise<string> {
  const counts = emptyCounts();
  const now = context.now().toISOString();
  for (const userId of await store.listUsersLinkedTo(installationId)) {
    const plans: RowPlan[] = [];
    for (const repo of repos) {
      const existing = await store.getRepoRow({ userId, repoId: repo.repoId, rootDirectory: null });
      // Short payload entries carry no default branch or archived flag: keep what is stored.
      const merged = {
        ...repo,
        defaultBranch: repo.defaultBranch ?? existing?.defaultBranch ?? null,
        archived: existing?.archived ?? repo.archived,
      };
      plans.push(decideBaseRow(existing, merged, { kind: 'installation', installationId }, userId, now));
    }
    await applyRowPlans(store, context, 'webhook', plans, counts);
  }
  return describeCounts(counts);
}

/** A repository event's identity and metadata on every row of that repo, whoever's it is. */
export async function refreshRepoRows(
  store: Store,
  context: ReconcileContext,
  repo: ListedRepo,
): Promise<DecisionCounts> {
  const counts = emptyCounts();
  const plans = (await store.listRepoRowsByRepoId(repo.repoId)).map((row) => decideRepoRefresh(row, repo));
  await applyRowPlans(store, context, 'webhook', plans, counts);
  return counts;
}

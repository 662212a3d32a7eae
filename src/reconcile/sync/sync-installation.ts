import type { AuditDraft, AuditValue } from '../../domain/audit/index.js';
import { auditFor } from '../../domain/audit-for.js';
import type { SyncSource } from '../../domain/decide-sync.js';
import { decideFailedRun } from '../../domain/sync/decide-failed-run.js';
import { addCounts, emptyCounts } from '../../domain/sync/decision-counts.js';
import { sparseInstallation, type Installation } from '../../domain/entities.js';
import { GitHubError, type GitHubPort, type InstallationFacts } from '../../github/github-port.js';
import type { Store } from '../../store/store.js';
import type { ReconcileContext } from '../sync-context.js';
import { applyRebind } from './apply-rebind.js';
import { detachRows } from './installation-rows.js';
import { inSyncSpan, syncPages, type Listing } from './sync-pages.js';
import type { InstallationSyncReport } from './sync-reports.js';
import { syncUserRows } from './sync-user-rows.js';

function installationFromFacts(facts: InstallationFacts, now: string): Installation {
  return {
    id: facts.id,
    accountId: facts.accountId,
    accountLogin: facts.accountLogin,
    accountType: facts.accountType,
    targetType: facts.targetType,
    permissions: facts.permissions,
    repositorySelection: facts.repositorySelection,
    events: facts.events,
    suspendedAt: facts.suspendedAt,
    suspendedBy: facts.suspendedBy,
    // GitHub answering for it means it exists: a deletion we recorded was followed by a re-install.
    deletedAt: null,
    updatedAt: now,
  };
}

/**
 * Installation-backed sync of one installation (R1, R8): record its id on the base rows of every
 * user linked to it, detach rows it no longer lists, then repair stale bindings. A suspended
 * installation is reported and detaches nothing; a failure while GitHub is listed keeps the rows
 * of the pages read and detaches nothing, because detaching waits for the whole list.
 */
export function syncInstallation(
  store: Store,
  github: GitHubPort,
  context: ReconcileContext,
  installationId: number,
): Promise<InstallationSyncReport> {
  return inSyncSpan('sync installation', { 'github.installation.id': installationId }, () =>
    runInstallationSync(store, github, context, installationId),
  );
}

async function runInstallationSync(
  store: Store,
  github: GitHubPort,
  context: ReconcileContext,
  installationId: number,
): Promise<InstallationSyncReport> {
  const started = performance.now();
  // The run's own record: its outcome, counts and duration (the sync metrics are read from it).
  const runAudit = (decision: string, reason: string | null, after: Record<string, AuditValue> = {}): AuditDraft =>
    auditFor(context, {
      kind: 'sync.installation',
      subject: { installationId },
      decision,
      reason,
      after: { ...after, durationMs: Math.round(performance.now() - started) },
    });
  const report: InstallationSyncReport = {
    kind: 'installation',
    installationId,
    status: 'completed',
    message: null,
    retryable: false,
    retryAfterMs: null,
    pages: 0,
    reposListed: 0,
    users: await store.listUsersLinkedTo(installationId),
    counts: emptyCounts(),
    subProjectCounts: emptyCounts(),
    rebind: [],
  };
  const now = context.now().toISOString();
  const source: SyncSource = { kind: 'installation', installationId };
  const listing: Listing = { pages: 0, listedIds: new Set() };
  try {
    const facts = await github.getInstallation(installationId);
    await store.upsertInstallation(installationFromFacts(facts, now));
    if (facts.suspendedAt !== null) {
      report.status = 'suspended';
      report.message = `installation ${installationId} is suspended (since ${facts.suspendedAt}); its coverage is kept and nothing is detached`;
      await store.appendAudit([runAudit('suspended', report.message)]);
      return report;
    }
    if (report.users.length === 0) {
      // Nobody's rows carry this installation yet: listing its repositories would change nothing.
      report.message = `no user is linked to installation ${installationId}; its metadata was refreshed`;
      await store.appendAudit([runAudit('completed', report.message)]);
      return report;
    }
    await syncPages(
      github.listInstallationRepos(installationId),
      context,
      `installation:${installationId}`,
      listing,
      async (repos) => {
        for (const userId of report.users)
          await syncUserRows(store, context, 'sync', userId, repos, source, report.counts, report.subProjectCounts);
      },
    );
  } catch (error) {
    if (!(error instanceof GitHubError)) throw error;
    report.pages = listing.pages;
    report.reposListed = listing.listedIds.size;
    report.retryable = error.retryable;
    report.retryAfterMs = error.retryAfterMs;
    report.message = error.message;
    const plan = decideFailedRun(error, listing.pages);
    report.status = plan.status;
    if (plan.status === 'suspended') {
      const current = await store.getInstallation(installationId);
      if (current !== null && current.suspendedAt === null)
        await store.upsertInstallation({ ...current, suspendedAt: now, updatedAt: now });
    } else if (plan.status === 'deleted') {
      await store.upsertInstallation({
        ...((await store.getInstallation(installationId)) ?? sparseInstallation(installationId, now)),
        deletedAt: now,
        updatedAt: now,
      });
      // Deleted while it was listed: the pages already recorded bound rows to it. They lose it
      // as installation.deleted would take it away, even if that webhook was applied meanwhile.
      if (plan.detachAll)
        addCounts(
          report.counts,
          await detachRows(
            store,
            context,
            installationId,
            'sync',
            () => true,
            `GitHub answers that installation ${installationId} no longer exists`,
            report.subProjectCounts,
          ),
        );
    }
    // What the pages read before the failure decided is committed: the run record counts it.
    await store.appendAudit([
      runAudit(report.status, error.message, {
        pages: report.pages,
        reposListed: report.reposListed,
        counts: { ...report.counts },
      }),
    ]);
    return report;
  }

  report.pages = listing.pages;
  report.reposListed = listing.listedIds.size;
  const { listedIds } = listing;
  const linkedUsers = new Set(report.users);
  addCounts(
    report.counts,
    await detachRows(
      store,
      context,
      installationId,
      'sync',
      (row) => linkedUsers.has(row.userId) && !listedIds.has(row.repoId),
      `installation ${installationId} no longer lists the repository (installation-backed sync)`,
      report.subProjectCounts,
    ),
  );
  const audit: AuditDraft[] = [];
  for (const userId of report.users) {
    const rebind = await applyRebind(store, context, userId, installationId);
    report.rebind.push(rebind.outcome);
    audit.push(...rebind.audit);
  }
  audit.push(
    runAudit('completed', null, {
      pages: report.pages,
      reposListed: report.reposListed,
      users: report.users,
      counts: { ...report.counts },
      rebind: report.rebind.map((r) => ({ outcome: r.outcome, reason: r.outcome === 'skipped' ? r.reason : null })),
    }),
  );
  await store.appendAudit(audit);
  return report;
}

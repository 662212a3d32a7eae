import { auditFor } from '../../domain/audit-for.js';
import { emptyCounts } from '../../domain/sync/decision-counts.js';
import { GitHubError, type GitHubPort } from '../../github/github-port.js';
import type { Store } from '../../store/store.js';
import type { ReconcileContext } from '../sync-context.js';
import { inSyncSpan, syncPages, type Listing } from './sync-pages.js';
import type { OAuthSyncReport } from './sync-reports.js';
import { syncUserRows } from './sync-user-rows.js';

/** OAuth-only sync (R2): visibility for the user; it never sets, changes or clears an installation id. */
export function syncOAuth(
  store: Store,
  github: GitHubPort,
  context: ReconcileContext,
  userId: string,
  oauthToken: string,
): Promise<OAuthSyncReport> {
  return inSyncSpan('sync oauth', { 'reconciler.user.id': userId }, () =>
    runOAuthSync(store, github, context, userId, oauthToken),
  );
}

async function runOAuthSync(
  store: Store,
  github: GitHubPort,
  context: ReconcileContext,
  userId: string,
  oauthToken: string,
): Promise<OAuthSyncReport> {
  const started = performance.now();
  const report: OAuthSyncReport = {
    kind: 'oauth',
    userId,
    status: 'completed',
    message: null,
    pages: 0,
    reposListed: 0,
    counts: emptyCounts(),
    subProjectCounts: emptyCounts(),
  };
  const listing: Listing = { pages: 0, listedIds: new Set() };
  // The run's own record, completed or failed, with what its pages got through.
  const recordRun = async (decision: 'completed' | 'failed', reason: string | null): Promise<OAuthSyncReport> => {
    report.pages = listing.pages;
    report.reposListed = listing.listedIds.size;
    await store.appendAudit([
      auditFor(context, {
        kind: 'sync.oauth',
        subject: { userId },
        decision,
        reason,
        after: {
          pages: report.pages,
          reposListed: report.reposListed,
          counts: { ...report.counts },
          durationMs: Math.round(performance.now() - started),
        },
      }),
    ]);
    return report;
  };
  try {
    await syncPages(github.listUserRepos(oauthToken), context, 'oauth', listing, (repos) =>
      syncUserRows(
        store,
        context,
        'oauth_sync',
        userId,
        repos,
        { kind: 'oauth' },
        report.counts,
        report.subProjectCounts,
      ),
    );
  } catch (error) {
    if (!(error instanceof GitHubError)) throw error;
    report.status = 'failed';
    report.message = error.message;
    return recordRun('failed', error.message);
  }
  return recordRun('completed', null);
}

import { randomUUID } from 'node:crypto';
import { installationState } from '../domain/entities.js';
import type { GitHubPort } from '../github/github-port.js';
import type { Store } from '../store/store.js';
import { activeSpanTrace, currentTraceId, inSpan } from '../telemetry/tracing.js';
import type { PageProgress } from './sync-context.js';
import { addCounts, emptyCounts, type DecisionCounts } from '../domain/sync/decision-counts.js';
import { syncInstallation } from './sync/sync-installation.js';
import { syncOAuth } from './sync/sync-oauth.js';
import { recordNoInstallations } from './sync/apply-rebind.js';
import { detachRowsOfUnlinked } from './sync/unlinked-rows.js';
import type { InstallationSyncReport, OAuthSyncReport, RebindOutcome } from './sync/sync-reports.js';

export interface UserSyncResult {
  syncId: string;
  userId: string;
  traceId: string | null;
  installationSync: { available: boolean; reason: string | null; runs: InstallationSyncReport[] };
  oauthSync: OAuthSyncReport | null;
  counts: DecisionCounts;
  /** The decisions of `counts` that were about sub-project rows (the rest are about repos). */
  subProjectCounts: DecisionCounts;
  rebind: RebindOutcome[];
}

/** For a sync that reports progress while it runs (`?async=1`, `npm run sync`). */
export interface SyncObserver {
  syncId?: string;
  onPage?: (progress: PageProgress) => void;
  onRunFinished?: (counts: DecisionCounts) => void;
}

const NO_APP_CREDENTIALS =
  'installation-backed sync needs GitHub App credentials: set GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY (or GITHUB_APP_PRIVATE_KEY_PATH)';

function noLiveInstallation(userId: string, deletedIds: readonly number[]): string {
  const skipped = 'rebind is skipped (no_installations)';
  if (deletedIds.length === 0) return `user ${userId} has no linked installation: ${skipped}`;
  const listed = deletedIds.join(', ');
  return `every installation linked to user ${userId} (${listed}) is deleted: there is nothing to sync and ${skipped}; install the App again and link the new installation (PUT /api/users/${userId}/installations/<id>)`;
}

/**
 * Sync of one user (R4): installation-backed sync of each of the user's live installations
 * when App credentials exist, then OAuth-only sync when a token is given. OAuth sync adds
 * visibility only, so running it second never lets it outrank installation coverage. Rows still
 * bound to an installation the user is no longer linked to are detached first.
 */
export async function syncUser(
  deps: { store: Store; github: GitHubPort; appCredentials: boolean; now: () => Date },
  userId: string,
  oauthToken: string | null,
  progress: SyncObserver = {},
): Promise<UserSyncResult> {
  const syncId = progress.syncId ?? randomUUID();
  // A root span when no request started it, so that every run of one sync shares one trace.
  return inSpan(
    'sync user',
    { attributes: { 'reconciler.user.id': userId, 'reconciler.sync.id': syncId } },
    async () => {
      const context = {
        actor: 'sync' as const,
        source: { type: 'sync' as const, id: syncId },
        deliveryId: null,
        traceId: currentTraceId(),
        now: deps.now,
        trace: activeSpanTrace,
        ...(progress.onPage ? { onPage: progress.onPage } : {}),
      };
      const result: UserSyncResult = {
        syncId,
        userId,
        traceId: context.traceId,
        installationSync: {
          available: deps.appCredentials,
          reason: deps.appCredentials ? null : NO_APP_CREDENTIALS,
          runs: [],
        },
        oauthSync: null,
        counts: emptyCounts(),
        subProjectCounts: emptyCounts(),
        rebind: [],
      };
      const linkedIds = await deps.store.listLinkedInstallationIds(userId);
      addCounts(
        result.counts,
        await detachRowsOfUnlinked(deps.store, context, userId, linkedIds, result.subProjectCounts),
      );
      if (deps.appCredentials) {
        const linked = await deps.store.listInstallations(linkedIds);
        const live = linked.filter((installation) => installationState(installation) !== 'deleted');
        for (const installation of live) {
          const run = await syncInstallation(deps.store, deps.github, context, installation.id);
          result.installationSync.runs.push(run);
          addCounts(result.counts, run.counts);
          addCounts(result.subProjectCounts, run.subProjectCounts);
          progress.onRunFinished?.(run.counts);
          result.rebind.push(...run.rebind.filter((outcome) => outcome.userId === userId));
        }
        if (live.length === 0) {
          const deleted = linked.map((installation) => installation.id);
          result.installationSync.reason = noLiveInstallation(userId, deleted);
          result.rebind.push(await recordNoInstallations(deps.store, context, userId, deleted));
        }
      }
      if (oauthToken !== null) {
        result.oauthSync = await syncOAuth(deps.store, deps.github, context, userId, oauthToken);
        addCounts(result.counts, result.oauthSync.counts);
        addCounts(result.subProjectCounts, result.oauthSync.subProjectCounts);
        progress.onRunFinished?.(result.oauthSync.counts);
      }
      return result;
    },
  );
}

import type { EmitterWebhookEventName } from '@octokit/webhooks/types';
import { auditFor } from '../../domain/audit-for.js';
import { describeCounts } from '../../domain/sync/decision-counts.js';
import type { WebhookRouter } from '../webhook-router.js';
import { coverFromPayload, ignored, refreshRepoRows, resyncOr, type WebhookDeps } from './apply-repo-changes.js';
import { listedRepoFrom } from './listed-repos.js';
import { reconcileFormerInstallations, transferredFrom } from './transferred.js';

// repository.* (R7): a repo's identity and metadata reach every row of it; deleted removes them.

const NO_REPOSITORY = 'the payload has no usable repository';

/** Changes of name, owner, visibility, default branch or archived flag: refreshed from the payload. */
const REFRESHED = [
  'repository.created',
  'repository.renamed',
  'repository.transferred',
  'repository.publicized',
  'repository.privatized',
  'repository.edited',
  'repository.archived',
  'repository.unarchived',
] as const satisfies readonly EmitterWebhookEventName[];

export function onRepository(router: WebhookRouter, deps: WebhookDeps): void {
  const { store } = deps;

  router.on('repository.deleted', async (context) => {
    const repo = listedRepoFrom(context.payload?.repository);
    if (repo === null) return ignored(NO_REPOSITORY);
    const rows = await store.listRepoRowsByRepoId(repo.repoId);
    const deleted = await store.deleteRepoRowsByRepoId(repo.repoId);
    const audit = rows.map((row) =>
      auditFor(context.audit, {
        kind: 'webhook.decision',
        subject: { userId: row.userId, repoId: row.repoId, repoFullName: row.fullName },
        decision: 'deleted',
        reason: 'GitHub reports the repository deleted',
        before: { rootDirectory: row.rootDirectory, installationId: row.installationId },
      }),
    );
    return { state: 'applied', reason: `repository ${repo.fullName} deleted: ${deleted} rows removed`, audit };
  });

  router.on(REFRESHED, async (context) => {
    const repo = listedRepoFrom(context.payload?.repository);
    if (repo === null) return ignored(NO_REPOSITORY);
    const action = context.name.split('.')[1] ?? '';
    // Read before the refresh: which installations covered the repo under its former owner.
    const formerRows = context.name === 'repository.transferred' ? await store.listRepoRowsByRepoId(repo.repoId) : [];
    const refreshed = await refreshRepoRows(store, context.audit, repo);
    let reason = `repository ${repo.fullName} ${action}: ${describeCounts(refreshed)}`;
    // In repository events sent to an App, `installation` is only { id } (GITHUB-FACTS.md); the
    // inbox checked and indexed it when the delivery arrived.
    const installationId = context.delivery.installationId;
    if (
      installationId !== null &&
      (context.name === 'repository.created' || context.name === 'repository.transferred' || deps.appCredentials)
    ) {
      reason += `; ${await resyncOr(deps, context.audit, installationId, () =>
        coverFromPayload(store, context.audit, installationId, [repo]),
      )}`;
    }
    if (context.name === 'repository.transferred') {
      const from = transferredFrom(context.payload?.changes?.owner?.from);
      for (const reconciled of await reconcileFormerInstallations(deps, context.audit, repo, formerRows, {
        from,
        deliveredTo: installationId,
      }))
        reason += `; ${reconciled}`;
    }
    return { state: 'applied', reason, audit: [] };
  });
}

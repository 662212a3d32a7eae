import { describeCounts } from '../../domain/sync/decision-counts.js';
import type { WebhookRouter } from '../webhook-router.js';
import { detachRows } from '../sync/installation-rows.js';
import { coverFromPayload, ignored, resyncOr, type WebhookDeps } from './apply-repo-changes.js';
import { idOf, listOf } from './claimed-payload.js';
import { shortRepoFrom } from './listed-repos.js';

// installation_repositories.added / removed (R7): the installation's scope changed. Its entries
// carry id, name, full_name and private only (GITHUB-FACTS.md, Installations).

export function onInstallationRepositories(router: WebhookRouter, deps: WebhookDeps): void {
  router.on('installation_repositories.added', async (context) => {
    const id = idOf(context.payload?.installation?.id);
    if (id === null) return ignored('the payload has no installation id');
    const entries = (listOf(context.payload?.repositories_added) ?? []).map(shortRepoFrom).filter((r) => r !== null);
    const reason = await resyncOr(deps, context.audit, id, () =>
      coverFromPayload(deps.store, context.audit, id, entries),
    );
    return { state: 'applied', reason: `${entries.length} repositories added; ${reason}`, audit: [] };
  });

  router.on('installation_repositories.removed', async (context) => {
    const id = idOf(context.payload?.installation?.id);
    if (id === null) return ignored('the payload has no installation id');
    const entries = (listOf(context.payload?.repositories_removed) ?? []).map(shortRepoFrom).filter((r) => r !== null);
    const removed = new Set(entries.map((r) => r.repoId));
    const reason = await resyncOr(deps, context.audit, id, async () =>
      describeCounts(
        await detachRows(
          deps.store,
          context.audit,
          id,
          'webhook',
          (row) => removed.has(row.repoId),
          `the repository was removed from installation ${id} (installation_repositories.removed)`,
        ),
      ),
    );
    return { state: 'applied', reason: `${entries.length} repositories removed; ${reason}`, audit: [] };
  });
}

import type { EmitterWebhookEvent } from '@octokit/webhooks/types';
import type { ListedRepo } from '../../domain/decide-sync.js';
import { describeCounts } from '../../domain/sync/decision-counts.js';
import type { RepoRow } from '../../domain/entities.js';
import type { ReconcileContext } from '../sync-context.js';
import { detachRows } from '../sync/installation-rows.js';
import { resyncOr, type WebhookDeps } from './apply-repo-changes.js';
import { textOf, type Claimed } from './claimed-payload.js';

// repository.transferred is sent to the installation of the new owner only. The old owner's
// installation sees installation_repositories.removed when it had selected repositories, and
// nothing at all when it covered all of them (GITHUB-FACTS.md, Repositories): the installations
// the repo's rows were bound to are reconciled here, or their rows would stay covered by an
// installation of an account that no longer owns the repo until the next drift resync.

type FormerOwner = NonNullable<EmitterWebhookEvent<'repository.transferred'>['payload']['changes']['owner']['from']>;

/** The former owner's login (a user or an organization); null when the payload does not say. */
export const transferredFrom = (from: Claimed<FormerOwner>): string | null =>
  textOf(from?.user?.login) ?? textOf(from?.organization?.login);

/**
 * Every installation other than the delivering one that the repo's rows carried before the
 * transfer: resynced with App credentials (GitHub's list decides), else its rows of the repo are
 * detached from the payload's word. One sentence per installation, for the delivery's reason.
 */
export async function reconcileFormerInstallations(
  deps: WebhookDeps,
  context: ReconcileContext,
  repo: ListedRepo,
  formerRows: readonly RepoRow[],
  transfer: { from: string | null; deliveredTo: number | null },
): Promise<string[]> {
  const former = [
    ...new Set(formerRows.flatMap((row) => (row.installationId === null ? [] : [row.installationId]))),
  ].filter((id) => id !== transfer.deliveredTo);
  const moved = `${repo.fullName} was transferred${transfer.from === null ? '' : ` from ${transfer.from}`} to ${repo.owner}`;
  const reconciled: string[] = [];
  for (const installationId of former.sort((a, b) => a - b)) {
    const outcome = await resyncOr(deps, context, installationId, async () =>
      describeCounts(
        await detachRows(
          deps.store,
          context,
          installationId,
          'webhook',
          (row) => row.repoId === repo.repoId,
          `${moved}: installation ${installationId} of the former owner no longer covers it (GitHub tells it nothing when it covered all repositories)`,
        ),
      ),
    );
    reconciled.push(`former installation ${installationId}: ${outcome}`);
  }
  return reconciled;
}

import { decideRepoRefresh } from '../../domain/decide-sync.js';
import { emptyCounts, describeCounts } from '../../domain/sync/decision-counts.js';
import { sparseInstallation, type RepoRow } from '../../domain/entities.js';
import type { WebhookRouter } from '../webhook-router.js';
import type { Store } from '../../store/store.js';
import { applyRowPlans, ROWS_PER_BATCH } from '../sync/apply-row-plans.js';
import { installationRowPages } from '../sync/installation-rows.js';
import { ignored, resyncOr, type WebhookDeps } from './apply-repo-changes.js';
import { idOf, textOf } from './claimed-payload.js';

// installation_target.renamed: the account was renamed (beyond the product document, R7).
// `changes.login.from` (or `changes.slug.from`) holds the old name (GITHUB-FACTS.md, Installations).

const sameLogin = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/** The row under the account's new name: the repo's own name and metadata are unchanged. */
const renamedRow = (row: RepoRow, newLogin: string) =>
  decideRepoRefresh(row, {
    repoId: row.repoId,
    fullName: `${newLogin}/${row.name}`,
    owner: newLogin,
    name: row.name,
    defaultBranch: row.defaultBranch,
    visibility: row.visibility,
    archived: row.archived,
  });

/** A user's rows bound to no installation (OAuth-only), a page at a time in key order. */
async function* unboundRowPages(store: Store, userId: string): AsyncGenerator<RepoRow[]> {
  let after: Pick<RepoRow, 'repoId' | 'rootDirectory'> | undefined;
  for (;;) {
    const page = await store.listRepoRows(userId, {
      limit: ROWS_PER_BATCH,
      installationId: null,
      ...(after === undefined ? {} : { after }),
    });
    const last = page[page.length - 1];
    if (last === undefined) return;
    yield page;
    if (page.length < ROWS_PER_BATCH) return;
    after = { repoId: last.repoId, rootDirectory: last.rootDirectory };
  }
}

export function onInstallationTarget(router: WebhookRouter, deps: WebhookDeps): void {
  const { store } = deps;
  router.on('installation_target.renamed', async (context) => {
    const { payload } = context;
    const id = idOf(payload?.installation?.id);
    if (id === null) return ignored('installation_target.renamed is not handled');
    const newLogin = textOf(payload?.account?.login) ?? textOf(payload?.account?.slug);
    const oldLogin = textOf(payload?.changes?.login?.from) ?? textOf(payload?.changes?.slug?.from);
    if (newLogin === null || oldLogin === null)
      return ignored('the payload does not say the old and new account names');
    const now = context.now().toISOString();
    const stored = await store.getInstallation(id);
    await store.upsertInstallation({
      ...(stored ?? sparseInstallation(id, now)),
      accountLogin: newLogin,
      updatedAt: now,
    });
    // Full names change with the account, ids do not (GITHUB-FACTS.md, installation_target).
    // GitHub renames every repo of the account, so the rows of the users linked to the
    // installation that only OAuth found (bound to no installation) are renamed as well.
    const counts = emptyCounts();
    const rename = (page: RepoRow[]) =>
      applyRowPlans(
        store,
        context.audit,
        'webhook',
        page.filter((row) => sameLogin(row.owner, oldLogin)).map((row) => renamedRow(row, newLogin)),
        counts,
      );
    for await (const page of installationRowPages(store, id)) await rename(page);
    for (const userId of await store.listUsersLinkedTo(id))
      for await (const page of unboundRowPages(store, userId)) await rename(page);
    let reason = `account ${oldLogin} renamed to ${newLogin}: ${describeCounts(counts)}`;
    if (deps.appCredentials) reason += `; ${await resyncOr(deps, context.audit, id, async () => '')}`;
    return { state: 'applied', reason, audit: [] };
  });
}

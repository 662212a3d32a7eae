import { decideRepoRefresh } from '../../domain/decide-sync.js';
import { emptyCounts, describeCounts } from '../../domain/sync/decision-counts.js';
import { sparseInstallation } from '../../domain/entities.js';
import type { WebhookRouter } from '../webhook-router.js';
import { applyRowPlans } from '../sync/apply-row-plans.js';
import { installationRowPages } from '../sync/installation-rows.js';
import { ignored, resyncOr, type WebhookDeps } from './apply-repo-changes.js';
import { idOf, textOf } from './claimed-payload.js';

// installation_target.renamed: the account was renamed (beyond the product document, R7).
// `changes.login.from` (or `changes.slug.from`) holds the old name (GITHUB-FACTS.md, Installations).

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
    const counts = emptyCounts();
    for await (const page of installationRowPages(store, id)) {
      const plans = page
        .filter((row) => row.owner === oldLogin)
        .map((row) =>
          decideRepoRefresh(row, {
            repoId: row.repoId,
            fullName: `${newLogin}/${row.name}`,
            owner: newLogin,
            name: row.name,
            defaultBranch: row.defaultBranch,
            visibility: row.visibility,
            archived: row.archived,
          }),
        );
      await applyRowPlans(store, context.audit, 'webhook', plans, counts);
    }
    let reason = `account ${oldLogin} renamed to ${newLogin}: ${describeCounts(counts)}`;
    if (deps.appCredentials) reason += `; ${await resyncOr(deps, context.audit, id, async () => '')}`;
    return { state: 'applied', reason, audit: [] };
  });
}

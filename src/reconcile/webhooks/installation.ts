import type { EmitterWebhookEvent } from '@octokit/webhooks/types';
import { auditFor } from '../../domain/audit-for.js';
import { describeCounts } from '../../domain/sync/decision-counts.js';
import { sparseInstallation, type AccountType, type Installation } from '../../domain/entities.js';
import type { WebhookContext, WebhookRouter } from '../webhook-router.js';
import { detachRows } from '../sync/installation-rows.js';
import { coverFromPayload, ignored, resyncOr, type WebhookDeps } from './apply-repo-changes.js';
import { idOf, listOf, stringMapOf, stringsOf, textOf, type Claimed } from './claimed-payload.js';
import { shortRepoFrom } from './listed-repos.js';

// installation.* (R7): the installation row from the payload, then GitHub's word on its repos.

type InstallationObject = EmitterWebhookEvent<'installation'>['payload']['installation'];

/** An installation's account: a User or Organization has a login, an Enterprise a slug. */
function accountFrom(installation: Claimed<InstallationObject>): {
  id: number | null;
  login: string | null;
  type: AccountType | null;
} {
  const account = installation?.account;
  const slug = textOf(account?.slug);
  const login = textOf(account?.login);
  const type = textOf(account?.type);
  return {
    id: idOf(account?.id),
    login: login ?? slug,
    type: login === null && slug !== null ? 'Enterprise' : type === 'User' || type === 'Organization' ? type : null,
  };
}

/** What the payload says of the installation, over what is stored where it says nothing usable. */
function installationFrom(
  installation: Claimed<InstallationObject>,
  id: number,
  stored: Installation | null,
  now: string,
): Installation {
  const account = accountFrom(installation);
  const selection = textOf(installation?.repository_selection);
  return {
    ...(stored ?? sparseInstallation(id, now)),
    accountId: account.id ?? stored?.accountId ?? null,
    accountLogin: account.login ?? stored?.accountLogin ?? null,
    accountType: account.type ?? stored?.accountType ?? null,
    targetType: textOf(installation?.target_type) ?? stored?.targetType ?? null,
    permissions: stringMapOf(installation?.permissions) ?? stored?.permissions ?? null,
    repositorySelection:
      selection === 'all' || selection === 'selected' ? selection : (stored?.repositorySelection ?? null),
    events: stringsOf(installation?.events) ?? stored?.events ?? [],
    updatedAt: now,
  };
}

/** The checked installation id and what is stored of it; null when the payload names none. */
async function gather(deps: WebhookDeps, context: WebhookContext<InstallationName>) {
  const body = context.payload?.installation;
  const id = idOf(body?.id);
  if (id === null) return null;
  const audit = (decision: string, reason: string | null = null) =>
    auditFor(context.audit, { kind: 'webhook.installation', subject: { installationId: id }, decision, reason });
  return { body, id, stored: await deps.store.getInstallation(id), now: context.now().toISOString(), audit };
}

type InstallationName =
  | 'installation.created'
  | 'installation.deleted'
  | 'installation.suspend'
  | 'installation.unsuspend'
  | 'installation.new_permissions_accepted';

const NO_INSTALLATION_ID = 'the payload has no installation id';

export function onInstallation(router: WebhookRouter, deps: WebhookDeps): void {
  const { store } = deps;

  router.on(
    ['installation.created', 'installation.new_permissions_accepted', 'installation.unsuspend'],
    async (context) => {
      const facts = await gather(deps, context);
      if (facts === null) return ignored(NO_INSTALLATION_ID);
      const { id, now } = facts;
      const action = context.name.split('.')[1] ?? '';
      await store.upsertInstallation({
        ...installationFrom(facts.body, id, facts.stored, now),
        suspendedAt: null,
        suspendedBy: null,
        deletedAt: null,
      });
      // installation.created lists repositories, but not always all of them (GITHUB-FACTS.md): resync.
      const listed = context.name === 'installation.created' ? (listOf(context.payload?.repositories) ?? []) : [];
      const repos = listed.map(shortRepoFrom).filter((r) => r !== null);
      const reason = await resyncOr(deps, context.audit, id, () => coverFromPayload(store, context.audit, id, repos));
      return { state: 'applied', reason: `installation ${action}; ${reason}`, audit: [facts.audit(action, reason)] };
    },
  );

  router.on('installation.suspend', async (context) => {
    const facts = await gather(deps, context);
    if (facts === null) return ignored(NO_INSTALLATION_ID);
    const { id, now } = facts;
    const suspendedAt = textOf(facts.body?.suspended_at) ?? now;
    const suspendedBy = textOf(facts.body?.suspended_by?.login) ?? textOf(context.payload?.sender?.login);
    await store.upsertInstallation({
      ...installationFrom(facts.body, id, facts.stored, now),
      suspendedAt,
      suspendedBy,
    });
    // A late suspend must not overrule a newer unsuspend: GitHub's answer has the last word.
    const confirmed = await resyncOr(
      deps,
      context.audit,
      id,
      async () => 'coverage kept, routing stops until it is unsuspended',
    );
    const reason = `installation ${id} suspended; ${confirmed}`;
    return { state: 'applied', reason, audit: [facts.audit('suspended', reason)] };
  });

  router.on('installation.deleted', async (context) => {
    const facts = await gather(deps, context);
    if (facts === null) return ignored(NO_INSTALLATION_ID);
    const { id, now } = facts;
    await store.upsertInstallation({ ...installationFrom(facts.body, id, facts.stored, now), deletedAt: now });
    // installation.deleted means every repo lost its coverage (GITHUB-FACTS.md, Installations).
    const detached = await detachRows(
      store,
      context.audit,
      id,
      'webhook',
      () => true,
      `installation ${id} was deleted (installation.deleted)`,
    );
    const reason = `installation ${id} deleted: ${describeCounts(detached)}`;
    return { state: 'applied', reason, audit: [facts.audit('deleted', reason)] };
  });
}

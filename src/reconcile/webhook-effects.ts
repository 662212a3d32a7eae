import type { Delivery } from '../domain/delivery.js';
import { decideBaseRow, decideRepoRefresh, type ListedRepo, type RowPlan } from '../domain/decide-sync.js';
import { sparseInstallation, type Installation } from '../domain/entities.js';
import type { GitHubPort } from '../github/github-port.js';
import { RetryLater, type ApplyOutcome } from '../inbox/worker-contract.js';
import type { Store } from '../store/store.js';
import {
  accountFrom,
  arrayAt,
  idAt,
  listedRepoFrom,
  objectAt,
  parsePayload,
  shortRepoFrom,
  stringAt,
  type Json,
} from './read-payload.js';
import { auditFor } from '../domain/audit-for.js';
import { deliveryContext, type ReconcileContext } from './sync-context.js';
import { emptyCounts, type DecisionCounts } from '../domain/sync/decision-counts.js';
import { applyRowPlans } from './sync/apply-row-plans.js';
import { detachRows, installationRowPages } from './sync/installation-rows.js';
import { syncInstallation } from './sync/sync-installation.js';

// What each webhook does to the routing model (R7; repo-sync-and-rebinding.md, "What happens
// when installations change"). Deliveries can arrive out of order or twice (GITHUB-FACTS.md,
// Deliveries), so with App credentials every change to an installation's repositories ends in
// an installation-backed sync: GitHub's current state decides, not the order of arrival. Facts
// only a payload carries (deleted, suspended) are applied from it, idempotently.

export type EventHandler = (delivery: Delivery, payload: string) => Promise<ApplyOutcome>;

export interface WebhookEffectDeps {
  store: Store;
  github: GitHubPort;
  appCredentials: boolean;
  now: () => Date;
}

const ignored = (reason: string): ApplyOutcome => ({ state: 'ignored', reason, audit: [] });

const describe = (counts: DecisionCounts): string =>
  Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([decision, n]) => `${n} ${decision}`)
    .join(', ') || 'no row changed';

function installationFromPayload(
  installation: Json,
  id: number,
  stored: Installation | null,
  now: string,
): Installation {
  const account = accountFrom(installation);
  const permissions = objectAt(installation, 'permissions');
  const selection = stringAt(installation, 'repository_selection');
  const events = installation.events;
  return {
    ...(stored ?? sparseInstallation(id, now)),
    accountId: account.id ?? stored?.accountId ?? null,
    accountLogin: account.login ?? stored?.accountLogin ?? null,
    accountType: account.type ?? stored?.accountType ?? null,
    targetType: stringAt(installation, 'target_type') ?? stored?.targetType ?? null,
    permissions: permissions
      ? Object.fromEntries(Object.entries(permissions).filter((e): e is [string, string] => typeof e[1] === 'string'))
      : (stored?.permissions ?? null),
    repositorySelection:
      selection === 'all' || selection === 'selected' ? selection : (stored?.repositorySelection ?? null),
    events: Array.isArray(events) ? events.filter((e): e is string => typeof e === 'string') : (stored?.events ?? []),
    updatedAt: now,
  };
}

export function webhookHandlers(deps: WebhookEffectDeps): Record<string, EventHandler> {
  const { store } = deps;
  const contextFor = (delivery: Delivery): ReconcileContext => deliveryContext(delivery, deps.now);

  /** Ground truth from GitHub when the App can ask; otherwise the payload's own diff. */
  const resyncOr = async (
    context: ReconcileContext,
    installationId: number,
    fallback: () => Promise<string>,
  ): Promise<string> => {
    if (!deps.appCredentials) return `${await fallback()} (from the payload: no App credentials to resync)`;
    const report = await syncInstallation(store, deps.github, context, installationId);
    if (report.status === 'failed' && report.retryable) {
      throw new RetryLater(`resync of installation ${installationId} failed: ${report.message}`, report.retryAfterMs);
    }
    return report.status === 'completed'
      ? `installation ${installationId} resynced: ${describe(report.counts)}`
      : `installation ${installationId} ${report.status}: ${report.message}`;
  };

  /** Coverage from a payload for the users linked to the installation (no App credentials). */
  const coverFromPayload = async (
    context: ReconcileContext,
    installationId: number,
    repos: ListedRepo[],
  ): Promise<string> => {
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
    return describe(counts);
  };

  const refreshRepoRows = async (context: ReconcileContext, repo: ListedRepo): Promise<DecisionCounts> => {
    const counts = emptyCounts();
    const plans = (await store.listRepoRowsByRepoId(repo.repoId)).map((row) => decideRepoRefresh(row, repo));
    await applyRowPlans(store, context, 'webhook', plans, counts);
    return counts;
  };

  const installation: EventHandler = async (delivery, raw) => {
    const payload = parsePayload(raw);
    const body = objectAt(payload, 'installation');
    const id = idAt(body, 'id');
    if (body === null || id === null) return ignored('the payload has no installation id');
    const context = contextFor(delivery);
    const now = deps.now().toISOString();
    const stored = await store.getInstallation(id);
    const audit = (decision: string, reason: string | null = null) =>
      auditFor(context, { kind: 'webhook.installation', subject: { installationId: id }, decision, reason });
    switch (delivery.action) {
      case 'created':
      case 'new_permissions_accepted':
      case 'unsuspend': {
        await store.upsertInstallation({
          ...installationFromPayload(body, id, stored, now),
          suspendedAt: null,
          suspendedBy: null,
          deletedAt: null,
        });
        // installation.created lists repositories, but not always all of them (GITHUB-FACTS.md): resync.
        const repos = arrayAt(payload, 'repositories')
          .map(shortRepoFrom)
          .filter((r) => r !== null);
        const reason = await resyncOr(context, id, () =>
          coverFromPayload(context, id, delivery.action === 'created' ? repos : []),
        );
        return {
          state: 'applied',
          reason: `installation ${delivery.action}; ${reason}`,
          audit: [audit(delivery.action, reason)],
        };
      }
      case 'suspend': {
        const suspendedAt = stringAt(body, 'suspended_at') ?? now;
        const suspendedBy =
          stringAt(objectAt(body, 'suspended_by'), 'login') ?? stringAt(objectAt(payload, 'sender'), 'login');
        await store.upsertInstallation({ ...installationFromPayload(body, id, stored, now), suspendedAt, suspendedBy });
        // A late suspend must not overrule a newer unsuspend: GitHub's answer has the last word.
        const confirmed = await resyncOr(
          context,
          id,
          async () => 'coverage kept, routing stops until it is unsuspended',
        );
        const reason = `installation ${id} suspended; ${confirmed}`;
        return { state: 'applied', reason, audit: [audit('suspended', reason)] };
      }
      case 'deleted': {
        await store.upsertInstallation({ ...installationFromPayload(body, id, stored, now), deletedAt: now });
        // installation.deleted means every repo lost its coverage (GITHUB-FACTS.md, Installations).
        const detached = await detachRows(store, context, id, 'webhook', () => true);
        const reason = `installation ${id} deleted: ${describe(detached)}`;
        return { state: 'applied', reason, audit: [audit('deleted', reason)] };
      }
      default:
        return ignored(`installation.${delivery.action ?? '(no action)'} changes nothing the reconciler keeps`);
    }
  };

  const installationRepositories: EventHandler = async (delivery, raw) => {
    const payload = parsePayload(raw);
    const id = idAt(objectAt(payload, 'installation'), 'id');
    if (id === null) return ignored('the payload has no installation id');
    if (delivery.action !== 'added' && delivery.action !== 'removed') {
      return ignored(`installation_repositories.${delivery.action ?? '(no action)'} is not handled`);
    }
    const context = contextFor(delivery);
    const key = delivery.action === 'added' ? 'repositories_added' : 'repositories_removed';
    const entries = arrayAt(payload, key)
      .map(shortRepoFrom)
      .filter((r) => r !== null);
    const reason = await resyncOr(context, id, async () => {
      if (delivery.action === 'added') {
        return coverFromPayload(context, id, entries);
      }
      const removed = new Set(entries.map((r) => r.repoId));
      return describe(await detachRows(store, context, id, 'webhook', (row) => removed.has(row.repoId)));
    });
    return { state: 'applied', reason: `${entries.length} repositories ${delivery.action}; ${reason}`, audit: [] };
  };

  const repository: EventHandler = async (delivery, raw) => {
    const payload = parsePayload(raw);
    const repo = listedRepoFrom(objectAt(payload, 'repository'));
    if (repo === null) return ignored('the payload has no usable repository');
    const context = contextFor(delivery);
    if (delivery.action === 'deleted') {
      const rows = await store.listRepoRowsByRepoId(repo.repoId);
      const deleted = await store.deleteRepoRowsByRepoId(repo.repoId);
      const audit = rows.map((row) =>
        auditFor(context, {
          kind: 'webhook.decision',
          subject: { userId: row.userId, repoId: row.repoId, repoFullName: row.fullName },
          decision: 'deleted',
          reason: 'GitHub reports the repository deleted',
          before: { rootDirectory: row.rootDirectory, installationId: row.installationId },
        }),
      );
      return { state: 'applied', reason: `repository ${repo.fullName} deleted: ${deleted} rows removed`, audit };
    }
    const handled = [
      'created',
      'renamed',
      'transferred',
      'publicized',
      'privatized',
      'edited',
      'archived',
      'unarchived',
    ];
    if (!handled.includes(delivery.action ?? ''))
      return ignored(`repository.${delivery.action ?? '(no action)'} is not handled`);
    const refreshed = await refreshRepoRows(context, repo);
    let reason = `repository ${repo.fullName} ${delivery.action}: ${describe(refreshed)}`;
    // In repository events sent to an App, `installation` is only { id } (GITHUB-FACTS.md).
    const installationId = delivery.installationId;
    if (
      installationId !== null &&
      (delivery.action === 'created' || delivery.action === 'transferred' || deps.appCredentials)
    ) {
      reason += `; ${await resyncOr(context, installationId, () => coverFromPayload(context, installationId, [repo]))}`;
    }
    return { state: 'applied', reason, audit: [] };
  };

  const installationTarget: EventHandler = async (delivery, raw) => {
    const payload = parsePayload(raw);
    const id = idAt(objectAt(payload, 'installation'), 'id');
    if (id === null || delivery.action !== 'renamed')
      return ignored(`installation_target.${delivery.action ?? '(no action)'} is not handled`);
    const account = objectAt(payload, 'account');
    const newLogin = stringAt(account, 'login') ?? stringAt(account, 'slug');
    const changes = objectAt(payload, 'changes');
    const oldLogin = stringAt(objectAt(changes, 'login'), 'from') ?? stringAt(objectAt(changes, 'slug'), 'from');
    if (newLogin === null || oldLogin === null)
      return ignored('the payload does not say the old and new account names');
    const context = contextFor(delivery);
    const now = deps.now().toISOString();
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
      await applyRowPlans(store, context, 'webhook', plans, counts);
    }
    let reason = `account ${oldLogin} renamed to ${newLogin}: ${describe(counts)}`;
    if (deps.appCredentials) reason += `; ${await resyncOr(context, id, async () => '')}`;
    return { state: 'applied', reason, audit: [] };
  };

  return {
    installation,
    installation_repositories: installationRepositories,
    repository,
    installation_target: installationTarget,
  };
}

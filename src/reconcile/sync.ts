import {
  decideBaseRow,
  decideDetach,
  decideSubProjectRow,
  type ListedRepo,
  type RowDecision,
  type RowPlan,
  type SyncSource,
} from '../domain/decide-sync.js';
import { decideRebind, type RebindPlan } from '../domain/decide-rebind.js';
import { installationState, sparseInstallation, type Installation, type RepoRow } from '../domain/entities.js';
import type { AuditDraft, AuditValue, RowDecisionSource } from '../domain/audit/index.js';
import { GitHubError, type GitHubPort, type InstallationFacts, type RepoPage } from '../github/github-port.js';
import type { Store } from '../store/store.js';
import { inSpan } from '../telemetry/tracing.js';
import type { Attributes } from '@opentelemetry/api';
import { auditFor, type ReconcileContext } from './sync-context.js';

// The one apply path for repo sync: webhooks, the sync API and periodic resync all end here
// (STYLE.md, habit 2). Gather facts, call the pure decisions, write the plan, audit each decision.

export type DecisionCounts = Record<RowDecision, number>;

export const emptyCounts = (): DecisionCounts => ({
  created: 0,
  updated: 0,
  covered: 0,
  detached: 0,
  preserved: 0,
  unchanged: 0,
  propagated: 0,
});

export function addCounts(into: DecisionCounts, from: DecisionCounts): DecisionCounts {
  for (const key of Object.keys(into) as RowDecision[]) into[key] += from[key];
  return into;
}

export type RebindOutcome =
  | { userId: string; outcome: 'rebound'; to: number; entities: { type: string; id: string; from: number }[] }
  | { userId: string; outcome: 'skipped'; reason: string; installationIds: number[] };

export interface InstallationSyncReport {
  kind: 'installation';
  installationId: number;
  status: 'completed' | 'suspended' | 'deleted' | 'failed';
  /** Why it did not complete, in words an operator can act on. */
  message: string | null;
  retryable: boolean;
  /** For a rate limit: when GitHub says to come back. */
  retryAfterMs: number | null;
  pages: number;
  reposListed: number;
  users: string[];
  counts: DecisionCounts;
  rebind: RebindOutcome[];
}

export interface OAuthSyncReport {
  kind: 'oauth';
  userId: string;
  status: 'completed' | 'failed';
  message: string | null;
  pages: number;
  reposListed: number;
  counts: DecisionCounts;
}

const rowSubject = (row: RepoRow) => ({
  userId: row.userId,
  repoId: row.repoId,
  repoFullName: row.fullName,
  ...(row.installationId !== null ? { installationId: row.installationId } : {}),
});

const rowValue = (row: RepoRow | null): AuditValue =>
  row === null
    ? null
    : {
        fullName: row.fullName,
        rootDirectory: row.rootDirectory,
        defaultBranch: row.defaultBranch,
        visibility: row.visibility,
        archived: row.archived,
        installationId: row.installationId,
      };

/** How many repos a sync decides and writes at once: one read and one write per batch. */
export const ROWS_PER_BATCH = 500;

/**
 * Writes what changed together with the audit record of each decision, as one batch;
 * unchanged rows are counted, not written.
 */
export async function applyRowPlans(
  store: Store,
  context: ReconcileContext,
  kind: RowDecisionSource,
  plans: RowPlan[],
  counts: DecisionCounts,
): Promise<void> {
  const rows: RepoRow[] = [];
  const audit: AuditDraft[] = [];
  for (const plan of plans) {
    counts[plan.decision] += 1;
    if (plan.decision === 'unchanged') continue;
    rows.push(plan.after);
    audit.push(
      auditFor(context, {
        kind: `${kind}.decision`,
        subject: rowSubject(plan.after),
        decision: plan.decision,
        before: rowValue(plan.before),
        after: rowValue(plan.after),
      }),
    );
    if (plan.preserved) {
      audit.push(
        auditFor(context, {
          kind: 'sync.preserved_field',
          subject: rowSubject(plan.after),
          decision: 'preserved',
          reason: 'OAuth-only sync never sets, changes or clears a stored installation id (R2)',
          before: { [plan.preserved.field]: plan.preserved.kept },
          after: { [plan.preserved.field]: plan.preserved.kept, offered: plan.preserved.offered },
        }),
      );
    }
  }
  if (rows.length > 0) await store.writeRepoRows(rows, audit);
}

/**
 * Base rows of one user against what GitHub listed, and their sub-project rows after them (R3),
 * decided and written a batch of repos at a time: one read and one write per batch.
 */
async function syncUserRows(
  store: Store,
  context: ReconcileContext,
  kind: RowDecisionSource,
  userId: string,
  listed: ListedRepo[],
  source: SyncSource,
  counts: DecisionCounts,
): Promise<void> {
  const now = context.now().toISOString();
  for (let start = 0; start < listed.length; start += ROWS_PER_BATCH) {
    const batch = listed.slice(start, start + ROWS_PER_BATCH);
    const storedByRepo = new Map<number, RepoRow[]>();
    for (const row of await store.listRepoRowsOfRepos(
      userId,
      batch.map((repo) => repo.repoId),
    )) {
      storedByRepo.set(row.repoId, [...(storedByRepo.get(row.repoId) ?? []), row]);
    }
    const plans: RowPlan[] = [];
    for (const repo of batch) {
      const stored = storedByRepo.get(repo.repoId) ?? [];
      const base = decideBaseRow(stored.find((row) => row.rootDirectory === null) ?? null, repo, source, userId, now);
      plans.push(base);
      for (const sub of stored) if (sub.rootDirectory !== null) plans.push(decideSubProjectRow(sub, base.after));
    }
    await applyRowPlans(store, context, kind, plans, counts);
  }
}

/** An installation's rows (every user), a page at a time in key order: never all of them in memory. */
export async function* installationRowPages(store: Store, installationId: number): AsyncGenerator<RepoRow[]> {
  let page = await store.listRepoRowsByInstallation(installationId, { limit: ROWS_PER_BATCH });
  for (;;) {
    const last = page[page.length - 1];
    if (last === undefined) return;
    yield page;
    if (page.length < ROWS_PER_BATCH) return;
    page = await store.listRepoRowsByInstallation(installationId, {
      limit: ROWS_PER_BATCH,
      after: { userId: last.userId, repoId: last.repoId, rootDirectory: last.rootDirectory },
    });
  }
}

/** What a run has read of GitHub's list so far. */
interface Listing {
  pages: number;
  /** Only the ids are kept: what depends on the whole list (detaching) needs no more. */
  listedIds: Set<number>;
}

/**
 * Reads GitHub's pages one at a time and records each as it comes (one read and one write per
 * user and page), so memory does not grow with the number of repos. What depends on the whole
 * list (detaching rows GitHub no longer lists, rebinding) waits until every page was read: a
 * failure part-way keeps what was listed and takes nothing away.
 */
async function syncPages(
  pages: AsyncIterable<RepoPage>,
  context: ReconcileContext,
  run: string,
  listing: Listing,
  record: (repos: ListedRepo[]) => Promise<void>,
): Promise<void> {
  for await (const page of pages) {
    // A repo that moves between pages while GitHub is paged is listed twice: decided against
    // what its first listing wrote, the second is unchanged or an update.
    for (const repo of page.repos) listing.listedIds.add(repo.repoId);
    await record(page.repos);
    listing.pages = page.page;
    context.onPage?.({
      run,
      page: page.page,
      lastPage: page.lastPage ?? page.page,
      reposSeen: listing.listedIds.size,
    });
  }
}

export function installationFromFacts(facts: InstallationFacts, now: string): Installation {
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
 * Rows that carried a removed installation's id lose it (R1, R7): repo scope removed or
 * installation deleted. `which` picks the rows of the installation that are affected.
 */
export async function detachRows(
  store: Store,
  context: ReconcileContext,
  installationId: number,
  kind: RowDecisionSource,
  which: (row: RepoRow) => boolean,
): Promise<DecisionCounts> {
  const counts = emptyCounts();
  for await (const page of installationRowPages(store, installationId)) {
    const plans = page.filter(which).map((row) => decideDetach(row, installationId));
    await applyRowPlans(store, context, kind, plans, counts);
  }
  return counts;
}

async function applyRebind(
  store: Store,
  context: ReconcileContext,
  userId: string,
  installationId: number,
): Promise<{ outcome: RebindOutcome; audit: AuditDraft[] }> {
  const linked = await store.listInstallations(await store.listLinkedInstallationIds(userId));
  // "Current" installations: linked to the user and not deleted.
  const current = linked.filter((installation) => installationState(installation) !== 'deleted').map((i) => i.id);
  const automations = await store.listAutomationsByUser(userId);
  const triggers = await store.listTriggersByUser(userId);
  const plan: RebindPlan = decideRebind(current, installationId, [
    ...automations.map((a) => ({ type: 'automation' as const, id: a.id, installationId: a.installationId })),
    ...triggers.map((tr) => ({ type: 'trigger' as const, id: tr.id, installationId: tr.installationId })),
  ]);
  if (plan.kind === 'skip') {
    return {
      outcome: { userId, outcome: 'skipped', reason: plan.reason, installationIds: plan.installationIds },
      audit: [
        auditFor(context, {
          kind: 'rebind.skipped',
          subject: { userId, installationId },
          decision: 'skipped',
          reason: plan.reason,
          after: { installationIds: plan.installationIds, syncedInstallationId: installationId },
        }),
      ],
    };
  }
  const audit: AuditDraft[] = [];
  const at = context.now().toISOString();
  if (plan.entities.length === 0)
    // Recorded all the same: it settles any earlier skip for this user (the story and diagnosis read it).
    audit.push(
      auditFor(context, {
        kind: 'rebind.applied',
        subject: { userId, installationId: plan.to },
        decision: 'nothing_to_rebind',
        reason: 'every automation and trigger is already bound to the only installation',
      }),
    );
  for (const entity of plan.entities) {
    if (entity.type === 'automation') {
      const automation = automations.find((a) => a.id === entity.id);
      if (automation) await store.putAutomation({ ...automation, installationId: plan.to, updatedAt: at }, []);
    } else {
      const trigger = triggers.find((tr) => tr.id === entity.id);
      if (trigger) await store.putTrigger({ ...trigger, installationId: plan.to, updatedAt: at }, []);
    }
    audit.push(
      auditFor(context, {
        kind: 'rebind.applied',
        subject: {
          userId,
          installationId: plan.to,
          ...(entity.type === 'automation' ? { automationId: entity.id } : { triggerId: entity.id }),
        },
        decision: 'rebound',
        before: { installationId: entity.from },
        after: { installationId: plan.to },
      }),
    );
  }
  return { outcome: { userId, outcome: 'rebound', to: plan.to, entities: plan.entities }, audit };
}

/** One sync run as a span that ends with its status and how many repos GitHub listed. */
function inSyncSpan<R extends { status: string; reposListed: number }>(
  name: string,
  attributes: Attributes,
  run: () => Promise<R>,
): Promise<R> {
  return inSpan(name, { attributes }, async (span) => {
    const report = await run();
    span.setAttributes({ 'reconciler.sync.status': report.status, 'reconciler.sync.repos_listed': report.reposListed });
    return report;
  });
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
          await syncUserRows(store, context, 'sync', userId, repos, source, report.counts);
      },
    );
  } catch (error) {
    if (!(error instanceof GitHubError)) throw error;
    report.pages = listing.pages;
    report.reposListed = listing.listedIds.size;
    report.retryable = error.retryable;
    report.retryAfterMs = error.retryAfterMs;
    report.message = error.message;
    if (error.kind === 'installation_suspended') {
      report.status = 'suspended';
      const current = await store.getInstallation(installationId);
      if (current !== null && current.suspendedAt === null)
        await store.upsertInstallation({ ...current, suspendedAt: now, updatedAt: now });
    } else if (error.kind === 'installation_not_found') {
      report.status = 'deleted';
      await store.upsertInstallation({
        ...((await store.getInstallation(installationId)) ?? sparseInstallation(installationId, now)),
        deletedAt: now,
        updatedAt: now,
      });
      // Deleted while it was listed: the pages already recorded bound rows to it. They lose it
      // as installation.deleted would take it away, even if that webhook was applied meanwhile.
      if (listing.pages > 0)
        addCounts(report.counts, await detachRows(store, context, installationId, 'sync', () => true));
    } else {
      report.status = 'failed';
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
  };
  const listing: Listing = { pages: 0, listedIds: new Set() };
  try {
    await syncPages(github.listUserRepos(oauthToken), context, 'oauth', listing, (repos) =>
      syncUserRows(store, context, 'oauth_sync', userId, repos, { kind: 'oauth' }, report.counts),
    );
  } catch (error) {
    if (!(error instanceof GitHubError)) throw error;
    report.pages = listing.pages;
    report.reposListed = listing.listedIds.size;
    report.status = 'failed';
    report.message = error.message;
    await store.appendAudit([
      auditFor(context, {
        kind: 'sync.oauth',
        subject: { userId },
        decision: 'failed',
        reason: error.message,
        after: {
          pages: report.pages,
          reposListed: report.reposListed,
          counts: { ...report.counts },
          durationMs: Math.round(performance.now() - started),
        },
      }),
    ]);
    return report;
  }
  report.pages = listing.pages;
  report.reposListed = listing.listedIds.size;
  await store.appendAudit([
    auditFor(context, {
      kind: 'sync.oauth',
      subject: { userId },
      decision: 'completed',
      after: {
        pages: report.pages,
        reposListed: report.reposListed,
        counts: { ...report.counts },
        durationMs: Math.round(performance.now() - started),
      },
    }),
  ]);
  return report;
}

import type { AuditRecord, AuditValue } from '../domain/audit/index.js';
import type { Delivery } from '../domain/delivery.js';
import { installationState, type Automation, type Installation, type RepoRow, type Trigger } from '../domain/entities.js';
import { coverageOf, projectView, type Coverage } from '../domain/projects.js';
import type { Store } from '../store/store.js';

// The entity pages of the Observability view (issue 15, item 5): what an operator asks about a
// repo, a trigger, an automation or an installation, read from the store. The shaping is pure
// (the exported functions over plain data); the read functions only gather.

/** How many of a repo's or a trigger's latest entries a page shows. */
export const LATEST = 10;
/** How many routing records of a repo are read to find a trigger's latest decisions. */
const DECISION_RECORDS = 500;
/** How many audit records of a repo are read to learn the names it had. */
const NAME_RECORDS = 500;
const INSTALLATION_ROW_PAGE = 1000;

export interface FormerName {
  name: string;
  /** When the repo stopped being called so: the first record that names it otherwise. */
  until: string;
}

/**
 * The names a repo had before its current one, newest first, from the audit records about it
 * (any order): a rename or transfer changes the rows, while the records written before it keep
 * the name the repo had then. Names compare without case, as GitHub's do.
 */
export function formerNamesOf(records: readonly AuditRecord[], currentName: string | null): FormerName[] {
  const named = records
    .filter((record) => record.subject.repoFullName !== undefined)
    .sort((a, b) => a.seq - b.seq);
  const fold = (name: string) => name.toLowerCase();
  const until = new Map<string, FormerName>();
  for (const [index, record] of named.entries()) {
    const name = record.subject.repoFullName ?? '';
    const next = named[index + 1];
    if (next === undefined || fold(next.subject.repoFullName ?? '') === fold(name)) continue;
    until.set(fold(name), { name, until: next.occurredAt });
  }
  if (currentName !== null) until.delete(fold(currentName));
  return [...until.values()].sort((a, b) => (a.until < b.until ? 1 : a.until > b.until ? -1 : 0));
}

export type RepoRowOfUser = ReturnType<typeof projectView> & { userId: string };

export interface RepoPage {
  repoId: number;
  fullName: string | null;
  formerNames: FormerName[];
  rows: RepoRowOfUser[];
  triggers: Trigger[];
  latestDeliveries: Delivery[];
}

async function installationsById(store: Store, ids: readonly (number | null)[]): Promise<Map<number, Installation>> {
  const wanted = [...new Set(ids.filter((id): id is number => id !== null))];
  return new Map((await store.listInstallations(wanted)).map((installation) => [installation.id, installation]));
}

/** Null when the store knows nothing of the repo: no row, no trigger, no delivery. */
export async function readRepoPage(store: Store, repoId: number): Promise<RepoPage | null> {
  const [rows, triggers, latestDeliveries] = await Promise.all([
    store.listRepoRowsByRepoId(repoId),
    store.listTriggersByRepoId(repoId),
    store.listDeliveries({ limit: LATEST, repoIds: [repoId] }),
  ]);
  if (rows.length === 0 && triggers.length === 0 && latestDeliveries.length === 0) return null;
  const installations = await installationsById(store, rows.map((row) => row.installationId));
  const fullName = rows[0]?.fullName ?? triggers.find((t) => t.repoFullName !== null)?.repoFullName ?? null;
  const records = await store.listAudit({ limit: NAME_RECORDS, order: 'newest', repo: { ids: [repoId] } });
  return {
    repoId,
    fullName,
    formerNames: formerNamesOf(records, fullName),
    rows: rows.map((row) => ({
      userId: row.userId,
      ...projectView(row, row.installationId === null ? null : (installations.get(row.installationId) ?? null)),
    })),
    triggers,
    latestDeliveries,
  };
}

export interface TriggerBinding {
  installationId: number;
  installationAccount: string | null;
  installationState: 'active' | 'suspended' | 'deleted' | 'unknown';
  automationInstallationId: number | null;
  agreesWithAutomation: boolean | null;
  repoRow: { installationId: number | null; coverage: Coverage; fullName: string } | null;
  agreesWithRepoRow: boolean | null;
}

/** Where a trigger is bound, next to where its automation and its user's repo row are. */
export function bindingOf(
  trigger: Trigger,
  automation: Automation | null,
  installation: Installation | null,
  row: RepoRow | null,
  rowInstallation: Installation | null,
): TriggerBinding {
  return {
    installationId: trigger.installationId,
    installationAccount: installation?.accountLogin ?? null,
    installationState: installation === null ? 'unknown' : installationState(installation),
    automationInstallationId: automation?.installationId ?? null,
    agreesWithAutomation: automation === null ? null : automation.installationId === trigger.installationId,
    repoRow:
      row === null
        ? null
        : { installationId: row.installationId, coverage: coverageOf(row, rowInstallation), fullName: row.fullName },
    agreesWithRepoRow: row === null ? null : row.installationId === trigger.installationId,
  };
}

export interface TriggerDecision {
  deliveryId: string;
  receivedAt: string;
  outcome: 'woken' | 'not_woken';
  reason: string | null;
}

/** A trigger's routing decisions among a repo's routing records, newest first (one per delivery). */
export function decisionsOf(
  triggerId: string,
  records: readonly AuditRecord[],
  receivedAt: ReadonlyMap<string, string>,
  limit: number,
): TriggerDecision[] {
  const decisions: TriggerDecision[] = [];
  const seen = new Set<string>();
  for (const record of [...records].sort((a, b) => b.seq - a.seq)) {
    if (record.kind !== 'routing.decision' || record.subject.triggerId !== triggerId) continue;
    if (record.deliveryId === null || seen.has(record.deliveryId)) continue;
    seen.add(record.deliveryId);
    decisions.push({
      deliveryId: record.deliveryId,
      receivedAt: receivedAt.get(record.deliveryId) ?? record.occurredAt,
      outcome: record.decision === 'woken' ? 'woken' : 'not_woken',
      reason: record.reason,
    });
    if (decisions.length === limit) break;
  }
  return decisions;
}

export interface TriggerPage {
  trigger: Trigger;
  automation: Automation | null;
  binding: TriggerBinding;
  latestDecisions: TriggerDecision[];
}

export async function readTriggerPage(store: Store, triggerId: string): Promise<TriggerPage | null> {
  const trigger = await store.getTrigger(triggerId);
  if (trigger === null) return null;
  const [automation, [row], records] = await Promise.all([
    trigger.automationId === null ? null : store.getAutomation(trigger.automationId),
    store.listRepoRowsOfRepos(trigger.userId, [trigger.repoId]).then((rows) => rows.filter((r) => r.rootDirectory === null)),
    store.listAudit({ limit: DECISION_RECORDS, order: 'newest', kind: 'routing.decision', repo: { ids: [trigger.repoId] } }),
  ]);
  const installations = await installationsById(store, [trigger.installationId, row?.installationId ?? null]);
  const mine = records.filter((record) => record.subject.triggerId === triggerId && record.deliveryId !== null);
  const deliveryIds = [...new Set(mine.map((record) => record.deliveryId ?? ''))].slice(0, LATEST);
  const received = new Map((await store.getDeliveriesByIds(deliveryIds)).map((d) => [d.id, d.receivedAt]));
  const rowInstallation = row?.installationId == null ? null : (installations.get(row.installationId) ?? null);
  return {
    trigger,
    automation,
    binding: bindingOf(trigger, automation, installations.get(trigger.installationId) ?? null, row ?? null, rowInstallation),
    latestDecisions: decisionsOf(triggerId, mine, received, LATEST),
  };
}

export async function readAutomationPage(
  store: Store,
  automationId: string,
): Promise<{ automation: Automation; triggers: Trigger[] } | null> {
  const automation = await store.getAutomation(automationId);
  if (automation === null) return null;
  const triggers = (await store.listTriggersByUser(automation.userId)).filter((t) => t.automationId === automationId);
  return { automation, triggers };
}

export interface InstallationSync {
  occurredAt: string;
  userId: string | null;
  decision: string;
  reason: string | null;
  traceId: string | null;
  counts: Record<string, number>;
}

/** The row decisions a sync run recorded in its own record (`after.counts`), where it did. */
function countsOf(after: AuditValue): Record<string, number> {
  const counts = typeof after === 'object' && after !== null && !Array.isArray(after) ? after.counts : undefined;
  if (typeof counts !== 'object' || counts === null || Array.isArray(counts)) return {};
  return Object.fromEntries(Object.entries(counts).filter((entry): entry is [string, number] => typeof entry[1] === 'number'));
}

export const installationSyncOf = (record: AuditRecord): InstallationSync => ({
  occurredAt: record.occurredAt,
  userId: record.subject.userId ?? null,
  decision: record.decision,
  reason: record.reason,
  traceId: record.traceId,
  counts: countsOf(record.after),
});

export interface InstallationPage {
  installation: Installation;
  linkedUsers: string[];
  coverage: { rows: number; covered: number; notCovered: number };
  latestSyncs: InstallationSync[];
}

export async function readInstallationPage(store: Store, installationId: number): Promise<InstallationPage | null> {
  const installation = await store.getInstallation(installationId);
  if (installation === null) return null;
  const [linkedUsers, syncs] = await Promise.all([
    store.listUsersLinkedTo(installationId),
    store.listAudit({ limit: LATEST, order: 'newest', kind: 'sync.installation', installationId }),
  ]);
  const coverage = { rows: 0, covered: 0, notCovered: 0 };
  // Rows are counted a page at a time, so a large installation is never held in memory at once.
  for (let after: RepoRow | undefined; ; ) {
    const page = await store.listRepoRowsByInstallation(installationId, {
      limit: INSTALLATION_ROW_PAGE,
      ...(after !== undefined ? { after: { userId: after.userId, repoId: after.repoId, rootDirectory: after.rootDirectory } } : {}),
    });
    for (const row of page) {
      coverage.rows += 1;
      if (coverageOf(row, installation) === 'covered') coverage.covered += 1;
      else coverage.notCovered += 1;
    }
    after = page.at(-1);
    if (page.length < INSTALLATION_ROW_PAGE) break;
  }
  return { installation, linkedUsers, coverage, latestSyncs: syncs.map(installationSyncOf) };
}

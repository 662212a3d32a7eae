import type { Delivery } from '../domain/delivery.js';
import { diagnoseRepo, type DeliverySeen, type DiagnosisFacts, type DiagnosisStep } from '../domain/diagnose.js';
import { installationState, type Automation, type Installation, type Trigger } from '../domain/entities.js';
import type { Store } from '../store/store.js';
import { tellDeliveryStory } from './delivery-story.js';
import { newestRebind, newestRowDecision, routingRecordsOf } from './routing-records.js';

// Gathers what the troubleshooting order needs (R10) and answers it with diagnoseRepo. It only
// reads: filling missing installation metadata (R6) is a write, which the caller runs as a step
// of its own before it asks (http/routes/diagnose.ts).

const LATEST_DELIVERIES = 5;

export interface DiagnoseDeps {
  store: Store;
  appCredentials: boolean;
}

async function deliveriesOf(store: Store, repoIds: readonly number[], userId: string): Promise<DeliverySeen[]> {
  const deliveries: Delivery[] = [];
  for (const repoId of repoIds) deliveries.push(...(await store.listDeliveries({ repoIds: [repoId], limit: LATEST_DELIVERIES })));
  const latest = deliveries.sort((a, b) => b.seq - a.seq).slice(0, LATEST_DELIVERIES);
  const seen: DeliverySeen[] = [];
  for (const delivery of latest) {
    const story = tellDeliveryStory(delivery, await routingRecordsOf(store, delivery.id));
    seen.push({
      id: delivery.id,
      event: delivery.event,
      action: delivery.action,
      receivedAt: delivery.receivedAt,
      state: delivery.state,
      outcome: story.outcome,
      summary: story.summary,
      userDecisions: story.candidates
        .filter((c) => c.userId === userId)
        .map((c) => ({ triggerId: c.triggerId, outcome: c.outcome, reason: c.reason })),
    });
  }
  return seen;
}

async function gatherFacts(deps: DiagnoseDeps, userId: string, repoFullName: string): Promise<DiagnosisFacts> {
  const { store } = deps;
  const linked: Installation[] = await store.listInstallations(await store.listLinkedInstallationIds(userId));
  const rows = await store.listRepoRowsByFullName(repoFullName);
  const row = rows.find((r) => r.userId === userId && r.rootDirectory === null) ?? null;
  const repoIds = [...new Set(rows.map((r) => r.repoId))];
  const rowInstallation = row?.installationId != null ? await store.getInstallation(row.installationId) : null;
  const owner = repoFullName.split('/')[0]?.toLowerCase();
  const expected =
    row?.installationId ??
    linked.find((i) => i.accountLogin?.toLowerCase() === owner && installationState(i) !== 'deleted')?.id ??
    null;
  const [lastSync] =
    expected === null
      ? []
      : await store.listAudit({ limit: 1, order: 'newest', kind: 'sync.installation', installationId: expected });
  const lastRowDecision = row === null ? undefined : await newestRowDecision(store, userId, row.repoId);
  const rebind = await newestRebind(store, userId);
  const triggers: Trigger[] = [];
  for (const repoId of repoIds)
    triggers.push(...(await store.listTriggersByRepoId(repoId)).filter((tr) => tr.userId === userId));
  const automations: Automation[] = [];
  for (const automationId of new Set(triggers.flatMap((tr) => (tr.automationId === null ? [] : [tr.automationId])))) {
    const automation = await store.getAutomation(automationId);
    if (automation !== null) automations.push(automation);
  }
  return {
    userId,
    repoFullName,
    appCredentials: deps.appCredentials,
    linked,
    row,
    rowInstallation,
    lastInstallationSync:
      lastSync === undefined
        ? null
        : {
            installationId: lastSync.subject.installationId ?? expected ?? 0,
            decision: lastSync.decision,
            reason: lastSync.reason,
            occurredAt: lastSync.occurredAt,
          },
    lastRowDecision:
      lastRowDecision === undefined
        ? null
        : { decision: lastRowDecision.decision, occurredAt: lastRowDecision.occurredAt },
    lastRebind:
      rebind === undefined
        ? null
        : {
            decision: rebind.kind === 'rebind.skipped' ? 'skipped' : 'rebound',
            reason: rebind.reason,
            occurredAt: rebind.occurredAt,
          },
    triggers,
    automations,
    deliveries: await deliveriesOf(store, repoIds, userId),
    formerName: null,
  };
}

/**
 * The repo the user's audit trail last knew under `asked`, when the user's row of it now carries
 * another name (a rename or a transfer): row records name the repo by id and by the name it had.
 */
async function renamedRepo(store: Store, userId: string, asked: string) {
  const [seen] = await store.listAudit({ limit: 1, order: 'newest', userId, repo: { ids: [], fullName: asked } });
  const repoId = seen?.subject.repoId;
  if (seen === undefined || repoId === undefined) return null;
  const row = await store.getRepoRow({ userId, repoId, rootDirectory: null });
  if (row === null || row.fullName.toLowerCase() === asked.toLowerCase()) return null;
  return { row, formerName: { asked, repoId, seenAt: seen.occurredAt } };
}

export async function diagnose(deps: DiagnoseDeps, userId: string, repoFullName: string): Promise<DiagnosisStep[]> {
  const facts = await gatherFacts(deps, userId, repoFullName);
  if (facts.row !== null) return diagnoseRepo(facts);
  const renamed = await renamedRepo(deps.store, userId, repoFullName);
  if (renamed === null) return diagnoseRepo(facts);
  return diagnoseRepo({ ...(await gatherFacts(deps, userId, renamed.row.fullName)), formerName: renamed.formerName });
}

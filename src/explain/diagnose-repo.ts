import type { Delivery } from '../domain/delivery.js';
import { diagnoseRepo, type DeliverySeen, type DiagnosisFacts, type DiagnosisStep } from '../domain/diagnose.js';
import { installationState, type Installation } from '../domain/entities.js';
import type { Store } from '../store/store.js';
import { tellDeliveryStory } from './delivery-story.js';
import { newestRebind, routingRecordsOf } from './routing-records.js';

// Gathers what the troubleshooting order needs (R10) and answers it with diagnoseRepo. It only
// reads: filling missing installation metadata (R6) is a write, which the caller runs as a step
// of its own before it asks (http/routes/diagnose.ts).

const LATEST_DELIVERIES = 5;
const ROW_DECISION_KINDS = ['sync.decision', 'oauth_sync.decision', 'webhook.decision'];

export interface DiagnoseDeps {
  store: Store;
  appCredentials: boolean;
}

async function deliveriesOf(store: Store, repoIds: readonly number[], userId: string): Promise<DeliverySeen[]> {
  const deliveries: Delivery[] = [];
  for (const repoId of repoIds) deliveries.push(...(await store.listDeliveries({ repoId, limit: LATEST_DELIVERIES })));
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
  const rowDecisions = [];
  if (row !== null)
    for (const kind of ROW_DECISION_KINDS)
      rowDecisions.push(
        ...(await store.listAudit({ limit: 1, order: 'newest', kind, userId, repo: { ids: [row.repoId] } })),
      );
  const lastRowDecision = rowDecisions.sort((a, b) => b.seq - a.seq)[0];
  const rebind = await newestRebind(store, userId);
  const triggers = [];
  for (const repoId of repoIds)
    triggers.push(...(await store.listTriggersByRepoId(repoId)).filter((tr) => tr.userId === userId));
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
    triggers: triggers.map((tr) => ({ id: tr.id, installationId: tr.installationId })),
    deliveries: await deliveriesOf(store, repoIds, userId),
  };
}

export async function diagnose(deps: DiagnoseDeps, userId: string, repoFullName: string): Promise<DiagnosisStep[]> {
  return diagnoseRepo(await gatherFacts(deps, userId, repoFullName));
}

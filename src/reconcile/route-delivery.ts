import type { EmitterWebhookEvent } from '@octokit/webhooks/types';
import type { AuditDraft } from '../domain/audit/index.js';
import type { Delivery } from '../domain/delivery.js';
import { installationState, type Automation, type Wake } from '../domain/entities.js';
import {
  explainDecisions,
  leadingReason,
  routingOutcomeOf,
  summarizeRouting,
  type OwnerContext,
  type RoutingOutcome,
} from '../domain/explain-routing.js';
import type { RebindSkipReason } from '../domain/decide-rebind.js';
import { routeEvent, type RoutedEvent, type RoutingCandidate } from '../domain/route-event.js';
import type { Store } from '../store/store.js';
import { newestRebind, newestRowDecision } from '../explain/routing-records.js';
import { setSpanAttributes } from '../telemetry/tracing.js';
import { auditFor } from '../domain/audit-for.js';
import type { ReconcileContext } from './sync-context.js';
import { wakeFactsOf } from './wake-facts.js';
import { claim, listOf, stringsOf, textOf, type ParsedPayload } from './webhooks/claimed-payload.js';

// Routing a stored delivery (R9): gather the candidate triggers of its repo and what the store
// knows around them, decide with routeEvent, and return the audit records and wakes to write
// with the delivery's outcome, in the same transaction.

export interface RoutingResult {
  outcome: Exclude<RoutingOutcome, 'not_routed'>;
  summary: string;
  audit: AuditDraft[];
  wakes: Wake[];
}

// GitHub lists at most 2048 commits in a push payload; past that the changed paths are unknown.
const PUSH_COMMIT_LIMIT = 2048;

/** Paths a push changed, from its commits; null when the payload cannot say. */
export function changedPathsOf(event: string, parsed: ParsedPayload): string[] | null {
  if (event !== 'push') return null;
  const payload = claim<EmitterWebhookEvent<'push'>['payload']>(parsed);
  const commits = listOf(payload?.commits);
  if (commits === null) return null;
  if (commits.length >= PUSH_COMMIT_LIMIT) return null;
  // A new branch or a force push can list no commit although files differ from what was there.
  if (commits.length === 0 && (payload?.created === true || payload?.forced === true)) return null;
  const paths = new Set<string>();
  for (const commit of commits)
    for (const list of [commit?.added, commit?.removed, commit?.modified])
      for (const path of stringsOf(list) ?? []) paths.add(path);
  return [...paths];
}

const REBIND_SKIP_REASONS: readonly string[] = ['no_installations', 'several_installations', 'installation_mismatch'];

async function ownerContext(store: Store, userId: string, repoId: number): Promise<OwnerContext> {
  const linked = await store.listInstallations(await store.listLinkedInstallationIds(userId));
  // A rebind applied after the last skip settled it: the skip no longer explains anything.
  const rebind = await newestRebind(store, userId);
  const skip = rebind?.kind === 'rebind.skipped' ? rebind : undefined;
  const after = skip?.after;
  const { installationIds: ids, syncedInstallationId: synced } =
    typeof after === 'object' && after !== null && !Array.isArray(after) ? after : {};
  const lastRowDecision = (await newestRowDecision(store, userId, repoId))?.history ?? null;
  return {
    userId,
    lastRowDecision,
    currentInstallationIds: linked.filter((i) => installationState(i) !== 'deleted').map((i) => i.id),
    lastRebindSkip:
      skip !== undefined && REBIND_SKIP_REASONS.includes(skip.reason ?? '')
        ? {
            reason: skip.reason as RebindSkipReason,
            installationIds: Array.isArray(ids) ? ids.filter((id): id is number => typeof id === 'number') : [],
            syncedInstallationId: typeof synced === 'number' ? synced : null,
          }
        : null,
  };
}

/** Routes a repository-scoped delivery; null when the delivery names no repository. */
export async function routeDelivery(
  store: Store,
  context: ReconcileContext,
  delivery: Delivery,
  payload: ParsedPayload,
): Promise<RoutingResult | null> {
  if (delivery.repoId === null) return null;
  const repoId = delivery.repoId;
  // Every event that names a repository carries its full object; only the name is read here.
  const fullName = textOf(claim<EmitterWebhookEvent<'repository'>['payload']>(payload)?.repository?.full_name);
  const event: RoutedEvent = {
    event: delivery.event,
    action: delivery.action,
    installationId: delivery.installationId,
    repoId,
    changedPaths: changedPathsOf(delivery.event, payload),
  };
  const triggers = await store.listTriggersByRepoId(repoId);
  const installation = event.installationId === null ? null : await store.getInstallation(event.installationId);
  const automations = new Map<string, Automation | null>();
  const candidates: RoutingCandidate[] = [];
  for (const trigger of triggers) {
    if (trigger.automationId !== null && !automations.has(trigger.automationId))
      automations.set(trigger.automationId, await store.getAutomation(trigger.automationId));
    const own = await store.getRepoRow({ userId: trigger.userId, repoId, rootDirectory: trigger.rootDirectory });
    const repoRow =
      own ??
      (trigger.rootDirectory === null
        ? null
        : await store.getRepoRow({ userId: trigger.userId, repoId, rootDirectory: null }));
    candidates.push({
      trigger,
      automation: trigger.automationId === null ? null : (automations.get(trigger.automationId) ?? null),
      repoRow,
      installation,
    });
  }
  const decisions = routeEvent(event, candidates);
  const owners = new Map<string, OwnerContext>();
  for (const decision of decisions)
    if (decision.outcome === 'not_woken' && !owners.has(decision.userId))
      owners.set(decision.userId, await ownerContext(store, decision.userId, repoId));
  const explained = explainDecisions(event, decisions, owners);
  const outcome = routingOutcomeOf(explained);
  const summary = summarizeRouting(explained, { repoId, fullName });
  const repoSubject = { repoId, ...(fullName !== null ? { repoFullName: fullName } : {}) };
  const from = event.installationId === null ? {} : { installationId: event.installationId };
  const createdAt = context.now().toISOString();
  const woken = explained.filter((d) => d.outcome === 'woken').length;
  // Searchable in a trace backend: the deliveries that woke nothing are `reconciler.routing.woken = 0`.
  setSpanAttributes({
    'reconciler.routing.outcome': outcome,
    'reconciler.routing.candidates': explained.length,
    'reconciler.routing.woken': woken,
  });

  const audit: AuditDraft[] = explained.map((decision) =>
    auditFor(context, {
      kind: 'routing.decision',
      subject: {
        userId: decision.userId,
        ...repoSubject,
        ...from,
        triggerId: decision.triggerId,
        ...(decision.automationId !== null ? { automationId: decision.automationId } : {}),
      },
      decision: decision.outcome,
      reason: decision.reason,
      before: { boundInstallationId: decision.boundInstallationId },
      after: { event: delivery.event, action: delivery.action, detail: decision.detail, fix: decision.fix },
    }),
  );
  audit.push(
    auditFor(context, {
      kind: 'routing.outcome',
      subject: { ...repoSubject, ...from },
      decision: outcome,
      reason: summary,
      after: {
        event: delivery.event,
        action: delivery.action,
        candidates: explained.length,
        woken,
        leadingReason: leadingReason(explained),
        lookedUp: { repoId, fullName },
      },
    }),
  );
  const facts = wakeFactsOf(delivery.event, payload);
  const wakes: Wake[] = explained.flatMap((decision) =>
    decision.outcome === 'woken' && event.installationId !== null
      ? [
          {
            id: `${delivery.id}:${decision.triggerId}`,
            deliveryId: delivery.id,
            triggerId: decision.triggerId,
            automationId: decision.automationId,
            userId: decision.userId,
            repoId,
            repoFullName: fullName,
            installationId: event.installationId,
            event: delivery.event,
            action: delivery.action,
            ...facts,
            replayOf: delivery.replayOf,
            createdAt,
          },
        ]
      : [],
  );
  return { outcome, summary, audit, wakes };
}

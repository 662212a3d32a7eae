import type { RebindSkipReason } from './decide-rebind.js';
import type { NotWokenReason, RoutedEvent, RoutingDecision } from './route-event.js';

// Routing decisions in words a person acts on (R10): what happened, and the fix where one is
// known. Written when the delivery is routed, so the story tells what was true at that moment.

export type RoutingOutcome = 'woke' | 'woke_none' | 'no_candidates' | 'not_routed';

/** What the store knew about a trigger's owner when the delivery was routed. */
export interface OwnerContext {
  userId: string;
  /** Linked installations that were not deleted. */
  currentInstallationIds: readonly number[];
  /** The newest skipped rebind of this user, if any. */
  lastRebindSkip: {
    reason: RebindSkipReason;
    installationIds: readonly number[];
    syncedInstallationId: number | null;
  } | null;
  /** The newest recorded decision on the user's row of the routed repo, if any. */
  lastRowDecision: RowHistory | null;
}

/** A row decision as the audit trail recorded it: what last changed the row, and why. */
export interface RowHistory {
  decision: string;
  reason: string | null;
  /** The installation the row carried before that decision. */
  installationIdBefore: number | null;
  occurredAt: string;
}

export type ExplainedDecision = RoutingDecision & { fix: string | null };

const list = (ids: readonly number[]): string => ids.join(', ');

function rebindSkipClause(skip: NonNullable<OwnerContext['lastRebindSkip']>): string {
  switch (skip.reason) {
    case 'several_installations':
      return `rebind was skipped because the user has ${skip.installationIds.length} installations (${list(skip.installationIds)})`;
    case 'no_installations':
      return 'rebind was skipped because the user has no current installation';
    case 'installation_mismatch':
      return `rebind was skipped because the user's installation ${list(skip.installationIds)} is not the synced ${skip.syncedInstallationId ?? 'one'}`;
  }
}

/**
 * How to move a stale binding to the delivering installation, given what the owner holds. The
 * delivering installation covers the repo today (it sent the event). With it as the user's only
 * installation a sync rebinds automatically; with others beside it the automatic rule stays off
 * (repo-sync-and-rebinding.md, "Rebinding") and the fix is the explicit rebind. Unlinking the
 * others is never suggested: they may still cover repos and carry bindings of their own.
 */
function rebindFix(owner: OwnerContext | undefined, userId: string, from: number, bindings: RebindTarget[]): string {
  const current = owner?.currentInstallationIds ?? [];
  const link = current.includes(from)
    ? []
    : [`link installation ${from} to user ${userId} (PUT /api/users/${userId}/installations/${from})`];
  const what = bindings.map((b) => `${b.noun} ${b.id}`).join(' and ');
  const alone = current.every((id) => id === from);
  const move = alone
    ? `sync (POST /api/users/${userId}/sync): rebind moves ${what} to installation ${from}, the user's only installation`
    : `rebind ${what} to installation ${from} explicitly (${bindings
        .map((b) => `PUT /api/${b.noun}s/${b.id} with "installationId": ${from}`)
        .join(', ')}): the user holds several installations, so the automatic rebind leaves it alone`;
  return [...link, move].join(', then ');
}

interface RebindTarget {
  noun: 'trigger' | 'automation';
  id: string;
}

/** The trigger and, when it has one, its automation: an explicit rebind moves both together. */
const bindingsOf = (decision: RoutingDecision): RebindTarget[] => [
  { noun: 'trigger', id: decision.triggerId },
  ...(decision.automationId === null ? [] : [{ noun: 'automation' as const, id: decision.automationId }]),
];

function fixFor(event: RoutedEvent, decision: RoutingDecision, owner: OwnerContext | undefined): string | null {
  if (decision.outcome === 'woken') return null;
  const { triggerId, userId } = decision;
  const from = event.installationId;
  const reason: NotWokenReason = decision.reason;
  switch (reason) {
    case 'trigger_disabled':
      return `enable it if it should run (PUT /api/triggers/${triggerId} or the automation with "enabled": true)`;
    case 'event_not_subscribed':
    case 'action_not_subscribed':
      return `add "${event.action === null ? event.event : `${event.event}.${event.action}`}" to the events of trigger ${triggerId} if it should wake on it`;
    case 'installation_mismatch':
      return from === null
        ? 'only deliveries of the GitHub App carry an installation: send this event through the App webhook'
        : rebindFix(owner, userId, from, bindingsOf(decision));
    case 'installation_unknown':
      return from === null
        ? null
        : `link installation ${from} to user ${userId} (PUT /api/users/${userId}/installations/${from}) and sync (POST /api/users/${userId}/sync)`;
    case 'installation_deleted':
      return `install the App again for the repo owner, link the new installation to user ${userId}, then sync (POST /api/users/${userId}/sync)`;
    case 'installation_suspended':
      return `unsuspend installation ${from ?? ''} in the owner's GitHub settings (Installed GitHub Apps)`;
    case 'repo_unknown':
      return `sync user ${userId} (POST /api/users/${userId}/sync) so that the repo gets a project row`;
    case 'repo_not_covered':
      return `add the repo to installation ${from ?? ''} on GitHub if it is missing there, then sync user ${userId} (POST /api/users/${userId}/sync)`;
    case 'automation_binding_mismatch':
      return decision.automationId === null || from === null
        ? null
        : rebindFix(owner, userId, from, [{ noun: 'automation', id: decision.automationId }]);
    case 'outside_root_directory':
      return null;
  }
}

/** What took a repo's coverage away, when the row's newest decision is the one that did. */
function lostCoverageClause(history: RowHistory): string | null {
  if (history.decision !== 'detached') return null;
  const from = history.installationIdBefore === null ? '' : ` from installation ${history.installationIdBefore}`;
  return `it was detached${from} at ${history.occurredAt}${history.reason === null ? '' : `: ${history.reason}`}`;
}

/** The clause a decision's detail gains from the owner's history: a skipped rebind, a lost coverage. */
function historyClause(decision: RoutingDecision, owner: OwnerContext | undefined): string | null {
  if (decision.outcome !== 'not_woken' || owner === undefined) return null;
  if (decision.reason === 'installation_mismatch' || decision.reason === 'automation_binding_mismatch')
    return owner.lastRebindSkip ? rebindSkipClause(owner.lastRebindSkip) : null;
  if (decision.reason === 'repo_not_covered' && owner.lastRowDecision !== null)
    return lostCoverageClause(owner.lastRowDecision);
  return null;
}

/**
 * Adds the fix to each decision; to a stale binding the reason its rebind was skipped, and to a
 * repo that is not covered what took its coverage away.
 */
export function explainDecisions(
  event: RoutedEvent,
  decisions: readonly RoutingDecision[],
  owners: ReadonlyMap<string, OwnerContext>,
): ExplainedDecision[] {
  return decisions.map((decision) => {
    const owner = owners.get(decision.userId);
    const clause = historyClause(decision, owner);
    return {
      ...decision,
      detail: clause === null ? decision.detail : `${decision.detail} — ${clause}`,
      fix: fixFor(event, decision, owner),
    };
  });
}

// The reasons that point at drift in the routing model come first in a summary: they are what
// "the repo looks fine but the automation does not wake up" is about.
const SUMMARY_RANK: Record<NotWokenReason, number> = {
  installation_mismatch: 0,
  automation_binding_mismatch: 0,
  repo_not_covered: 1,
  repo_unknown: 1,
  installation_unknown: 1,
  installation_deleted: 1,
  installation_suspended: 1,
  trigger_disabled: 2,
  outside_root_directory: 3,
  action_not_subscribed: 3,
  event_not_subscribed: 3,
};

const SUMMARY_DETAILS = 3;

export function routingOutcomeOf(decisions: readonly RoutingDecision[]): Exclude<RoutingOutcome, 'not_routed'> {
  if (decisions.length === 0) return 'no_candidates';
  return decisions.some((d) => d.outcome === 'woken') ? 'woke' : 'woke_none';
}

/** What a delivery that woke nothing is counted under: no_candidates, or its leading reason. */
export function leadingReason(decisions: readonly RoutingDecision[]): NotWokenReason | 'no_candidates' | null {
  if (decisions.length === 0) return 'no_candidates';
  if (decisions.some((d) => d.outcome === 'woken')) return null;
  return notWokenByRank(decisions)[0]?.reason ?? null;
}

const notWokenByRank = (decisions: readonly RoutingDecision[]) =>
  decisions
    .flatMap((d) => (d.outcome === 'not_woken' ? [d] : []))
    .sort((a, b) => SUMMARY_RANK[a.reason] - SUMMARY_RANK[b.reason]);

/** One sentence for the whole delivery. */
export function summarizeRouting(
  decisions: readonly ExplainedDecision[],
  repo: { repoId: number; fullName: string | null },
): string {
  if (decisions.length === 0)
    return `no trigger is registered for ${repo.fullName ?? 'the repo'} (repo id ${repo.repoId}), so nothing could wake`;
  const woken = decisions.filter((d) => d.outcome === 'woken').length;
  const head = `woke ${woken} of ${decisions.length} trigger${decisions.length === 1 ? '' : 's'}`;
  const notWoken = notWokenByRank(decisions);
  if (notWoken.length === 0) return head;
  const shown = notWoken.slice(0, SUMMARY_DETAILS).map((d) => d.detail);
  const more = notWoken.length > SUMMARY_DETAILS ? `; ${notWoken.length - SUMMARY_DETAILS} more not woken` : '';
  return `${head}: ${shown.join('; ')}${more}`;
}

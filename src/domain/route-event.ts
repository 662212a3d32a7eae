import { installationState, type Automation, type Installation, type RepoRow, type Trigger } from './entities.js';

// Routing (R9): which triggers of a repo an event wakes, and for every one it does not, why.
// The reasons form a closed list (REQUIREMENTS.md, "Shapes"); docs/routing.md explains each.

export const NOT_WOKEN_REASONS = [
  'trigger_disabled',
  'event_not_subscribed',
  'action_not_subscribed',
  'installation_mismatch',
  'installation_unknown',
  'installation_deleted',
  'installation_suspended',
  'repo_unknown',
  'repo_not_covered',
  'automation_binding_mismatch',
  'outside_root_directory',
] as const;

export type NotWokenReason = (typeof NOT_WOKEN_REASONS)[number];

/** The facts of one repository-scoped delivery that routing depends on. */
export interface RoutedEvent {
  event: string;
  action: string | null;
  /** The installation that delivered the event; null for a delivery without one (a repo or org hook). */
  installationId: number | null;
  repoId: number;
  /** Paths a push changed; null when unknown (not a push, or GitHub cut the commit list). */
  changedPaths: readonly string[] | null;
}

/** One trigger of the repo, with what the store knows around it. */
export interface RoutingCandidate {
  trigger: Trigger;
  /** The trigger's automation; null when it names none or the named one does not exist. */
  automation: Automation | null;
  /** The trigger owner's row for the repo: its sub-project row when it has a root directory, else the base row. */
  repoRow: RepoRow | null;
  /** The delivering installation as stored; null when unknown. */
  installation: Installation | null;
}

export type RoutingDecision = {
  triggerId: string;
  automationId: string | null;
  userId: string;
  /** The installation the trigger was bound to when it was routed. */
  boundInstallationId: number;
} & (
  { outcome: 'woken'; reason: null; detail: string } | { outcome: 'not_woken'; reason: NotWokenReason; detail: string }
);

export type Subscription = 'subscribed' | 'event_not_subscribed' | 'action_not_subscribed';

/** `event` in a trigger's list matches every action of it, `event.action` one action. */
export function subscriptionOf(events: readonly string[], event: string, action: string | null): Subscription {
  let eventNamed = false;
  for (const entry of events) {
    const dot = entry.indexOf('.');
    const name = dot === -1 ? entry : entry.slice(0, dot);
    if (name !== event) continue;
    if (dot === -1 || entry.slice(dot + 1) === action) return 'subscribed';
    eventNamed = true;
  }
  return eventNamed ? 'action_not_subscribed' : 'event_not_subscribed';
}

/** A root directory matches itself and everything below it, never a sibling sharing its prefix. */
export function isUnderRoot(path: string, rootDirectory: string): boolean {
  const root = rootDirectory.replace(/^\/+|\/+$/g, '');
  if (root === '') return true;
  const normalized = path.replace(/^\/+/, '');
  return normalized === root || normalized.startsWith(`${root}/`);
}

const FOUND_BY: Record<RepoRow['discoveredBy'], string> = {
  oauth: 'OAuth sync',
  installation: 'installation sync',
  webhook: 'a webhook',
};

function decideCandidate(event: RoutedEvent, candidate: RoutingCandidate): RoutingDecision {
  const { trigger, automation, repoRow, installation } = candidate;
  const base = {
    triggerId: trigger.id,
    automationId: trigger.automationId,
    userId: trigger.userId,
    boundInstallationId: trigger.installationId,
  };
  const no = (reason: NotWokenReason, detail: string): RoutingDecision => ({
    ...base,
    outcome: 'not_woken',
    reason,
    detail,
  });
  const eventName = event.action === null ? event.event : `${event.event}.${event.action}`;
  const from = event.installationId;

  if (!trigger.enabled) return no('trigger_disabled', `trigger ${trigger.id} is disabled`);
  if (automation !== null && !automation.enabled)
    return no('trigger_disabled', `automation ${automation.id} of trigger ${trigger.id} is disabled`);
  const subscription = subscriptionOf(trigger.events, event.event, event.action);
  if (subscription !== 'subscribed')
    return no(
      subscription,
      `trigger ${trigger.id} listens to ${trigger.events.join(', ') || 'no events'}, not ${eventName}`,
    );
  if (from === null)
    return no(
      'installation_mismatch',
      `trigger ${trigger.id} is bound to installation ${trigger.installationId} but the event came from no installation (a repository or organization webhook)`,
    );
  if (trigger.installationId !== from)
    return no(
      'installation_mismatch',
      `trigger ${trigger.id} is bound to installation ${trigger.installationId} but the event came from ${from}`,
    );
  if (installation === null) return no('installation_unknown', `installation ${from} is not known to the reconciler`);
  const state = installationState(installation);
  if (state === 'deleted')
    return no(
      'installation_deleted',
      `installation ${from} was deleted at ${installation.deletedAt ?? 'an unknown time'}`,
    );
  if (state === 'suspended')
    return no(
      'installation_suspended',
      `installation ${from} is suspended since ${installation.suspendedAt ?? 'an unknown time'}`,
    );
  if (repoRow === null) return no('repo_unknown', `user ${trigger.userId} has no project row for repo ${event.repoId}`);
  if (repoRow.installationId !== from)
    return no(
      'repo_not_covered',
      repoRow.installationId === null
        ? repoRow.discoveredBy === 'oauth'
          ? `${repoRow.fullName} is only visible to user ${trigger.userId} (found by OAuth sync), not covered by installation ${from}`
          : `${repoRow.fullName} is covered by no installation for user ${trigger.userId} (found by ${FOUND_BY[repoRow.discoveredBy]}), not by ${from}`
        : `${repoRow.fullName} is covered by installation ${repoRow.installationId} for user ${trigger.userId}, not by ${from}`,
    );
  if (trigger.automationId !== null) {
    if (automation === null)
      return no(
        'automation_binding_mismatch',
        `automation ${trigger.automationId} of trigger ${trigger.id} does not exist`,
      );
    if (automation.installationId !== from)
      return no(
        'automation_binding_mismatch',
        `automation ${automation.id} is bound to installation ${automation.installationId} but the event came from ${from}`,
      );
  }
  if (trigger.rootDirectory !== null && event.event === 'push' && event.changedPaths !== null) {
    const root = trigger.rootDirectory;
    if (!event.changedPaths.some((path) => isUnderRoot(path, root)))
      return no(
        'outside_root_directory',
        event.changedPaths.length === 0
          ? `the push changed no files, so nothing under ${root}`
          : `the push changed ${event.changedPaths.length} path(s), none under ${root}`,
      );
  }
  return { ...base, outcome: 'woken', reason: null, detail: `trigger ${trigger.id} woke on ${eventName}` };
}

/**
 * One decision per candidate, in the order given. The checks run in a fixed order and the first
 * that fails is the reason, so a trigger never has two: disabled, subscription, installation
 * (bound, known, live), repo coverage, automation binding, root directory.
 */
export function routeEvent(event: RoutedEvent, candidates: readonly RoutingCandidate[]): RoutingDecision[] {
  return candidates.map((candidate) => decideCandidate(event, candidate));
}

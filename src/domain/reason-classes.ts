import type { AuditDraft } from './audit/index.js';
import type { NotWokenReason } from './route-event.js';

// Which reasons a delivery woke nothing for are the system working as configured, and which
// are problems (issue 15): a trigger that does not subscribe to the event or its action, a push
// outside the trigger's root directory, a repo without any trigger are expected non-matches;
// binding, coverage, installation and every other reason mean a trigger that should be able to
// fire did not.

/** The reasons that are expected non-matches: everything else a routing records is a problem. */
export const EXPECTED_NON_MATCHES: readonly (NotWokenReason | 'no_candidates')[] = [
  'event_not_subscribed',
  'action_not_subscribed',
  'outside_root_directory',
  'no_candidates',
];

/** True when a reason code says something is wrong rather than "not this trigger's event". */
export function isProblemReason(code: string): boolean {
  return !EXPECTED_NON_MATCHES.includes(code as NotWokenReason);
}

/** The facts of a routed delivery that its search filters and list items read. */
export interface RoutingFacts {
  /** Distinct reason codes of its candidates that did not wake ('no_candidates' when it had none), in first-seen order. */
  reasons: string[];
  triggerIds: string[];
  automationIds: string[];
  problem: boolean;
}

/** One routing decision as recorded (domain/audit kinds 'routing.decision'). */
export interface RecordedDecision {
  triggerId: string | null;
  automationId: string | null;
  reason: string | null;
}

/** What a routing's decisions say about the delivery: null when it was not routed. */
export function routingFactsOf(
  outcome: 'woke' | 'woke_none' | 'no_candidates' | null,
  decisions: readonly RecordedDecision[],
): RoutingFacts | null {
  if (outcome === null) return null;
  const distinct = (values: (string | null)[]) => [...new Set(values.filter((v): v is string => v !== null))];
  const reasons = outcome === 'no_candidates' ? ['no_candidates'] : distinct(decisions.map((d) => d.reason));
  return {
    reasons,
    triggerIds: distinct(decisions.map((d) => d.triggerId)),
    automationIds: distinct(decisions.map((d) => d.automationId)),
    problem: reasons.some(isProblemReason),
  };
}

/** The routing decisions among a delivery's audit drafts (as routing wrote them, reconcile/route-delivery.ts). */
export function recordedDecisionsOf(audit: readonly AuditDraft[]): RecordedDecision[] {
  return audit
    .filter((draft) => draft.kind === 'routing.decision')
    .map((draft) => ({
      triggerId: draft.subject.triggerId ?? null,
      automationId: draft.subject.automationId ?? null,
      reason: draft.reason,
    }));
}

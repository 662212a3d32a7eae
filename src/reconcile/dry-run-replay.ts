import type { Delivery } from '../domain/delivery.js';
import type { RoutingOutcome } from '../domain/explain-routing.js';
import { candidatesOf, readDeliveryStory, type StoryCandidate } from '../explain/delivery-story.js';
import { payloadMissing, replayRefusal, type ReplayRefusal } from '../inbox/replay.js';
import type { Store } from '../store/store.js';
import { routeDelivery } from './route-delivery.js';
import { apiContext } from './sync-context.js';
import { parsePayload } from './webhooks/claimed-payload.js';

// A safe re-test: the stored delivery is routed against today's state and the answer set next
// to what it did then, and nothing is written, so testing a route never runs an automation.

export interface RoutingTold {
  outcome: RoutingOutcome;
  summary: string;
  /** The triggers it woke. */
  woke: string[];
  candidates: StoryCandidate[];
}

export interface DryRunReplay {
  deliveryId: string;
  then: RoutingTold;
  now: RoutingTold;
  /** Triggers whose decision differs between then and now (absent on one side: null). */
  changed: { triggerId: string; then: StoryCandidate['outcome'] | null; now: StoryCandidate['outcome'] | null }[];
}

const toldOf = (outcome: RoutingOutcome, summary: string, candidates: StoryCandidate[]): RoutingTold => ({
  outcome,
  summary,
  woke: candidates.filter((c) => c.outcome === 'woken').map((c) => c.triggerId),
  candidates,
});

function changesBetween(then: readonly StoryCandidate[], now: readonly StoryCandidate[]): DryRunReplay['changed'] {
  const thenBy = new Map(then.map((c) => [c.triggerId, c.outcome]));
  const nowBy = new Map(now.map((c) => [c.triggerId, c.outcome]));
  const triggers = [...new Set([...thenBy.keys(), ...nowBy.keys()])].sort();
  return triggers
    .map((triggerId) => ({ triggerId, then: thenBy.get(triggerId) ?? null, now: nowBy.get(triggerId) ?? null }))
    .filter((change) => change.then !== change.now);
}

export async function dryRunReplay(
  store: Store,
  original: Delivery,
  now: () => Date,
): Promise<{ dryRun: DryRunReplay } | { refused: ReplayRefusal }> {
  // A delivery still on its way may be dry-run: nothing is written, so nothing can run twice.
  const refusal = replayRefusal(original, { pendingAllowed: true });
  if (refusal !== null) return { refused: refusal };
  const raw = await store.getDeliveryPayload(original.id);
  if (raw === null) return { refused: payloadMissing(original.id) };
  const story = await readDeliveryStory(store, original);
  const routed = await routeDelivery(store, apiContext(now), { ...original, replayOf: original.id }, parsePayload(raw));
  const nowCandidates = routed === null ? [] : candidatesOf(routed.audit);
  return {
    dryRun: {
      deliveryId: original.id,
      then: toldOf(story.outcome, story.summary, story.candidates),
      now:
        routed === null
          ? toldOf('not_routed', 'the delivery names no repository', [])
          : toldOf(routed.outcome, routed.summary, nowCandidates),
      changed: changesBetween(story.candidates, nowCandidates),
    },
  };
}

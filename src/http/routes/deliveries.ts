import { Router } from 'express';
import { keptDeliveryHeaders, traceIdOf, type Delivery, type RoutedOutcome } from '../../domain/delivery.js';
import { isProblemReason } from '../../domain/reason-classes.js';
import { currentRepoName, installationIdsNamed, repoIdsKnownAs, resolveSearch } from '../../explain/search-box.js';
import type { DeliveryQuery } from '../../store/ports/deliveries.js';
import { deliverySummary, readDeliveryStory } from '../../explain/delivery-story.js';
import { replayDelivery } from '../../inbox/replay.js';
import { dryRunReplay } from '../../reconcile/dry-run-replay.js';
import type { Store } from '../../store/store.js';
import { apiOrigin } from '../api-audit.js';
import type {
  DeliveriesPage,
  DeliveryItemJson,
  DeliveryJson,
  DeliveryPayloadJson,
  DeliveryStoryJson,
  DryRunReplayAnswer,
  ReplayAnswer,
} from '../api-shapes.js';
import { HttpError } from '../http-error.js';
import { deliveriesQuery, replayQuery, type OUTCOME_FILTERS } from '../openapi/deliveries.js';
import { parseQuery } from '../openapi/parse-request.js';

export interface DeliveryRouteDeps {
  store: Store;
  now: () => Date;
  onDeliveryStored: () => void;
}

/** The delivery as clients see it (REQUIREMENTS.md, "Shapes"); the raw payload stays in the store. */
function deliveryView(delivery: Delivery): DeliveryJson {
  return {
    id: delivery.id,
    event: delivery.event,
    action: delivery.action,
    installationId: delivery.installationId,
    repoId: delivery.repoId,
    state: delivery.state,
    attempts: delivery.attempts,
    error: delivery.error,
    reason: delivery.reason,
    receivedAt: delivery.receivedAt,
    processedAt: delivery.processedAt,
    nextAttemptAt: delivery.nextAttemptAt,
    replayOf: delivery.replayOf,
  };
}

const OUTCOME_ROUTINGS: Readonly<Record<(typeof OUTCOME_FILTERS)[number], readonly (RoutedOutcome | null)[]>> = {
  woke: ['woke'],
  woke_none: ['woke_none'],
  no_candidates: ['no_candidates'],
  not_routed: [null],
  // What "the automation does not wake up" means: candidates that all said no, or none at all.
  // With problems=1 only those whose routing recorded a problem, not an expected non-match.
  woke_nothing: ['woke_none', 'no_candidates'],
};

type SearchParams = ReturnType<typeof parseQuery<typeof deliveriesQuery>>;

/** What the search box text names, as a filter: its first match; null when it names nothing deliveries carry. */
async function filterOfText(store: Store, text: string): Promise<Partial<DeliveryQuery> | null> {
  for (const match of await resolveSearch(store, text)) {
    switch (match.kind) {
      case 'delivery':
        return { deliveryId: match.id };
      case 'repo':
        return { repoIds: [Number(match.id)] };
      case 'trigger':
        return { triggerId: match.id };
      case 'automation':
        return { automationId: match.id };
      case 'installation':
        return { installationIds: [Number(match.id)] };
      case 'trace':
      case 'user':
        continue;
    }
  }
  return null;
}

/** The store query of a search; null when a name or login it gives is not known, so nothing can match. */
async function deliveryQueryOf(store: Store, params: SearchParams): Promise<DeliveryQuery | null> {
  const query: DeliveryQuery = {
    limit: params.limit ?? 50,
    ...(params.cursor !== undefined ? { beforeSeq: params.cursor } : {}),
    ...(params.state !== undefined ? { state: params.state } : {}),
    ...(params.outcome !== undefined ? { routingOutcomes: OUTCOME_ROUTINGS[params.outcome] } : {}),
    ...(params.trigger !== undefined ? { triggerId: params.trigger } : {}),
    ...(params.automation !== undefined ? { automationId: params.automation } : {}),
    ...(params.event !== undefined ? { event: params.event } : {}),
    ...(params.action !== undefined ? { action: params.action } : {}),
    ...(params.reason !== undefined ? { reason: params.reason } : {}),
    ...(params.since !== undefined ? { receivedSince: params.since } : {}),
    ...(params.until !== undefined ? { receivedUntil: params.until } : {}),
    ...(params.problems === true ? { problemsOnly: true } : {}),
  };
  const repoIds = [
    ...(params.repoId !== undefined ? [[params.repoId]] : []),
    ...(params.repo !== undefined ? [await repoIdsKnownAs(store, params.repo)] : []),
  ];
  // repo= and repoId= together: the deliveries of the id, if the name is (or was) its name.
  const [first, ...rest] = repoIds;
  if (first !== undefined) query.repoIds = first.filter((id) => rest.every((ids) => ids.includes(id)));
  if (params.installation !== undefined) query.installationIds = await installationIdsNamed(store, params.installation);
  if (params.q !== undefined) {
    const named = await filterOfText(store, params.q);
    if (named === null) return null;
    Object.assign(query, { ...named, ...query });
  }
  return query;
}

/** Each repo's name today, for the ids of a page (read once per repo). */
async function repoNamesOf(store: Store, deliveries: readonly Delivery[]): Promise<Map<number, string | null>> {
  const names = new Map<number, string | null>();
  for (const { repoId } of deliveries)
    if (repoId !== null && !names.has(repoId)) names.set(repoId, await currentRepoName(store, repoId));
  return names;
}

/** A delivery as the list shows it. */
export function deliveryItem(delivery: Delivery, repoFullName: string | null): DeliveryItemJson {
  const reasons = delivery.routingReasons ?? [];
  return {
    ...deliveryView(delivery),
    repoFullName,
    outcome: delivery.routingOutcome ?? 'not_routed',
    summary: deliverySummary(delivery),
    traceId: traceIdOf(delivery.traceparent),
    problem: reasons.some(isProblemReason),
    reasons,
  };
}

async function requireDelivery(store: Store, id: string): Promise<Delivery> {
  const delivery = await store.getDelivery(id);
  if (delivery === null) throw new HttpError(404, 'delivery_not_found', `no delivery with id ${id}`);
  return delivery;
}

export function deliveryRoutes({ store, now, onDeliveryStored }: DeliveryRouteDeps): Router {
  const router = Router();
  // Delivery search (issue 15): every filter given must hold; the query plans are in
  // test/query-plans.test.ts.
  router.get('/deliveries', async (req, res) => {
    const params = parseQuery(deliveriesQuery, req.query);
    const query = await deliveryQueryOf(store, params);
    const deliveries = query === null ? [] : await store.listDeliveries(query);
    const names = await repoNamesOf(store, deliveries);
    const last = deliveries.at(-1);
    res.json({
      deliveries: deliveries.map((delivery) =>
        deliveryItem(delivery, delivery.repoId === null ? null : (names.get(delivery.repoId) ?? null)),
      ),
      nextCursor: query !== null && deliveries.length === query.limit && last !== undefined ? String(last.seq) : null,
    } satisfies DeliveriesPage);
  });

  // The payload as signed (never parsed and re-serialised: it can be 25 MB) and the headers as
  // sent, for the view to pretty-print.
  router.get('/deliveries/:deliveryId/payload', async (req, res) => {
    const delivery = await requireDelivery(store, req.params.deliveryId);
    const payload = await store.getDeliveryPayload(delivery.id);
    if (payload === null)
      throw new HttpError(404, 'delivery_not_found', `no payload stored for delivery ${delivery.id}`);
    const meta = JSON.stringify({
      deliveryId: delivery.id,
      event: delivery.event,
      action: delivery.action,
      receivedAt: delivery.receivedAt,
      headers: keptDeliveryHeaders(delivery.headers),
    } satisfies Omit<DeliveryPayloadJson, 'payload'>);
    // The stored body is a JSON object (the inbox refuses anything else): it is spliced in whole.
    res.type('application/json').send(`${meta.slice(0, -1)},"payload":${payload}}`);
  });

  router.get('/deliveries/:deliveryId', async (req, res) => {
    const delivery = await requireDelivery(store, req.params.deliveryId);
    res.json({
      delivery: deliveryView(delivery),
      ...(await readDeliveryStory(store, delivery)),
    } satisfies DeliveryStoryJson);
  });

  // Re-test (R10). A dry run routes the stored event against today's state and writes nothing
  // (reconcile/dry-run-replay.ts); a real one sends it through the pipeline again as a new
  // delivery (inbox/replay.ts), whose wakes say they are a replay's.
  router.post('/deliveries/:deliveryId/replay', async (req, res) => {
    const { dryRun = false } = parseQuery(replayQuery, req.query);
    const original = await requireDelivery(store, req.params.deliveryId);
    if (dryRun) {
      const tested = await dryRunReplay(store, original, now);
      if ('refused' in tested) throw new HttpError(409, tested.refused.code, tested.refused.message);
      res.json({ dryRun: true, ...tested.dryRun } satisfies DryRunReplayAnswer);
      return;
    }
    const result = await replayDelivery(store, original, apiOrigin(req, now()));
    if ('refused' in result) throw new HttpError(409, result.refused.code, result.refused.message);
    onDeliveryStored();
    res
      .status(202)
      .json({ deliveryId: result.replayed.id, replayOf: original.id, dryRun: false } satisfies ReplayAnswer);
  });
  return router;
}

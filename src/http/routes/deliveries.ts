import { Router } from 'express';
import { traceIdOf, type Delivery, type RoutedOutcome } from '../../domain/delivery.js';
import { deliverySummary, readDeliveryStory } from '../../explain/delivery-story.js';
import { replayDelivery } from '../../inbox/replay.js';
import { dryRunReplay } from '../../reconcile/dry-run-replay.js';
import type { Store } from '../../store/store.js';
import { apiOrigin } from '../api-audit.js';
import type {
  DeliveriesPage,
  DeliveryJson,
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
  woke_nothing: ['woke_none', 'no_candidates'],
};

async function requireDelivery(store: Store, id: string): Promise<Delivery> {
  const delivery = await store.getDelivery(id);
  if (delivery === null) throw new HttpError(404, 'delivery_not_found', `no delivery with id ${id}`);
  return delivery;
}

export function deliveryRoutes({ store, now, onDeliveryStored }: DeliveryRouteDeps): Router {
  const router = Router();
  router.get('/deliveries', async (req, res) => {
    const { state, outcome, limit = 50, cursor: beforeSeq } = parseQuery(deliveriesQuery, req.query);
    const deliveries = await store.listDeliveries({
      limit,
      ...(state !== undefined ? { state } : {}),
      ...(beforeSeq !== undefined ? { beforeSeq } : {}),
      ...(outcome !== undefined ? { routingOutcomes: OUTCOME_ROUTINGS[outcome] } : {}),
    });
    const last = deliveries.at(-1);
    res.json({
      deliveries: deliveries.map((delivery) => ({
        ...deliveryView(delivery),
        outcome: delivery.routingOutcome ?? 'not_routed',
        summary: deliverySummary(delivery),
        traceId: traceIdOf(delivery.traceparent),
      })),
      nextCursor: deliveries.length === limit && last !== undefined ? String(last.seq) : null,
    } satisfies DeliveriesPage);
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
    const dryRun = parseQuery(replayQuery, req.query).dryRun ?? false;
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

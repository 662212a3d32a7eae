import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { traceIdOf, type Delivery, type DeliveryState, type RoutedOutcome } from '../../domain/delivery.js';
import { deliverySummary, tellDeliveryStory } from '../../explain/delivery-story.js';
import { routingRecordsOf } from '../../explain/routing-records.js';
import type { Store } from '../../store/store.js';
import { currentTraceparent, inSpan, remoteContextOf } from '../../telemetry/tracing.js';
import { apiAudit } from '../api-audit.js';
import type { DeliveriesPage, DeliveryJson, DeliveryStoryJson, ReplayAnswer } from '../api-shapes.js';
import { HttpError } from '../http-error.js';
import { queryLimit, queryString, seqCursor } from '../validate.js';

const STATES: readonly DeliveryState[] = ['received', 'processing', 'applied', 'ignored', 'failed'];

// A delivery's own audit can be long (a resync of a large installation writes one record per
// row): the story shows the first ones and says where the rest are.
const STORY_AUDIT_LIMIT = 500;

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

const OUTCOME_FILTERS: Readonly<Record<string, readonly (RoutedOutcome | null)[]>> = {
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

/** The story of one delivery (R10): what it was, what it caused, which triggers it woke and why not. */
async function deliveryStory(store: Store, id: string): Promise<DeliveryStoryJson> {
  const delivery = await requireDelivery(store, id);
  const audit = await store.listAudit({ limit: STORY_AUDIT_LIMIT + 1, deliveryId: id });
  const routing = await routingRecordsOf(store, id);
  // Routing records may lie past the first page of a long audit: read them on their own.
  const records = new Map([...audit, ...routing].map((record) => [record.seq, record]));
  const story = tellDeliveryStory(
    delivery,
    [...records.values()].sort((a, b) => a.seq - b.seq),
  );
  return {
    delivery: deliveryView(delivery),
    ...story,
    audit: audit.slice(0, STORY_AUDIT_LIMIT),
    auditTruncated: audit.length > STORY_AUDIT_LIMIT,
  };
}

export function deliveryRoutes({ store, now, onDeliveryStored }: DeliveryRouteDeps): Router {
  const router = Router();
  router.get('/deliveries', async (req, res) => {
    const state = queryString(req.query.state, 'state');
    if (state !== undefined && !STATES.includes(state as DeliveryState)) {
      throw new HttpError(400, 'invalid_query', `state must be one of ${STATES.join(', ')}`);
    }
    const outcome = queryString(req.query.outcome, 'outcome');
    if (outcome !== undefined && !Object.hasOwn(OUTCOME_FILTERS, outcome))
      throw new HttpError(400, 'invalid_query', `outcome must be one of ${Object.keys(OUTCOME_FILTERS).join(', ')}`);
    const limit = queryLimit(queryString(req.query.limit, 'limit'), 50, 200);
    const beforeSeq = seqCursor(req.query.cursor);
    const deliveries = await store.listDeliveries({
      limit,
      ...(state !== undefined ? { state: state as DeliveryState } : {}),
      ...(beforeSeq !== undefined ? { beforeSeq } : {}),
      ...(outcome !== undefined ? { routingOutcomes: OUTCOME_FILTERS[outcome] ?? [] } : {}),
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
    res.json(await deliveryStory(store, req.params.deliveryId));
  });

  // Re-test (repo-sync-and-rebinding.md, "Good troubleshooting order", step 4): the exact stored
  // event goes through the same pipeline again as a new delivery, so a fix can be proven with it.
  router.post('/deliveries/:deliveryId/replay', async (req, res) => {
    const original = await requireDelivery(store, req.params.deliveryId);
    if (original.repoId === null)
      throw new HttpError(
        409,
        'not_replayable',
        `delivery ${original.id} (${original.event}) names no repository, so it routes to no trigger; to re-check coverage, sync the user instead`,
      );
    // A delivery still on its way would be routed twice at once, and wake its triggers twice.
    if (original.state === 'received' || original.state === 'processing' || original.nextAttemptAt !== null)
      throw new HttpError(
        409,
        'delivery_pending',
        `delivery ${original.id} is ${original.state}${original.nextAttemptAt !== null ? ` until its retry at ${original.nextAttemptAt}` : ''}; replay it once it has finished`,
      );
    const payload = await store.getDeliveryPayload(original.id);
    if (payload === null)
      throw new HttpError(409, 'payload_missing', `the stored payload of delivery ${original.id} is missing`);
    const at = now();
    const id = randomUUID();
    // A new trace for the re-test, linked to the original delivery's: its processing joins this
    // one, and a trace backend can walk from either to the other.
    const originalTrace = remoteContextOf(original.traceparent);
    const recorded = await inSpan(
      'replay delivery',
      {
        root: true,
        links: originalTrace === null ? [] : [originalTrace.link],
        attributes: { 'messaging.message.id': id, 'reconciler.replay_of': original.id },
      },
      async () => {
        const traceparent = currentTraceparent();
        return store.recordDelivery(
          {
            id,
            event: original.event,
            action: original.action,
            installationId: original.installationId,
            repoId: original.repoId,
            receivedAt: at.toISOString(),
            payload,
            headers: original.headers,
            replayOf: original.id,
            ...(traceparent !== null ? { traceparent } : {}),
          },
          at.toISOString(),
        );
      },
    );
    await store.appendAudit([
      {
        ...apiAudit(req, at, {
          kind: 'delivery.replayed',
          subject: {
            ...(original.installationId !== null ? { installationId: original.installationId } : {}),
            ...(original.repoId !== null ? { repoId: original.repoId } : {}),
          },
          decision: 'replayed',
          before: { deliveryId: original.id },
          after: { deliveryId: recorded.delivery.id },
        }),
        deliveryId: recorded.delivery.id,
      },
    ]);
    onDeliveryStored();
    res.status(202).json({ deliveryId: recorded.delivery.id, replayOf: original.id } satisfies ReplayAnswer);
  });
  return router;
}

import { Router } from 'express';
import type { Delivery, DeliveryState } from '../domain/delivery.js';
import type { DeliveryStore } from '../store/store.js';
import { HttpError } from './http-error.js';
import { queryLimit } from './validate.js';

const STATES: readonly DeliveryState[] = ['received', 'processing', 'applied', 'ignored', 'failed'];

/** The delivery as clients see it (REQUIREMENTS.md, "Shapes"); the raw payload stays in the store. */
export function deliveryView(delivery: Delivery) {
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
  };
}

function queryString(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new HttpError(400, 'invalid_query', `${name} must be given once`);
  return value;
}

export function deliveryRoutes(store: DeliveryStore): Router {
  const router = Router();
  router.get('/deliveries', async (req, res) => {
    const state = queryString(req.query.state, 'state');
    if (state !== undefined && !STATES.includes(state as DeliveryState)) {
      throw new HttpError(400, 'invalid_query', `state must be one of ${STATES.join(', ')}`);
    }
    const limit = queryLimit(queryString(req.query.limit, 'limit'), 50, 200);
    const cursor = queryString(req.query.cursor, 'cursor');
    if (cursor !== undefined && !/^[1-9]\d{0,15}$/.test(cursor)) {
      throw new HttpError(400, 'invalid_query', 'cursor must be a value returned as nextCursor');
    }
    const deliveries = await store.listDeliveries({
      limit,
      ...(state !== undefined ? { state: state as DeliveryState } : {}),
      ...(cursor !== undefined ? { beforeSeq: Number(cursor) } : {}),
    });
    const last = deliveries.at(-1);
    res.json({
      deliveries: deliveries.map(deliveryView),
      nextCursor: deliveries.length === limit && last !== undefined ? String(last.seq) : null,
    });
  });
  router.get('/deliveries/:deliveryId', async (req, res) => {
    const delivery = await store.getDelivery(req.params.deliveryId);
    if (delivery === null)
      throw new HttpError(404, 'delivery_not_found', `no delivery with id ${req.params.deliveryId}`);
    res.json({ delivery: deliveryView(delivery) });
  });
  return router;
}

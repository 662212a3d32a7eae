import { endpointWants, wakeMessage, type StoredEndpoint } from '../domain/wake-push.js';
import type { NewSend, Store } from '../store/store.js';

// Fan-out: every wake the outbox gains is queued for each endpoint whose filter wants it. Each
// endpoint keeps its position in the outbox, moved with the sends it queued, so any replica may
// run this and a crash midway queues nothing twice (queueSends is idempotent by send id).

/** Outbox wakes read per endpoint and step. */
const QUEUE_BATCH = 500;

/** One step for one endpoint from `afterSeq`: the position it reached, and how many wakes it read. */
async function queueNextBatch(
  store: Store,
  endpoint: StoredEndpoint,
  afterSeq: number,
  now: Date,
): Promise<{ position: number; read: number }> {
  const wakes = await store.listWakes({ afterSeq, limit: QUEUE_BATCH });
  const last = wakes.at(-1);
  if (last === undefined) return { position: afterSeq, read: 0 };
  const at = now.toISOString();
  const sends: NewSend[] = wakes
    .filter((wake) => endpointWants(endpoint.filter, wake))
    .map((wake) => ({
      id: wake.id,
      seq: wake.seq,
      endpointId: endpoint.id,
      wakeId: wake.id,
      body: wakeMessage(wake, now),
      createdAt: at,
    }));
  // False when another replica queued this batch first: its sends are the same ones, so its
  // position is ours too.
  await store.queueSends(endpoint.id, afterSeq, last.seq, sends);
  return { position: last.seq, read: wakes.length };
}

/**
 * Queues every wake not yet queued, for every endpoint, and answers the lowest position any
 * endpoint reached, so the caller can wait for the outbox to pass it. A disabled endpoint's
 * queue fills too: it sends what it missed once enabled again.
 */
export async function queueNewWakes(store: Store, now: () => Date): Promise<{ lowestSeq: number | null }> {
  let lowestSeq: number | null = null;
  for (const endpoint of await store.listEndpoints()) {
    let step = { position: endpoint.queuedThroughSeq, read: QUEUE_BATCH };
    while (step.read === QUEUE_BATCH) step = await queueNextBatch(store, endpoint, step.position, now());
    lowestSeq = lowestSeq === null ? step.position : Math.min(lowestSeq, step.position);
  }
  return { lowestSeq };
}

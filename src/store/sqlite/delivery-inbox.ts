import type Database from 'better-sqlite3';
import {
  decideRedelivery,
  newDelivery,
  readReceivedDelivery,
  type Delivery,
  type IncomingDelivery,
  type ReceivedDelivery,
} from '../../domain/delivery.js';
import type { ReceiveDeliveryResult, RecordDeliveryResult } from '../store.js';
import { DELIVERY } from '../codec.js';
import { DELIVERY_COLUMNS } from './deliveries.js';
import { fromRow, type Row } from './sqlite-codec.js';

/** A delivery whose facts are known already, or one received whose payload the inbox reads. */
export type InboxItem = { incoming: IncomingDelivery; now: string } | { received: ReceivedDelivery; now: string };

export type InboxItemResult = { ok: true; result: ReceiveDeliveryResult } | { ok: false; error: string };

/**
 * Records deliveries, several per transaction (group commit). A batch that fails is retried one
 * delivery at a time, so that a bad delivery fails alone and the others are still stored.
 */
export function prepareDeliveryInbox(db: Database.Database): (batch: readonly InboxItem[]) => InboxItemResult[] {
  const insertDelivery = db.prepare(`
    INSERT INTO deliveries (id, event, action, installation_id, repo_id, received_at, headers, state, attempts, replay_of,
      traceparent)
    VALUES (@id, @event, @action, @installationId, @repoId, @receivedAt, @headers, 'received', 0, @replayOf, @traceparent)
    ON CONFLICT (id) DO NOTHING`);
  const insertPayload = db.prepare('INSERT INTO delivery_payloads (seq, payload) VALUES (?, ?)');
  const deliveryById = db.prepare(`SELECT ${DELIVERY_COLUMNS} FROM deliveries WHERE id = ?`);
  const requeue = db.prepare(`UPDATE deliveries SET state = 'received', next_attempt_at = NULL WHERE id = ?`);
  const makeRetryDue = db.prepare(`UPDATE deliveries SET next_attempt_at = ? WHERE id = ? AND state = 'failed'`);

  const stored = (id: string): Delivery => fromRow(DELIVERY, deliveryById.get(id) as Row);

  const recordIncoming = (incoming: IncomingDelivery, now: string): RecordDeliveryResult => {
    const { payload, replayOf, traceparent, ...fields } = incoming;
    const inserted = insertDelivery.run({
      ...fields,
      headers: JSON.stringify(incoming.headers),
      replayOf: replayOf ?? null,
      traceparent: traceparent ?? null,
    });
    if (inserted.changes > 0) {
      insertPayload.run(inserted.lastInsertRowid, payload);
      return { status: 'accepted', delivery: newDelivery(incoming, Number(inserted.lastInsertRowid)) };
    }
    const decision = decideRedelivery(stored(incoming.id));
    if (decision.status === 'requeued') requeue.run(incoming.id);
    if (decision.status === 'pending' && decision.makeDueNow) makeRetryDue.run(now, incoming.id);
    return { status: decision.status, delivery: stored(incoming.id) };
  };
  type Readable = { incoming: IncomingDelivery; now: string };
  const recordAll = db.transaction((batch: readonly Readable[]) =>
    batch.map(({ incoming, now }) => recordIncoming(incoming, now)),
  );
  const commit = (readable: readonly Readable[]): InboxItemResult[] => {
    try {
      return recordAll.immediate(readable).map((result) => ({ ok: true, result }));
    } catch {
      return readable.map((entry) => {
        try {
          const [result] = recordAll.immediate([entry]);
          return { ok: true, result: result as RecordDeliveryResult };
        } catch (error) {
          return { ok: false, error: error instanceof Error ? error.message : String(error) };
        }
      });
    }
  };

  return (batch) => {
    // Payloads are read before the transaction: a 25 MB one must not hold the write lock while it is parsed.
    const readings = batch.map((item) => ({
      now: item.now,
      reading:
        'incoming' in item ? { ok: true as const, incoming: item.incoming } : readReceivedDelivery(item.received),
    }));
    const readable = readings.flatMap(({ now, reading }) => (reading.ok ? [{ incoming: reading.incoming, now }] : []));
    const committed = readable.length > 0 ? commit(readable) : [];
    let next = 0;
    return readings.map(({ reading }): InboxItemResult => {
      if (reading.ok) return committed[next++] ?? { ok: false, error: 'no outcome recorded' };
      return { ok: true, result: { status: 'malformed', problem: reading.problem } };
    });
  };
}

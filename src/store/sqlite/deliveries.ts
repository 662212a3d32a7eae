import type Database from 'better-sqlite3';
import type { Delivery } from '../../domain/delivery.js';
import { DELIVERY, STORED_WAKE } from '../codec.js';
import type { DeliveryQuery, DeliveryStore, InboxBacklog } from '../ports/deliveries.js';
import { prepareOldestDue } from './delivery-inbox.js';
import type { InboxWriter } from './inbox-writer.js';
import { columnsOf, oneOf, rowsOf } from './sqlite-codec.js';

// Every delivery column but the payload, which only the worker reads (and can be 25 MB).
export const DELIVERY_COLUMNS = columnsOf(DELIVERY);

/** The inbox's reads on the main connection; its writes go through the writer thread (delivery-inbox.ts). */
export function sqliteDeliveries(db: Database.Database, inboxWriter: InboxWriter): DeliveryStore {
  const q = {
    deliveryById: db.prepare(`SELECT ${DELIVERY_COLUMNS} FROM deliveries WHERE id = ?`),
    deliveryPayload: db.prepare(
      'SELECT p.payload FROM deliveries d JOIN delivery_payloads p ON p.seq = d.seq WHERE d.id = ?',
    ),
    nextRetryAt: db.prepare(
      `SELECT min(next_attempt_at) AS at FROM deliveries WHERE state = 'failed' AND next_attempt_at IS NOT NULL`,
    ),
    // Pending: waiting for the worker, in its hands, or waiting for a retry. Given-up failures are not.
    pendingSummary: db.prepare(`
      SELECT count(*) AS n, min(received_at) AS oldest FROM deliveries
      WHERE state IN ('received', 'processing') OR (state = 'failed' AND next_attempt_at IS NOT NULL)`),
    wakesFirst: db.prepare('SELECT * FROM wakes ORDER BY seq LIMIT ?'),
    wakesAfter: db.prepare('SELECT * FROM wakes WHERE seq > ? ORDER BY seq LIMIT ?'),
  };

  const oldestDue = prepareOldestDue(db);

  return {
    async recordDelivery(incoming, now) {
      const result = await inboxWriter.record({ incoming, now });
      if (result.status === 'malformed') throw new Error(`a delivery with known facts was refused: ${result.problem}`);
      return result;
    },
    receiveDelivery(received, now) {
      // The writer thread parses the payload: a 7 KB JSON.parse is the largest piece of an
      // acknowledgement's work left on the event loop (bench/ingest.ts).
      return inboxWriter.record({ received, now });
    },
    async claimNextDelivery(claim) {
      // Idle polls take no write lock: only a claim that has something to take does.
      return oldestDue(claim.now) === null ? null : inboxWriter.claim(claim);
    },
    async nextRetryAt() {
      return (q.nextRetryAt.get() as { at: string | null }).at ?? null;
    },
    async finishDelivery(id, workerId, finish) {
      const { audit, wakes, routingOutcome, ...fields } = finish;
      const params = { id, workerId, ...fields, routingOutcome: routingOutcome ?? null };
      return inboxWriter.end({ kind: 'finish', params, audit, wakes: wakes ?? [] });
    },
    async failDelivery(id, workerId, failure) {
      const { audit, ...fields } = failure;
      return inboxWriter.end({ kind: 'fail', params: { id, workerId, ...fields }, audit });
    },
    async getDelivery(id) {
      return oneOf(DELIVERY, q.deliveryById.get(id));
    },
    async getDeliveriesByIds(ids) {
      const found: Delivery[] = [];
      // Batches stay well below SQLite's limit on bound parameters.
      for (let start = 0; start < ids.length; start += 500) {
        const batch = ids.slice(start, start + 500);
        const sql = `SELECT ${DELIVERY_COLUMNS} FROM deliveries WHERE id IN (${batch.map(() => '?').join(',')})`;
        found.push(...rowsOf(DELIVERY, db.prepare(sql).all(...batch)));
      }
      return found;
    },
    async getDeliveryPayload(id) {
      const row = q.deliveryPayload.get(id) as { payload: string } | undefined;
      return row?.payload ?? null;
    },
    async listDeliveries(query: DeliveryQuery) {
      const where: string[] = [];
      const params: unknown[] = [];
      if (query.state !== undefined) {
        where.push('state = ?');
        params.push(query.state);
      }
      if (query.beforeSeq !== undefined) {
        where.push('seq < ?');
        params.push(query.beforeSeq);
      }
      if (query.repoId !== undefined) {
        where.push('repo_id = ?');
        params.push(query.repoId);
      }
      if (query.routingOutcomes !== undefined) {
        const outcomes = query.routingOutcomes.filter((o) => o !== null);
        const either = outcomes.map(() => 'routing_outcome = ?');
        if (query.routingOutcomes.includes(null)) either.push('routing_outcome IS NULL');
        where.push(either.length === 0 ? '0' : `(${either.join(' OR ')})`);
        params.push(...outcomes);
      }
      const sql = `SELECT ${DELIVERY_COLUMNS} FROM deliveries ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ?`;
      return rowsOf(DELIVERY, db.prepare(sql).all(...params, query.limit));
    },
    async inboxBacklog(): Promise<InboxBacklog> {
      const summary = q.pendingSummary.get() as { n: number; oldest: string | null };
      return { pending: Number(summary.n), oldestReceivedAt: summary.oldest ?? null };
    },
    async listWakes(query) {
      const rows =
        query.afterSeq === undefined ? q.wakesFirst.all(query.limit) : q.wakesAfter.all(query.afterSeq, query.limit);
      return rowsOf(STORED_WAKE, rows);
    },
  };
}

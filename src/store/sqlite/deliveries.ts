import type Database from 'better-sqlite3';
import type { Delivery } from '../../domain/delivery.js';
import { recordedDecisionsOf, routingFactsOf } from '../../domain/reason-classes.js';
import { DELIVERY, STORED_WAKE } from '../codec.js';
import type { DeliveryQuery, DeliveryStore, InboxBacklog } from '../ports/deliveries.js';
import { prepareOldestDue } from './delivery-inbox.js';
import type { InboxWriter } from './inbox-writer.js';
import { column, columnsOf, oneOf, rowsOf } from './sqlite-codec.js';

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
      const routing = routingFactsOf(routingOutcome ?? null, recordedDecisionsOf(audit));
      const params = {
        id,
        workerId,
        ...fields,
        routingOutcome: routingOutcome ?? null,
        routingReasons: routing === null ? null : JSON.stringify(routing.reasons),
        problem: routing?.problem === true ? (1 as const) : (0 as const),
      };
      return inboxWriter.end({ kind: 'finish', params, audit, wakes: wakes ?? [], routing });
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
      const { sql, params } = deliverySearchSql(query);
      return rowsOf(DELIVERY, db.prepare(sql).all(...params));
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

const anyOf = (column: string, values: readonly unknown[]): string =>
  values.length === 0 ? '0' : `${column} IN (${values.map(() => '?').join(', ')})`;

/**
 * One statement for a search, newest first. A filter on what routing considered (trigger,
 * automation, reason) reads the facts table in seq order and drives the query, so a page stops
 * after `limit` matches; the other filters each have an index on deliveries (migration 7) that
 * SQLite picks from.
 */
export function deliverySearchSql(query: DeliveryQuery): { sql: string; params: unknown[] } {
  const facts = (
    [
      ['trigger', query.triggerId],
      ['automation', query.automationId],
      ['reason', query.reason],
    ] as const
  ).filter((fact): fact is readonly ['trigger' | 'automation' | 'reason', string] => fact[1] !== undefined);
  const where: string[] = [];
  const params: unknown[] = [];
  const filter = (clause: string, ...values: unknown[]) => {
    where.push(clause);
    params.push(...values);
  };
  const [driving, ...others] = facts;
  const seq = driving === undefined ? 'deliveries.seq' : 'delivery_routing_facts.seq';
  if (driving !== undefined) filter('delivery_routing_facts.kind = ? AND delivery_routing_facts.value = ?', ...driving);
  for (const [kind, value] of others)
    filter(
      'EXISTS (SELECT 1 FROM delivery_routing_facts AS also WHERE also.kind = ? AND also.value = ? AND also.seq = deliveries.seq)',
      kind,
      value,
    );
  if (query.beforeSeq !== undefined) filter(`${seq} < ?`, query.beforeSeq);
  if (query.deliveryId !== undefined) filter('deliveries.id = ?', query.deliveryId);
  if (query.state !== undefined) filter('deliveries.state = ?', query.state);
  if (query.repoIds !== undefined) filter(anyOf('deliveries.repo_id', query.repoIds), ...query.repoIds);
  if (query.installationIds !== undefined)
    filter(anyOf('deliveries.installation_id', query.installationIds), ...query.installationIds);
  if (query.event !== undefined) filter('deliveries.event = ?', query.event);
  if (query.action !== undefined) filter('deliveries.action = ?', query.action);
  if (query.receivedSince !== undefined) filter('deliveries.received_at >= ?', query.receivedSince);
  if (query.receivedUntil !== undefined) filter('deliveries.received_at < ?', query.receivedUntil);
  if (query.problemsOnly === true) where.push('deliveries.problem = 1');
  if (query.routingOutcomes !== undefined) {
    const outcomes = query.routingOutcomes.filter((o) => o !== null);
    const either = outcomes.map(() => 'deliveries.routing_outcome = ?');
    if (query.routingOutcomes.includes(null)) either.push('deliveries.routing_outcome IS NULL');
    filter(either.length === 0 ? '0' : `(${either.join(' OR ')})`, ...outcomes);
  }
  const from =
    driving === undefined
      ? 'deliveries'
      : 'delivery_routing_facts JOIN deliveries ON deliveries.seq = delivery_routing_facts.seq';
  const columns = DELIVERY.names.map((name) => `deliveries.${column(name)}`).join(', ');
  const sql = `SELECT ${columns} FROM ${from} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${seq} DESC LIMIT ?`;
  return { sql, params: [...params, query.limit] };
}

import type Database from 'better-sqlite3';
import type { AuditDraft } from '../../domain/audit/index.js';
import type { Delivery } from '../../domain/delivery.js';
import type { Wake } from '../../domain/entities.js';
import { recordedDecisionsOf, routingFactsOf, type RoutingFacts } from '../../domain/reason-classes.js';
import { DELIVERY, STORED_WAKE, WAKE } from '../codec.js';
import type { DeliveryClaim, DeliveryQuery, DeliveryStore, InboxBacklog } from '../ports/deliveries.js';
import type { AppendAuditNow } from './audit.js';
import type { InboxWriter } from './inbox-writer.js';
import { column, columnsOf, oneOf, paramsOf, rowsOf } from './sqlite-codec.js';

// Every delivery column but the payload, which only the worker reads (and can be 25 MB).
export const DELIVERY_COLUMNS = columnsOf(DELIVERY);

// A delivery whose installation has another delivery under a live claim waits (DeliveryStore.claimNextDelivery).
const NOT_UNDER_CLAIM = `(installation_id IS NULL OR installation_id NOT IN (
  SELECT installation_id FROM deliveries WHERE state = 'processing' AND lease_until > @now AND installation_id IS NOT NULL))`;

/** The inbox on the main connection: claims, finishes and reads (the writer thread records deliveries). */
export function sqliteDeliveries(
  db: Database.Database,
  appendAudit: AppendAuditNow,
  inboxWriter: InboxWriter,
): DeliveryStore {
  const q = {
    deliveryById: db.prepare(`SELECT ${DELIVERY_COLUMNS} FROM deliveries WHERE id = ?`),
    deliveryPayload: db.prepare(
      'SELECT p.payload FROM deliveries d JOIN delivery_payloads p ON p.seq = d.seq WHERE d.id = ?',
    ),
    oldestReceived: db.prepare(
      `SELECT seq FROM deliveries WHERE state = 'received' AND ${NOT_UNDER_CLAIM} ORDER BY seq LIMIT 1`,
    ),
    oldestRetryDue: db.prepare(
      `SELECT min(seq) AS seq FROM deliveries WHERE state = 'failed' AND next_attempt_at <= @now AND ${NOT_UNDER_CLAIM}`,
    ),
    oldestLeaseExpired: db.prepare(
      `SELECT min(seq) AS seq FROM deliveries WHERE state = 'processing' AND lease_until <= @now AND ${NOT_UNDER_CLAIM}`,
    ),
    claim: db.prepare(`
      UPDATE deliveries SET state = 'processing', attempts = attempts + 1, lease_owner = @workerId, lease_until = @leaseUntil
      WHERE seq = @seq RETURNING ${DELIVERY_COLUMNS}`),
    nextRetryAt: db.prepare(
      `SELECT min(next_attempt_at) AS at FROM deliveries WHERE state = 'failed' AND next_attempt_at IS NOT NULL`,
    ),
    finish: db.prepare(`
      UPDATE deliveries SET state = @state, reason = @reason, processed_at = @processedAt, next_attempt_at = NULL,
        routing_outcome = @routingOutcome, routing_reasons = @routingReasons, problem = @problem,
        lease_owner = NULL, lease_until = NULL
      WHERE id = @id AND state = 'processing' AND lease_owner = @workerId`),
    insertRoutingFact: db.prepare(`
      INSERT OR IGNORE INTO delivery_routing_facts (kind, value, seq) SELECT @kind, @value, seq FROM deliveries WHERE id = @id`),
    fail: db.prepare(`
      UPDATE deliveries SET state = 'failed', error = @error, processed_at = @processedAt, next_attempt_at = @nextAttemptAt,
        lease_owner = NULL, lease_until = NULL
      WHERE id = @id AND state = 'processing' AND lease_owner = @workerId`),
    // Pending: waiting for the worker, in its hands, or waiting for a retry. Given-up failures are not.
    pendingSummary: db.prepare(`
      SELECT count(*) AS n, min(received_at) AS oldest FROM deliveries
      WHERE state IN ('received', 'processing') OR (state = 'failed' AND next_attempt_at IS NOT NULL)`),
    insertWake: db.prepare(`
      INSERT INTO wakes (${columnsOf(WAKE)}) VALUES (${WAKE.names.map((name) => `@${name}`).join(', ')})
      ON CONFLICT (id) DO NOTHING`),
    wakesFirst: db.prepare('SELECT * FROM wakes ORDER BY seq LIMIT ?'),
    wakesAfter: db.prepare('SELECT * FROM wakes WHERE seq > ? ORDER BY seq LIMIT ?'),
  };

  // Read-then-write transactions run as BEGIN IMMEDIATE: the inbox writer thread commits on its
  // own connection, and a deferred transaction whose snapshot went stale before its first write
  // fails with SQLITE_BUSY at once instead of waiting (WAL mode), which made claims and
  // finishes fail under load.
  const oldestDueSeq = (now: string): number | null => {
    const candidates = [
      (q.oldestReceived.get({ now }) as { seq: number } | undefined)?.seq,
      (q.oldestRetryDue.get({ now }) as { seq: number | null }).seq,
      (q.oldestLeaseExpired.get({ now }) as { seq: number | null }).seq,
    ].filter((seq): seq is number => typeof seq === 'number');
    return candidates.length === 0 ? null : Math.min(...candidates);
  };
  const claimNow = db.transaction((claim: DeliveryClaim): Delivery | null => {
    const seq = oldestDueSeq(claim.now);
    if (seq === null) return null;
    return oneOf(DELIVERY, q.claim.get({ seq, workerId: claim.workerId, leaseUntil: claim.leaseUntil }));
  });
  interface Ending {
    statement: Database.Statement;
    params: Record<string, unknown>;
    audit: readonly AuditDraft[];
    wakes: readonly Wake[];
    routing: RoutingFacts | null;
  }
  const endOne = ({ statement, params, audit, wakes, routing }: Ending): boolean => {
    if (statement.run(params).changes === 0) return false;
    for (const wake of wakes) q.insertWake.run(paramsOf(WAKE, wake));
    if (routing !== null) for (const fact of factRows(routing)) q.insertRoutingFact.run({ id: params.id, ...fact });
    appendAudit(audit);
    return true;
  };
  const endAll = db.transaction((endings: readonly Ending[]) => endings.map(endOne));

  // Group commit of the worker's writes: the deliveries that end in one turn of the event loop
  // (the worker has several in hand) share one transaction. Each index page they touch is then
  // written to the WAL and checkpointed once, not once per delivery. Each caller still hears of
  // its own write only once it is committed.
  let endings: { ending: Ending; resolve: (kept: boolean) => void; reject: (error: unknown) => void }[] = [];
  const commitEndings = (): void => {
    const batch = endings;
    endings = [];
    try {
      const kept = endAll.immediate(batch.map((entry) => entry.ending));
      batch.forEach((entry, i) => entry.resolve(kept[i] ?? false));
    } catch {
      // One bad write must not fail the others: alone, each succeeds or fails on its own.
      for (const entry of batch) {
        try {
          entry.resolve(endAll.immediate([entry.ending])[0] ?? false);
        } catch (error) {
          entry.reject(error);
        }
      }
    }
  };
  const endDelivery = (ending: Ending): Promise<boolean> =>
    new Promise((resolve, reject) => {
      if (endings.length === 0) setImmediate(commitEndings);
      endings.push({ ending, resolve, reject });
    });

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
      return oldestDueSeq(claim.now) === null ? null : claimNow.immediate(claim);
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
        problem: routing?.problem === true ? 1 : 0,
      };
      return endDelivery({ statement: q.finish, params, audit, wakes: wakes ?? [], routing });
    },
    async failDelivery(id, workerId, failure) {
      const { audit, ...fields } = failure;
      return endDelivery({ statement: q.fail, params: { id, workerId, ...fields }, audit, wakes: [], routing: null });
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

const factRows = (routing: RoutingFacts): { kind: string; value: string }[] => [
  ...routing.triggerIds.map((value) => ({ kind: 'trigger', value })),
  ...routing.automationIds.map((value) => ({ kind: 'automation', value })),
  ...routing.reasons.map((value) => ({ kind: 'reason', value })),
];

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

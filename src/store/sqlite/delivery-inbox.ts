import type Database from 'better-sqlite3';
import type { AuditDraft } from '../../domain/audit/index.js';
import {
  decideRedelivery,
  newDelivery,
  readReceivedDelivery,
  type Delivery,
  type IncomingDelivery,
  type ReceivedDelivery,
} from '../../domain/delivery.js';
import type { Wake } from '../../domain/entities.js';
import type { RoutingFacts } from '../../domain/reason-classes.js';
import type { DeliveryClaim, ReceiveDeliveryResult, RecordDeliveryResult } from '../store.js';
import { DELIVERY, WAKE } from '../codec.js';
import { sqliteAudit } from './audit.js';
import { DELIVERY_COLUMNS } from './deliveries.js';
import { columnsOf, fromRow, oneOf, paramsOf, type Row } from './sqlite-codec.js';

// The inbox's writes, all made by the inbox writer thread on its own connection: deliveries
// recorded, claimed and ended. The event loop that answers GitHub then never waits for the
// write lock (better-sqlite3's busy handler sleeps on the thread that asked) nor for a commit.

/** A delivery whose facts are known already, or one received whose payload the inbox reads. */
export type InboxItem = { incoming: IncomingDelivery; now: string } | { received: ReceivedDelivery; now: string };

/** How a claimed delivery ends: its outcome, or a failed attempt; both carry their audit. */
export type DeliveryEnding =
  | {
      kind: 'finish';
      params: {
        id: string;
        workerId: string;
        state: 'applied' | 'ignored';
        reason: string | null;
        processedAt: string;
        routingOutcome: string | null;
        routingReasons: string | null;
        problem: 0 | 1;
      };
      audit: readonly AuditDraft[];
      wakes: readonly Wake[];
      /** What routing considered, kept for search (delivery_routing_facts); null when not routed. */
      routing: RoutingFacts | null;
    }
  | {
      kind: 'fail';
      params: { id: string; workerId: string; error: string; processedAt: string; nextAttemptAt: string | null };
      audit: readonly AuditDraft[];
    };

/** One piece of the writer thread's work, and what it answers. */
export type InboxWork =
  | { kind: 'record'; item: InboxItem }
  | { kind: 'claim'; claim: DeliveryClaim }
  | { kind: 'end'; ending: DeliveryEnding };
export type InboxAnswer = ReceiveDeliveryResult | Delivery | null | boolean;
export type InboxWorkResult = { ok: true; answer: InboxAnswer } | { ok: false; error: string };

// A delivery whose installation has another delivery under a live claim waits (DeliveryStore.claimNextDelivery).
const NOT_UNDER_CLAIM = `(installation_id IS NULL OR installation_id NOT IN (
  SELECT installation_id FROM deliveries WHERE state = 'processing' AND lease_until > @now AND installation_id IS NOT NULL))`;

/** The oldest delivery due now (received, retry due, or lease expired), on any connection; reads only. */
export function prepareOldestDue(db: Database.Database): (now: string) => number | null {
  const q = {
    oldestReceived: db.prepare(
      `SELECT seq FROM deliveries WHERE state = 'received' AND ${NOT_UNDER_CLAIM} ORDER BY seq LIMIT 1`,
    ),
    oldestRetryDue: db.prepare(
      `SELECT min(seq) AS seq FROM deliveries WHERE state = 'failed' AND next_attempt_at <= @now AND ${NOT_UNDER_CLAIM}`,
    ),
    oldestLeaseExpired: db.prepare(
      `SELECT min(seq) AS seq FROM deliveries WHERE state = 'processing' AND lease_until <= @now AND ${NOT_UNDER_CLAIM}`,
    ),
  };
  return (now) => {
    const candidates = [
      (q.oldestReceived.get({ now }) as { seq: number } | undefined)?.seq,
      (q.oldestRetryDue.get({ now }) as { seq: number | null }).seq,
      (q.oldestLeaseExpired.get({ now }) as { seq: number | null }).seq,
    ].filter((seq): seq is number => typeof seq === 'number');
    return candidates.length === 0 ? null : Math.min(...candidates);
  };
}

/**
 * Does the inbox's work, everything handed over at once in one transaction (group commit: one
 * fsync, and each index page touched written to the WAL once). A batch that fails is done again
 * one piece at a time, so that a bad piece fails alone and the others still commit.
 */
export function prepareDeliveryInbox(db: Database.Database): (batch: readonly InboxWork[]) => InboxWorkResult[] {
  const insertDelivery = db.prepare(`
    INSERT INTO deliveries (id, event, action, installation_id, repo_id, received_at, headers, state, attempts, replay_of,
      traceparent)
    VALUES (@id, @event, @action, @installationId, @repoId, @receivedAt, @headers, 'received', 0, @replayOf, @traceparent)
    ON CONFLICT (id) DO NOTHING`);
  const insertPayload = db.prepare('INSERT INTO delivery_payloads (seq, payload) VALUES (?, ?)');
  const deliveryById = db.prepare(`SELECT ${DELIVERY_COLUMNS} FROM deliveries WHERE id = ?`);
  const requeue = db.prepare(`UPDATE deliveries SET state = 'received', next_attempt_at = NULL WHERE id = ?`);
  const makeRetryDue = db.prepare(`UPDATE deliveries SET next_attempt_at = ? WHERE id = ? AND state = 'failed'`);
  const claimSeq = db.prepare(`
    UPDATE deliveries SET state = 'processing', attempts = attempts + 1, lease_owner = @workerId, lease_until = @leaseUntil
    WHERE seq = @seq RETURNING ${DELIVERY_COLUMNS}`);
  const finish = db.prepare(`
    UPDATE deliveries SET state = @state, reason = @reason, processed_at = @processedAt, next_attempt_at = NULL,
      routing_outcome = @routingOutcome, routing_reasons = @routingReasons, problem = @problem,
      lease_owner = NULL, lease_until = NULL
    WHERE id = @id AND state = 'processing' AND lease_owner = @workerId`);
  const insertRoutingFact = db.prepare(`
    INSERT OR IGNORE INTO delivery_routing_facts (kind, value, seq) SELECT @kind, @value, seq FROM deliveries WHERE id = @id`);
  const fail = db.prepare(`
    UPDATE deliveries SET state = 'failed', error = @error, processed_at = @processedAt, next_attempt_at = @nextAttemptAt,
      lease_owner = NULL, lease_until = NULL
    WHERE id = @id AND state = 'processing' AND lease_owner = @workerId`);
  const insertWake = db.prepare(`
    INSERT INTO wakes (${columnsOf(WAKE)}) VALUES (${WAKE.names.map((name) => `@${name}`).join(', ')})
    ON CONFLICT (id) DO NOTHING`);
  const oldestDue = prepareOldestDue(db);
  const appendAudit = sqliteAudit(db).appendNow;

  const stored = (id: string): Delivery => fromRow(DELIVERY, deliveryById.get(id) as Row);

  // Bytes received are stored as they came, as UTF-8 text (accept-delivery.ts refused any other):
  // binding the decoded string instead would make SQLite's driver encode a third copy of a body
  // of up to 25 MB, and keep the decoded one alive until the commit.
  const insertPayloadBytes = db.prepare('INSERT INTO delivery_payloads (seq, payload) VALUES (?, CAST(? AS TEXT))');
  const recordIncoming = (
    incoming: Omit<IncomingDelivery, 'payload'>,
    payload: string | Uint8Array,
    now: string,
  ): RecordDeliveryResult => {
    const { replayOf, traceparent, ...fields } = incoming;
    const inserted = insertDelivery.run({
      ...fields,
      headers: JSON.stringify(incoming.headers),
      replayOf: replayOf ?? null,
      traceparent: traceparent ?? null,
    });
    if (inserted.changes > 0) {
      (typeof payload === 'string' ? insertPayload : insertPayloadBytes).run(inserted.lastInsertRowid, payload);
      return { status: 'accepted', delivery: newDelivery(incoming, Number(inserted.lastInsertRowid)) };
    }
    const decision = decideRedelivery(stored(incoming.id));
    if (decision.status === 'requeued') requeue.run(incoming.id);
    if (decision.status === 'pending' && decision.makeDueNow) makeRetryDue.run(now, incoming.id);
    return { status: decision.status, delivery: stored(incoming.id) };
  };
  const claimOldest = (claim: DeliveryClaim): Delivery | null => {
    const seq = oldestDue(claim.now);
    if (seq === null) return null;
    return oneOf(DELIVERY, claimSeq.get({ seq, workerId: claim.workerId, leaseUntil: claim.leaseUntil }));
  };
  /** False when the claim was lost: another worker holds the delivery now. */
  const end = (ending: DeliveryEnding): boolean => {
    if ((ending.kind === 'finish' ? finish : fail).run(ending.params).changes === 0) return false;
    if (ending.kind === 'finish') {
      for (const wake of ending.wakes) insertWake.run(paramsOf(WAKE, wake));
      if (ending.routing !== null)
        for (const fact of factRows(ending.routing)) insertRoutingFact.run({ id: ending.params.id, ...fact });
    }
    appendAudit(ending.audit);
    return true;
  };

  /** Work whose payload, if any, has been read: ready to write. */
  type Ready =
    | { kind: 'record'; incoming: Omit<IncomingDelivery, 'payload'>; payload: string | Uint8Array; now: string }
    | Exclude<InboxWork, { kind: 'record' }>;
  const doOne = (work: Ready): InboxAnswer =>
    work.kind === 'record'
      ? recordIncoming(work.incoming, work.payload, work.now)
      : work.kind === 'claim'
        ? claimOldest(work.claim)
        : end(work.ending);
  const doAll = db.transaction((batch: readonly Ready[]) => batch.map(doOne));
  const commit = (ready: readonly Ready[]): InboxWorkResult[] => {
    try {
      return doAll.immediate(ready).map((answer) => ({ ok: true, answer }));
    } catch {
      return ready.map((work) => {
        try {
          const [answer] = doAll.immediate([work]);
          return { ok: true, answer: answer ?? null };
        } catch (error) {
          return { ok: false, error: error instanceof Error ? error.message : String(error) };
        }
      });
    }
  };

  return (batch) => {
    // Payloads are read before the transaction: a 25 MB one must not hold the write lock while it is parsed.
    const readings = batch.map((work) => {
      if (work.kind !== 'record') return { ok: true as const, ready: work };
      const { item } = work;
      const { now } = item;
      if ('incoming' in item) {
        const { payload, ...incoming } = item.incoming;
        return { ok: true as const, ready: { kind: 'record' as const, incoming, payload, now } };
      }
      const reading = readReceivedDelivery(item.received);
      if (!reading.ok) return { ok: false as const, problem: reading.problem };
      // The decoded text was only for reading the facts: it is dropped here, the bytes are stored.
      const { payload: _decoded, ...incoming } = reading.incoming;
      return { ok: true as const, ready: { kind: 'record' as const, incoming, payload: item.received.payload, now } };
    });
    const ready = readings.flatMap((reading) => (reading.ok ? [reading.ready] : []));
    const committed = ready.length > 0 ? commit(ready) : [];
    let next = 0;
    return readings.map((reading): InboxWorkResult => {
      if (reading.ok) return committed[next++] ?? { ok: false, error: 'no outcome recorded' };
      return { ok: true, answer: { status: 'malformed', problem: reading.problem } };
    });
  };
}

const factRows = (routing: RoutingFacts): { kind: string; value: string }[] => [
  ...routing.triggerIds.map((value) => ({ kind: 'trigger', value })),
  ...routing.automationIds.map((value) => ({ kind: 'automation', value })),
  ...routing.reasons.map((value) => ({ kind: 'reason', value })),
];

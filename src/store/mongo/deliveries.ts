import { randomUUID } from 'node:crypto';
import type { UpdateFilter } from 'mongodb';
import type { AuditDraft, IdentifiedDraft } from '../../domain/audit/index.js';
import type { Wake } from '../../domain/entities.js';
import { recordedDecisionsOf, routingFactsOf } from '../../domain/reason-classes.js';
import type { Logger } from '../../telemetry/logger.js';
import { DELIVERY, STORED_WAKE, WAKE } from '../codec.js';
import type { DeliveryQuery, DeliveryStore } from '../ports/deliveries.js';
import type { AppendIdentified } from './audit.js';
import { allOf, docOf, oneOf, type Collections, type Doc } from './collections.js';
import { MAX_PENDING_CHARS } from './copy-out.js';
import { mongoDeliveryInbox } from './delivery-inbox.js';
import { insertNumbered } from './sequence.js';

// A claim is one findOneAndUpdate on a delivery's state and lease, so two replicas never hold
// it at once, and a dead replica's lease expires and is taken over. Finishing changes the
// state only under the lease, and the delivery's wakes and audit drafts travel in that same
// single-document update (`pending`), copied out right after (the copy-out protocol of
// copy-out.ts, on the delivery document itself): record ids are fixed in advance, so copying
// again adds nothing twice. A replica that dies in between leaves them there; any replica
// copies them out once `pendingUntil` has passed, and until then the delivery is not claimed
// again, so a later attempt cannot replace what is waiting.

interface Pending {
  wakes: Wake[];
  audit: IdentifiedDraft[];
}

export interface MongoDeliveryOptions {
  /** How long a finisher has to copy its wakes and audit out before another process may. */
  finishHoldMs: number;
  logger: Logger;
  /** Other copy-outs a claim recovers (copy-out.ts), after the delivery's own. */
  recoverOthers: (now: string) => Promise<void>;
}

export function mongoDeliveries(
  c: Collections,
  appendIdentified: AppendIdentified,
  options: MongoDeliveryOptions,
): DeliveryStore {
  const { finishHoldMs, logger } = options;
  // Its id makes a wake idempotent: the same delivery never wakes a trigger twice.
  const insertWakes = async (wakes: readonly Wake[]): Promise<void> => {
    for (const wake of wakes) await insertNumbered(c, 'wakes', { ...docOf(WAKE, wake), _id: wake.id });
  };

  const flushPending = async (id: string): Promise<void> => {
    const doc = await c.deliveries.findOne({ _id: id }, { projection: { pending: 1 } });
    if (typeof doc?.pending !== 'string') return;
    const pending = JSON.parse(doc.pending) as Pending;
    await insertWakes(pending.wakes);
    await appendIdentified(pending.audit);
    // Only the copy-out that was read: a newer one (a later attempt's) stays for its own copy.
    await c.deliveries.updateOne({ _id: id, pending: doc.pending }, { $set: { pending: null, pendingUntil: null } });
  };

  /** Takes over the copying of one delivery whose finisher died (see flushPending). */
  const recoverPending = async (now: string): Promise<void> => {
    const orphan = await c.deliveries.findOneAndUpdate(
      { pending: { $type: 'string' }, pendingUntil: { $lte: now } },
      { $set: { pendingUntil: new Date(Date.parse(now) + finishHoldMs).toISOString() } },
    );
    if (orphan !== null) await flushPending(orphan._id as string);
  };

  const endDelivery = async (
    id: string,
    workerId: string,
    set: Doc,
    audit: readonly AuditDraft[],
    wakes: readonly Wake[],
  ) => {
    const claimed = { _id: id, state: 'processing', leaseOwner: workerId };
    const ended = { ...set, leaseOwner: null, leaseUntil: null };
    const pending: Pending = { wakes: [...wakes], audit: audit.map((draft) => ({ id: randomUUID(), draft })) };
    const carried = JSON.stringify(pending);
    if (carried.length > MAX_PENDING_CHARS) {
      // Too large to travel in the document (BSON caps it at 16 MB), e.g. an installation deleted
      // with tens of thousands of rows: written in order instead, without that atomicity.
      if ((await c.deliveries.updateOne(claimed, { $set: ended })).modifiedCount === 0) return false;
      await insertWakes(pending.wakes);
      await appendIdentified(pending.audit);
      return true;
    }
    const pendingUntil = new Date(Date.now() + finishHoldMs).toISOString();
    const result = await c.deliveries.updateOne(claimed, { $set: { ...ended, pending: carried, pendingUntil } });
    if (result.modifiedCount === 0) return false;
    // The delivery is finished: if copying out fails here, recoverPending does it after the hold,
    // so the failure must not make the worker treat an applied delivery as a failed step.
    await flushPending(id).catch((error: unknown) =>
      logger.error({ err: error, deliveryId: id }, 'copying out a finished delivery failed; left for recovery'),
    );
    return true;
  };

  return {
    ...mongoDeliveryInbox(c),
    async claimNextDelivery(claim) {
      await recoverPending(claim.now);
      await options.recoverOthers(claim.now);
      const underClaim = await c.deliveries.distinct('installationId', {
        state: 'processing',
        leaseUntil: { $gt: claim.now },
        installationId: { $ne: null },
      });
      const doc = await c.deliveries.findOneAndUpdate(
        {
          // Not while an earlier attempt's copy-out is pending: a new finish would replace it.
          pending: null,
          // One at a time per installation ($nin also matches deliveries without one).
          ...(underClaim.length > 0 ? { installationId: { $nin: underClaim } } : {}),
          $or: [
            { state: 'received' },
            { state: 'failed', nextAttemptAt: { $ne: null, $lte: claim.now } },
            { state: 'processing', leaseUntil: { $lte: claim.now } },
          ],
        },
        // The driver's types reject $inc next to an index signature; the update itself is plain.
        {
          $set: { state: 'processing', leaseOwner: claim.workerId, leaseUntil: claim.leaseUntil },
          $inc: { attempts: 1 },
        } as unknown as UpdateFilter<Doc>,
        { sort: { seq: 1 }, returnDocument: 'after' },
      );
      return oneOf(DELIVERY, doc);
    },
    async nextRetryAt() {
      const [doc] = await c.deliveries
        .find({ state: 'failed', nextAttemptAt: { $ne: null } }, { projection: { nextAttemptAt: 1 } })
        .sort({ nextAttemptAt: 1 })
        .limit(1)
        .toArray();
      return (doc?.nextAttemptAt as string | undefined) ?? null;
    },
    async finishDelivery(id, workerId, finish) {
      const routing = routingFactsOf(finish.routingOutcome ?? null, recordedDecisionsOf(finish.audit));
      const set = {
        state: finish.state,
        reason: finish.reason,
        processedAt: finish.processedAt,
        nextAttemptAt: null,
        routingOutcome: finish.routingOutcome ?? null,
        routingReasons: routing === null ? null : JSON.stringify(routing.reasons),
        // Arrays of plain values for the search filters (indexes.ts): a multikey index each.
        reasonCodes: routing?.reasons ?? [],
        candidateTriggerIds: routing?.triggerIds ?? [],
        candidateAutomationIds: routing?.automationIds ?? [],
        problem: routing?.problem === true,
      };
      return endDelivery(id, workerId, set, finish.audit, finish.wakes ?? []);
    },
    async failDelivery(id, workerId, failure) {
      const set = {
        state: 'failed',
        error: failure.error,
        processedAt: failure.processedAt,
        nextAttemptAt: failure.nextAttemptAt,
      };
      return endDelivery(id, workerId, set, failure.audit, []);
    },
    async getDelivery(id) {
      return oneOf(DELIVERY, await c.deliveries.findOne({ _id: id }));
    },
    async getDeliveriesByIds(ids) {
      return allOf(DELIVERY, await c.deliveries.find({ _id: { $in: [...ids] } }).toArray());
    },
    async listDeliveries(query: DeliveryQuery) {
      return allOf(
        DELIVERY,
        await c.deliveries.find(deliverySearchFilter(query)).sort({ seq: -1 }).limit(query.limit).toArray(),
      );
    },
    async inboxBacklog() {
      const pending = {
        $or: [{ state: { $in: ['received', 'processing'] } }, { state: 'failed', nextAttemptAt: { $ne: null } }],
      };
      const [oldest] = await c.deliveries
        .find(pending, { projection: { receivedAt: 1 } })
        .sort({ seq: 1 })
        .limit(1)
        .toArray();
      return {
        pending: await c.deliveries.countDocuments(pending),
        oldestReceivedAt: (oldest?.receivedAt as string | undefined) ?? null,
      };
    },
    async listWakes(query) {
      const filter = query.afterSeq === undefined ? {} : { seq: { $gt: query.afterSeq } };
      return allOf(STORED_WAKE, await c.wakes.find(filter).sort({ seq: 1 }).limit(query.limit).toArray());
    },
  };
}

/** A search as a filter of typed values only (never a client's object), newest first by the caller. */
export function deliverySearchFilter(query: DeliveryQuery): Doc {
  const filter: Doc = {};
  if (query.beforeSeq !== undefined) filter.seq = { $lt: query.beforeSeq };
  if (query.deliveryId !== undefined) filter._id = query.deliveryId;
  if (query.state !== undefined) filter.state = query.state;
  if (query.repoIds !== undefined) filter.repoId = { $in: [...query.repoIds] };
  if (query.installationIds !== undefined) filter.installationId = { $in: [...query.installationIds] };
  if (query.event !== undefined) filter.event = query.event;
  if (query.action !== undefined) filter.action = query.action;
  if (query.triggerId !== undefined) filter.candidateTriggerIds = query.triggerId;
  if (query.automationId !== undefined) filter.candidateAutomationIds = query.automationId;
  if (query.reason !== undefined) filter.reasonCodes = query.reason;
  if (query.receivedSince !== undefined || query.receivedUntil !== undefined)
    filter.receivedAt = {
      ...(query.receivedSince !== undefined ? { $gte: query.receivedSince } : {}),
      ...(query.receivedUntil !== undefined ? { $lt: query.receivedUntil } : {}),
    };
  if (query.problemsOnly === true) filter.problem = true;
  if (query.routingOutcomes !== undefined) filter.routingOutcome = { $in: [...query.routingOutcomes] };
  return filter;
}

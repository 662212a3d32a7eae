import type { UpdateFilter } from 'mongodb';
import { ATTEMPT_LOG_LIMIT, newlyRegistered } from '../../domain/wake-push.js';
import { ENDPOINT, WAKE_SEND } from '../codec.js';
import type { WakePushStore } from '../ports/wake-push.js';
import { allOf, docOf, isDuplicateKey, oneOf, upsertOnce, type Collections, type Doc } from './collections.js';
import { LIVE, withCarried, type CopyOut } from './copy-out.js';

// A claim is one findOneAndUpdate on the send's state and lease, so two replicas never attempt
// one send at once; an endpoint's health is changed by atomic operators, so concurrent senders'
// results all count. An endpoint write carries its audit (copy-out.ts). The driver's types
// reject $inc next to an index signature; the updates themselves are plain.

const HEALTH_FIELDS = ['queuedThroughSeq', 'consecutiveFailures', 'pausedUntil', 'lastFailure', 'lastSuccessAt'];

export function mongoWakePush(c: Collections, copyOut: CopyOut): WakePushStore {
  const dueFilter = (now: string): Doc => ({
    $or: [
      { state: 'pending', nextAttemptAt: { $lte: now } },
      { state: 'sending', leaseUntil: { $lte: now } },
    ],
  });
  return {
    async putEndpoint(endpoint, startAfterSeq, audit) {
      const existed = (await c.endpoints.countDocuments({ _id: endpoint.id, ...LIVE })) > 0;
      const registration = docOf(ENDPOINT, newlyRegistered(endpoint, startAfterSeq));
      const { _id: _id, ...fields } = registration;
      const set = Object.fromEntries(Object.entries(fields).filter(([name]) => !HEALTH_FIELDS.includes(name)));
      const health = Object.fromEntries(Object.entries(fields).filter(([name]) => HEALTH_FIELDS.includes(name)));
      const { update } = copyOut.carry(audit);
      const write = withCarried({ ...set, deleted: false }, update);
      await upsertOnce(() =>
        c.endpoints.updateOne({ _id: endpoint.id }, { ...write, $setOnInsert: health } as UpdateFilter<Doc>, {
          upsert: true,
        }),
      );
      if (audit.length > 0) await copyOut.flush(c.endpoints, { _id: endpoint.id });
      return existed ? 'updated' : 'created';
    },
    async getEndpoint(id) {
      return oneOf(ENDPOINT, await c.endpoints.findOne({ _id: id, ...LIVE }));
    },
    async listEndpoints() {
      return allOf(ENDPOINT, await c.endpoints.find(LIVE).sort({ _id: 1 }).toArray());
    },
    async deleteEndpoint(id, audit) {
      const removed = await copyOut.remove(c.endpoints, { _id: id }, audit);
      if (removed) await c.wakeSends.deleteMany({ endpointId: id });
      return removed;
    },
    async queueSends(endpointId, fromSeq, throughSeq, sends) {
      for (const send of sends) {
        try {
          await c.wakeSends.insertOne({
            ...docOf(WAKE_SEND, {
              ...send,
              state: 'pending',
              attempts: 0,
              nextAttemptAt: send.createdAt,
              attemptLog: [],
              finishedAt: null,
            }),
            leaseOwner: null,
            leaseUntil: null,
          });
        } catch (error) {
          // Queued already, by this process before a crash or by another replica.
          if (!isDuplicateKey(error)) throw error;
        }
      }
      const moved = await c.endpoints.updateOne(
        { _id: endpointId, queuedThroughSeq: fromSeq, ...LIVE },
        { $set: { queuedThroughSeq: throughSeq } },
      );
      return moved.modifiedCount > 0;
    },
    async claimSend(claim) {
      const blocked = await c.endpoints
        .find(
          { $or: [{ enabled: false }, { deleted: true }, { pausedUntil: { $gt: claim.now } }] },
          { projection: { _id: 1 } },
        )
        .toArray();
      const claimed = await c.wakeSends.findOneAndUpdate(
        { ...dueFilter(claim.now), endpointId: { $nin: blocked.map((e) => e._id) } },
        { $set: { state: 'sending', leaseOwner: claim.workerId, leaseUntil: claim.leaseUntil } },
        { sort: { nextAttemptAt: 1 }, returnDocument: 'after' },
      );
      return oneOf(WAKE_SEND, claimed);
    },
    async finishSend(id, workerId, now, finish) {
      const current = await c.wakeSends.findOne({ _id: id, state: 'sending', leaseOwner: workerId });
      if (current === null) return false;
      const log = [...(JSON.parse(String(current.attemptLog)) as unknown[]), finish.attempt].slice(-ATTEMPT_LOG_LIMIT);
      const ended = await c.wakeSends.updateOne({ _id: id, state: 'sending', leaseOwner: workerId }, {
        $set: {
          state: finish.state,
          nextAttemptAt: finish.nextAttemptAt,
          attemptLog: JSON.stringify(log),
          finishedAt: finish.state === 'pending' ? null : now,
          leaseOwner: null,
          leaseUntil: null,
        },
        $inc: { attempts: 1 },
      } as unknown as UpdateFilter<Doc>);
      if (ended.modifiedCount === 0) return false;
      const endpointId = String(current.endpointId);
      if (finish.state === 'delivered') {
        await c.endpoints.updateOne(
          { _id: endpointId },
          { $set: { consecutiveFailures: 0, pausedUntil: null, lastSuccessAt: now } },
        );
        return true;
      }
      const failure = `${finish.attempt.at}: ${finish.attempt.error ?? `HTTP ${finish.attempt.status}`}`;
      const counted = await c.endpoints.findOneAndUpdate(
        { _id: endpointId },
        { $inc: { consecutiveFailures: 1 }, $set: { lastFailure: failure } } as unknown as UpdateFilter<Doc>,
        { returnDocument: 'after' },
      );
      if (counted !== null && Number(counted.consecutiveFailures) >= finish.pauseAfterFailures)
        await c.endpoints.updateOne(
          { _id: endpointId, $or: [{ pausedUntil: null }, { pausedUntil: { $lte: now } }] },
          { $set: { pausedUntil: finish.pauseUntil } },
        );
      return true;
    },
    async listSends(query) {
      const filter: Doc = { endpointId: query.endpointId };
      if (query.states !== undefined) filter.state = { $in: [...query.states] };
      if (query.beforeSeq !== undefined) filter.seq = { $lt: query.beforeSeq };
      return allOf(WAKE_SEND, await c.wakeSends.find(filter).sort({ seq: -1 }).limit(query.limit).toArray());
    },
    async requeueSends(endpointId, which, now) {
      const filter: Doc =
        'sendId' in which
          ? { _id: which.sendId, endpointId, state: 'given_up' }
          : { endpointId, state: 'given_up', finishedAt: { $gte: which.givenUpSince } };
      const { modifiedCount } = await c.wakeSends.updateMany(filter, {
        $set: { state: 'pending', nextAttemptAt: now, finishedAt: null },
      });
      return modifiedCount;
    },
    async sendBacklog() {
      const groups = await c.wakeSends
        .aggregate<{ _id: string; pending: number; oldest: string | null }>([
          { $match: { state: { $in: ['pending', 'sending'] } } },
          { $group: { _id: '$endpointId', pending: { $sum: 1 }, oldest: { $min: '$createdAt' } } },
        ])
        .toArray();
      return groups
        .map((g) => ({ endpointId: String(g._id), pending: g.pending, oldestPendingAt: g.oldest ?? null }))
        .sort((a, b) => a.endpointId.localeCompare(b.endpointId));
    },
    async nextSendAt() {
      const [next] = await c.wakeSends
        .find({ state: 'pending' }, { projection: { nextAttemptAt: 1 } })
        .sort({ nextAttemptAt: 1 })
        .limit(1)
        .toArray();
      return (next?.nextAttemptAt as string | undefined) ?? null;
    },
  };
}

import type { LeaseStore } from '../ports/leases.js';
import { isDuplicateKey, type Collections } from './collections.js';

// A lease keeps when the database last renewed it (`$currentDate`) and for how long; it has run
// out when that sum is at or before the database's `$$NOW`. No replica's clock takes part, so
// replicas whose clocks disagree still agree on who leads. (A pipeline update could compute the
// end in one field; the wire server used in CI refuses those, while `$expr` filters work on both.)
const until = { $add: ['$renewedAt', '$durationMs'] };

export function mongoLeases(c: Collections): LeaseStore {
  return {
    async acquireLease(name, holder, durationMs) {
      try {
        const result = await c.leases.updateOne(
          { _id: name, $or: [{ holder }, { $expr: { $lte: [until, '$$NOW'] } }] },
          { $set: { holder, durationMs }, $currentDate: { renewedAt: true } },
          { upsert: true },
        );
        return result.matchedCount + result.upsertedCount > 0;
      } catch (error) {
        // The filter missed because another holder's lease is current, so the upsert tried to
        // insert a second document with its name; the same happens to the loser of two first takes.
        if (isDuplicateKey(error)) return false;
        throw error;
      }
    },
    async releaseLease(name, holder) {
      return (await c.leases.deleteOne({ _id: name, holder })).deletedCount > 0;
    },
    async getLease(name) {
      const [doc] = await c.leases
        .aggregate<{ holder: string; until: Date }>([{ $match: { _id: name } }, { $project: { holder: 1, until } }])
        .toArray();
      return doc === undefined ? null : { name, holder: doc.holder, until: doc.until.toISOString() };
    },
  };
}

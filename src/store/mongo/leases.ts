import type { LeaseStore } from '../ports/leases.js';
import { isDuplicateKey, type Collections } from './collections.js';

export function mongoLeases(c: Collections): LeaseStore {
  return {
    async acquireLease(name, holder, now, until) {
      try {
        const result = await c.leases.updateOne(
          { _id: name, $or: [{ holder }, { until: { $lte: now } }] },
          { $set: { holder, until } },
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
      const doc = await c.leases.findOne({ _id: name });
      return doc === null ? null : { name, holder: doc.holder as string, until: doc.until as string };
    },
  };
}

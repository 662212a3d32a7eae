import type { WakeOutboxStore } from '../ports/wakes.js';
import type { Collections } from './collections.js';

async function seqAtEnd(c: Collections, direction: 1 | -1): Promise<number | null> {
  const [doc] = await c.wakes
    .find({}, { projection: { seq: 1 } })
    .sort({ seq: direction })
    .limit(1)
    .toArray();
  return doc === undefined ? null : Number(doc.seq);
}

export function mongoWakeOutbox(c: Collections): WakeOutboxStore {
  return {
    async wakeBounds() {
      return { oldestSeq: await seqAtEnd(c, 1), headSeq: (await seqAtEnd(c, -1)) ?? 0 };
    },
    async pruneWakes(before) {
      const headSeq = await seqAtEnd(c, -1);
      if (headSeq === null) return 0;
      // In seq order from the oldest end (the seq index), so it reads only what is pruned and one more.
      const [kept] = await c.wakes
        .find({ createdAt: { $gte: before } }, { projection: { seq: 1 } })
        .sort({ seq: 1 })
        .limit(1)
        .toArray();
      const keepFrom = Math.min(kept === undefined ? headSeq : Number(kept.seq), headSeq);
      const { deletedCount } = await c.wakes.deleteMany({ seq: { $lt: keepFrom } });
      return deletedCount;
    },
  };
}

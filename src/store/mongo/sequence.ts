import type { Collections, Doc } from './collections.js';
import { isDuplicateKey } from './collections.js';

export const SEQ_CONFLICT_RETRIES = 100;

type Numbered = 'deliveries' | 'wakes';

/**
 * The number after the highest one present. Taken this way (and not from a counter), a number
 * becomes visible only after every lower one, so a reader's cursor never skips one that
 * commits late; two writers that read the same head collide on the unique index and retry.
 */
async function nextSeq(c: Collections, collection: Numbered): Promise<number> {
  const [head] = await c[collection]
    .find({}, { projection: { seq: 1 } })
    .sort({ seq: -1 })
    .limit(1)
    .toArray();
  return Number(head?.seq ?? 0) + 1;
}

/**
 * Inserts a document under the next number of a collection. A duplicate _id means it is there
 * already (null); a duplicate seq means another writer got that number too, so take the next.
 */
export async function insertNumbered(
  c: Collections,
  collection: Numbered,
  doc: Doc & { _id: string },
): Promise<number | null> {
  for (let attempt = 0; ; attempt++) {
    const seq = await nextSeq(c, collection);
    try {
      await c[collection].insertOne({ ...doc, seq });
      return seq;
    } catch (error) {
      if (!isDuplicateKey(error) || attempt >= SEQ_CONFLICT_RETRIES) throw error;
      if ((await c[collection].countDocuments({ _id: doc._id })) > 0) return null;
    }
  }
}

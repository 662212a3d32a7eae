import { randomUUID } from 'node:crypto';
import type { Collection, UpdateFilter } from 'mongodb';
import type { AuditDraft, IdentifiedDraft } from '../../domain/audit/index.js';
import type { Logger } from '../../telemetry/logger.js';
import type { AppendIdentified } from './audit.js';
import type { Doc } from './collections.js';

// The copy-out (outbox) protocol: how a write and its audit records are kept together without
// multi-document transactions, on a standalone server and on a replica set alike
// (docs/mongodb.md, "One write protocol").
//
// 1. The state change and its audit drafts, with record ids fixed in advance, are one
//    single-document update (MongoDB applies one document's update atomically): the drafts
//    wait on the written document in `pendingAudit`, until `pendingUntil`.
// 2. They are copied out into the chain; a record id already there is not added again, so a
//    copy that is repeated, or done by two processes at once, adds nothing twice.
// 3. What was copied is removed from the document (only those entries: a later write's stay).
// A process that dies between 1 and 3 leaves the drafts on the document: the next write to the
// same document copies them out with its own, and any process copies out what is left once
// `pendingUntil` has passed (`recover`, run by the worker's claims).
//
// A deletion is a state change too: the document is marked deleted (and reads skip it) with its
// audit waiting on it, and removed once that audit is copied out.

/** A copy-out larger than this does not travel in the document (BSON caps one at 16 MB). */
export const MAX_PENDING_CHARS = 8 * 1024 * 1024;

/** Not marked deleted (a deletion whose audit is still being copied out). */
export const LIVE: Doc = { deleted: { $ne: true } };

/** Audit drafts ready to travel with a write: as an update, or as fields of a new document. */
export interface Carried {
  /** Merged into the write's update with withCarried ({} for no drafts). */
  update: Doc;
  /** The same for a document inserted whole. */
  fields: Doc;
  /** The drafts as they travel (null for none). */
  entry: string | null;
}

export interface CopyOut {
  carry(drafts: readonly AuditDraft[]): Carried;
  /**
   * Marks a live document deleted, with its drafts (reads skip it from then on), and removes it
   * once they are copied out; false when there was no live document.
   */
  remove(collection: Collection<Doc>, filter: Doc, drafts: readonly AuditDraft[]): Promise<boolean>;
  /** Steps 2 and 3 for one document; logs (and leaves for recovery) what it could not copy. */
  flush(collection: Collection<Doc>, filter: Doc): Promise<void>;
  /** Takes over, for each collection, one document whose writer died before copying out. */
  recover(collections: readonly Collection<Doc>[], now: string): Promise<void>;
}

export function copyOutProtocol(appendIdentified: AppendIdentified, holdMs: number, logger: Logger): CopyOut {
  const copy = async (collection: Collection<Doc>, filter: Doc): Promise<void> => {
    const doc = await collection.findOne(filter, { projection: { pendingAudit: 1, deleted: 1 } });
    const entries = Array.isArray(doc?.pendingAudit) ? (doc.pendingAudit as string[]) : [];
    if (doc === null || (entries.length === 0 && doc.deleted !== true)) return;
    for (const entry of entries) await appendIdentified(JSON.parse(entry) as IdentifiedDraft[]);
    const copied = { $pullAll: { pendingAudit: entries } } as unknown as UpdateFilter<Doc>;
    await collection.updateOne({ _id: doc._id }, copied);
    // Nothing left waiting: out of the recovery index (a later write's entry keeps its hold).
    await collection.updateOne({ _id: doc._id, pendingAudit: [] }, { $set: { pendingUntil: null } });
    // A deletion is complete once its audit is out; a document written again since is not deleted.
    if (doc.deleted === true) await collection.deleteOne({ _id: doc._id, deleted: true, pendingAudit: [] });
  };

  const flush = async (collection: Collection<Doc>, filter: Doc): Promise<void> => {
    try {
      await copy(collection, filter);
    } catch (error) {
      // The write itself is done; recover() copies the rest out once the hold has passed.
      logger.error({ err: error, collection: collection.collectionName }, 'audit copy-out failed; left for recovery');
    }
  };

  const carry = (drafts: readonly AuditDraft[]): Carried => {
    if (drafts.length === 0) return { update: {}, fields: {}, entry: null };
    const entry = JSON.stringify(drafts.map((draft) => ({ id: randomUUID(), draft })));
    const pendingUntil = new Date(Date.now() + holdMs).toISOString();
    return {
      update: { $push: { pendingAudit: entry }, $set: { pendingUntil } },
      fields: { pendingAudit: [entry], pendingUntil },
      entry,
    };
  };

  return {
    carry,
    async remove(collection, filter, drafts) {
      const carried = carry(drafts);
      // A hold even without drafts: a deletion whose last step is lost is finished by recovery.
      const set = { deleted: true, pendingUntil: new Date(Date.now() + holdMs).toISOString() };
      const marked = await collection.updateOne({ ...filter, ...LIVE }, withCarried(set, carried.update));
      if (marked.modifiedCount === 0) return false;
      await flush(collection, filter);
      return true;
    },
    flush,
    async recover(collections, now) {
      for (const collection of collections) {
        const orphan = await collection.findOneAndUpdate(
          { pendingUntil: { $lte: now } },
          { $set: { pendingUntil: new Date(Date.parse(now) + holdMs).toISOString() } },
        );
        if (orphan !== null) await flush(collection, { _id: orphan._id });
      }
    },
  };
}

/** `$set` fields merged with the update that carries audit drafts. */
export function withCarried(set: Doc, carried: Doc): UpdateFilter<Doc> {
  const carriedSet = (carried.$set as Doc | undefined) ?? {};
  return { ...carried, $set: { ...set, ...carriedSet } } as UpdateFilter<Doc>;
}

import { randomUUID } from 'node:crypto';
import {
  auditSearchKeys,
  planPrune,
  sealChain,
  type AuditRecord,
  type IdentifiedDraft,
  type SignedCheckpoint,
  type StoredAuditRecord,
} from '../../domain/audit/index.js';
import { AUDIT_CHECKPOINT, AUDIT_RECORD } from '../codec.js';
import type { AuditQuery, AuditStore } from '../ports/audit.js';
import { allOf, docOf, isDuplicateKey, oneOf, type Collections, type Doc } from './collections.js';
import { SEQ_CONFLICT_RETRIES } from './sequence.js';

function auditDoc(record: AuditRecord): Doc {
  const keys = auditSearchKeys(record);
  return {
    ...docOf(AUDIT_RECORD, record),
    // Search keys, taken from the subject; GitHub compares owner/name without case, and the
    // wire server used in CI ignores collations.
    userId: keys.userId,
    repoId: keys.repoId,
    repoFullNameLower: keys.repoFullName?.toLowerCase() ?? null,
    installationId: keys.installationId,
  };
}

const nullable = <T>(value: unknown): T | null => (value ?? null) as T | null;

const storedOf = (doc: Doc): StoredAuditRecord => ({
  record: allOf(AUDIT_RECORD, [doc])[0] as AuditRecord,
  searchKeys: {
    userId: nullable<string>(doc.userId),
    repoId: nullable<number>(doc.repoId),
    repoFullName: nullable<string>(doc.repoFullNameLower),
    installationId: nullable<number>(doc.installationId),
  },
});

/** Appends drafts whose record ids are fixed; an id already in the chain is not added again. */
export type AppendIdentified = (drafts: readonly IdentifiedDraft[]) => Promise<AuditRecord[]>;

export function mongoAudit(c: Collections): { store: AuditStore; appendIdentified: AppendIdentified } {
  const checkpointNow = async () => oneOf(AUDIT_CHECKPOINT, await c.checkpoint.findOne({ _id: 1 }));

  const auditHead = async (): Promise<{ seq: number; hash: string | null }> => {
    const [last] = await c.audit
      .find({}, { projection: { seq: 1, hash: 1 } })
      .sort({ seq: -1 })
      .limit(1)
      .toArray();
    if (last !== undefined) return { seq: Number(last.seq), hash: last.hash as string };
    const checkpoint = await checkpointNow();
    return checkpoint ? { seq: checkpoint.seq, hash: checkpoint.hash } : { seq: 0, hash: null };
  };

  // The chain stays linear because `seq` is unique: a writer seals records after the newest one
  // and inserts them; if another writer took that seq first, the insert fails with a duplicate
  // key and the writer re-reads the head and seals again.
  const appendIdentified: AppendIdentified = async (drafts) => {
    const present = new Set(
      drafts.length === 0
        ? []
        : (await c.audit.find({ _id: { $in: drafts.map((d) => d.id) } }, { projection: { _id: 1 } }).toArray()).map(
            (found) => found._id,
          ),
    );
    const written: AuditRecord[] = [];
    let pending = drafts.filter((d) => !present.has(d.id));
    for (let attempt = 0; pending.length > 0; attempt++) {
      const sealed = sealChain(pending, await auditHead(), new Date().toISOString());
      try {
        await c.audit.insertMany(sealed.map(auditDoc), { ordered: true });
        written.push(...sealed);
        pending = [];
      } catch (error) {
        // Another writer took a sequence number (or copied the same records out): keep what is
        // there (a valid extension of the chain), re-read the head and seal the rest after it.
        if (!isDuplicateKey(error) || attempt >= SEQ_CONFLICT_RETRIES) throw error;
        const inserted = await c.audit.countDocuments({ _id: { $in: sealed.map((r) => r.id) } });
        written.push(...sealed.slice(0, inserted));
        pending = pending.slice(inserted);
      }
    }
    return written;
  };

  const link = (doc: Doc | undefined) =>
    doc === undefined ? null : { seq: Number(doc.seq), prevHash: (doc.prevHash as string | null) ?? null };
  const first = async (filter: Doc, direction: 1 | -1) =>
    link(
      (
        await c.audit
          .find(filter, { projection: { seq: 1, prevHash: 1 } })
          .sort({ seq: direction })
          .limit(1)
          .toArray()
      )[0],
    );

  const signed = (doc: Doc | null | undefined): SignedCheckpoint | null =>
    doc === null || doc === undefined ? null : (JSON.parse(doc.body as string) as SignedCheckpoint);
  const signedFirst = async (filter: Doc, sort: Record<string, 1 | -1>) =>
    signed((await c.signedCheckpoints.find(filter).sort(sort).limit(1).toArray())[0]);

  const store: AuditStore = {
    async appendAudit(drafts) {
      return appendIdentified(drafts.map((draft) => ({ id: randomUUID(), draft })));
    },
    async listAudit(query: AuditQuery) {
      const filter: Doc = {};
      const seq: Doc = {};
      if (query.afterSeq !== undefined) seq.$gt = query.afterSeq;
      if (query.beforeSeq !== undefined) seq.$lt = query.beforeSeq;
      if (Object.keys(seq).length > 0) filter.seq = seq;
      if (query.deliveryId !== undefined) filter.deliveryId = query.deliveryId;
      if (query.traceId !== undefined) filter.traceId = query.traceId;
      if (query.userId !== undefined) filter.userId = query.userId;
      if (query.installationId !== undefined) filter.installationId = query.installationId;
      if (query.kind !== undefined) filter.kind = query.kind;
      if (query.since !== undefined) filter.occurredAt = { $gte: query.since };
      if (query.repo !== undefined) {
        const about: Doc[] = [{ repoId: { $in: [...query.repo.ids] } }];
        if (query.repo.fullName !== undefined) about.push({ repoFullNameLower: query.repo.fullName.toLowerCase() });
        filter.$or = about;
      }
      const order = query.order === 'newest' ? -1 : 1;
      return allOf(AUDIT_RECORD, await c.audit.find(filter).sort({ seq: order }).limit(query.limit).toArray());
    },
    async listStoredAudit(afterSeq, limit) {
      return (
        await c.audit
          .find({ seq: { $gt: afterSeq } })
          .sort({ seq: 1 })
          .limit(limit)
          .toArray()
      ).map(storedOf);
    },
    async appendSignedCheckpoint(checkpoint) {
      // Kept whole as the signed JSON; _id is its number and seq is unique, so of two replicas
      // writing the same checkpoint one keeps it and the other learns it was late.
      try {
        await c.signedCheckpoints.insertOne({
          _id: checkpoint.number,
          seq: checkpoint.seq,
          body: JSON.stringify(checkpoint),
        });
        return true;
      } catch (error) {
        if (isDuplicateKey(error)) return false;
        throw error;
      }
    },
    lastSignedCheckpoint: () => signedFirst({}, { _id: -1 }),
    signedCheckpointCovering: (seq) => signedFirst({ seq: { $gte: seq } }, { seq: 1 }),
    signedCheckpointNumbered: async (number) => signed(await c.signedCheckpoints.findOne({ _id: number })),
    async countAuditByReason(kind) {
      const groups = await c.audit
        .aggregate<{ _id: string | null; n: number }>([
          { $match: { kind } },
          { $group: { _id: '$reason', n: { $sum: 1 } } },
        ])
        .toArray();
      return Object.fromEntries(groups.map((g) => [g._id ?? '', g.n]));
    },
    auditCheckpoint: checkpointNow,
    async pruneAudit(recordedBefore, prunedAt) {
      const plan = planPrune({
        firstKept: await first({ recordedAt: { $gte: recordedBefore } }, 1),
        newest: await first({}, -1),
        previous: await checkpointNow(),
        prunedAt,
      });
      if (plan.kind === 'keep') return { pruned: 0, checkpoint: plan.checkpoint };
      // The checkpoint first (a crash before the delete leaves records that verification skips),
      // and only forwards: another replica's prune may have moved it further already.
      try {
        await c.checkpoint.updateOne(
          { _id: 1, seq: { $lt: plan.checkpoint.seq } },
          { $set: { ...plan.checkpoint } },
          { upsert: true },
        );
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
      const deleted = (await c.audit.deleteMany({ seq: { $lt: plan.keepFrom } })).deletedCount;
      return { pruned: deleted, checkpoint: (await checkpointNow()) ?? plan.checkpoint };
    },
  };
  return { store, appendIdentified };
}

import {
  checkpointProblem,
  signedHashOf,
  verifyChainSegment,
  type AuditCheckpoint,
  type ChainVerdict,
  type CheckpointKeys,
  type SignedCheckpoint,
} from '../domain/audit/index.js';
import type { Store } from '../store/store.js';
import { currentTraceId } from './tracing.js';

// Keeping the audit trail tamper-evident over time: verification walks the hash chain page by
// page (bounded memory), checks each record against the signed checkpoint that covers it, and
// pruning removes only a prefix of it behind a checkpoint, so what remains still verifies.

const VERIFY_PAGE = 1000;

/** Where signed checkpoints are read from: the store, or a file exported from it (the CLI). */
export interface CheckpointSource {
  covering(seq: number): Promise<SignedCheckpoint | null>;
  numbered(number: number): Promise<SignedCheckpoint | null>;
  last(): Promise<SignedCheckpoint | null>;
}

export const storeCheckpoints = (store: Store): CheckpointSource => ({
  covering: (seq) => store.signedCheckpointCovering(seq),
  numbered: (number) => store.signedCheckpointNumbered(number),
  last: () => store.lastSignedCheckpoint(),
});

/** The signed checkpoints to verify against, and the public keys their signatures must verify with. */
export interface SignedCheckpointCheck {
  source: CheckpointSource;
  keys: CheckpointKeys;
}

export interface VerifiedCheckpoint {
  number: number;
  seq: number;
  signedAt: string;
  keyId: string;
}

export interface AuditVerification {
  ok: boolean;
  checked: number;
  firstSeq: number | null;
  lastSeq: number | null;
  checkpoint: AuditCheckpoint | null;
  broken: Exclude<ChainVerdict, { ok: true }> | null;
  /** The newest signed checkpoint whose records all matched; null when none was (or none is kept). */
  signedCheckpoint: VerifiedCheckpoint | null;
  /** False when no signing keys are configured: only the hash chain was checked. */
  signedCheckpointsChecked: boolean;
}

export async function verifyAuditTrail(
  store: Store,
  signed: SignedCheckpointCheck | null = null,
): Promise<AuditVerification> {
  for (let attempt = 0; ; attempt++) {
    const checkpoint = await store.auditCheckpoint();
    const result = await verifyFrom(store, checkpoint, signed);
    // Another replica pruned while this walk began: the records it removed look missing. Start
    // again from the new checkpoint rather than report a tampered chain that is intact.
    const moved = result.broken !== null && (await store.auditCheckpoint())?.seq !== checkpoint?.seq;
    if (!moved || attempt >= 3) return result;
  }
}

const verified = (c: SignedCheckpoint): VerifiedCheckpoint => ({
  number: c.number,
  seq: c.seq,
  signedAt: c.signedAt,
  keyId: c.keyId,
});

/** Follows the signed checkpoints along the walk: each is checked once, against the one before it. */
function checkpointWalker(signed: SignedCheckpointCheck, prunedUpTo: number) {
  let current: SignedCheckpoint | null = null;
  let lastGood: SignedCheckpoint | null = null;
  const problemOf = async (checkpoint: SignedCheckpoint): Promise<string | null> => {
    const previous =
      lastGood?.number === checkpoint.number - 1 ? lastGood : await signed.source.numbered(checkpoint.number - 1);
    const firstSeq = checkpoint.seq - checkpoint.hashes.length + 1;
    if (previous === null && checkpoint.number > 1 && firstSeq - 1 > prunedUpTo)
      return `checkpoint ${checkpoint.number - 1} is missing`;
    const problem = checkpointProblem(checkpoint, previous, signed.keys);
    return problem === null ? null : `checkpoint ${checkpoint.number}: ${problem}`;
  };
  return {
    get lastGood() {
      return lastGood;
    },
    /** Why this record disagrees with the signed checkpoints, or null. */
    async check(seq: number, hash: string): Promise<string | null> {
      if (current === null || current.seq < seq) {
        current = await signed.source.covering(seq);
        if (current === null) return null;
        const problem = await problemOf(current);
        if (problem !== null) return problem;
      }
      const expected = signedHashOf(current, seq);
      if (expected !== null && expected !== hash)
        return `its hash is not the one signed in checkpoint ${current.number} (the chain was rewritten after it was signed)`;
      if (current.seq === seq) lastGood = current;
      return null;
    },
    /** Why the chain ending at `headSeq` is shorter than the signed checkpoints say, or null. */
    async tail(headSeq: number): Promise<string | null> {
      const last = await signed.source.last();
      if (last === null || last.seq <= headSeq) return null;
      if (lastGood?.number !== last.number) {
        const problem = await problemOf(last);
        if (problem !== null) return problem;
      }
      return `records ${headSeq + 1} to ${last.seq} are missing, though signed checkpoint ${last.number} covers them (deleted, or lost with the database's journal)`;
    },
  };
}

async function verifyFrom(
  store: Store,
  checkpoint: AuditCheckpoint | null,
  signed: SignedCheckpointCheck | null,
): Promise<AuditVerification> {
  let last: { seq: number; hash: string | null } =
    checkpoint === null ? { seq: 0, hash: null } : { seq: checkpoint.seq, hash: checkpoint.hash };
  const walker = signed === null ? null : checkpointWalker(signed, checkpoint?.seq ?? 0);
  let checked = 0;
  let firstSeq: number | null = null;
  const answer = (broken: AuditVerification['broken'], lastSeq: number | null): AuditVerification => ({
    ok: broken === null,
    checked,
    firstSeq,
    lastSeq,
    checkpoint,
    broken,
    signedCheckpoint: walker?.lastGood ? verified(walker.lastGood) : null,
    signedCheckpointsChecked: walker !== null,
  });
  for (;;) {
    const page = await store.listStoredAudit(last.seq, VERIFY_PAGE);
    firstSeq ??= page[0]?.record.seq ?? null;
    const { verdict, last: reached } = verifyChainSegment(page, last);
    // A rewritten chain verifies as a chain: the signed hashes name its first rewritten record.
    for (const { record } of page) {
      if (!verdict.ok && record.seq >= verdict.seq) break;
      const problem = (await walker?.check(record.seq, record.hash)) ?? null;
      if (problem !== null) return answer({ ok: false, seq: record.seq, id: record.id, problem }, record.seq - 1);
      checked += 1;
    }
    if (!verdict.ok) return answer(verdict, reached.seq);
    last = reached;
    if (page.length < VERIFY_PAGE) {
      const missing = (await walker?.tail(last.seq)) ?? null;
      if (missing !== null) return answer({ ok: false, seq: last.seq + 1, id: null, problem: missing }, last.seq);
      return answer(null, checked > 0 ? last.seq : null);
    }
  }
}

/** Prunes records recorded before `before` and records that it did (kind audit.pruned). */
export async function pruneAuditTrail(
  store: Store,
  before: Date,
  now: () => Date,
): Promise<{ pruned: number; checkpoint: AuditCheckpoint | null }> {
  const at = now().toISOString();
  const result = await store.pruneAudit(before.toISOString(), at);
  if (result.pruned > 0)
    await store.appendAudit([
      {
        kind: 'audit.pruned',
        actor: 'api',
        source: { type: 'api', id: 'audit retention' },
        subject: {},
        decision: 'pruned',
        reason: `records recorded before ${before.toISOString()} removed; the chain continues from the checkpoint`,
        before: null,
        after: { pruned: result.pruned, checkpoint: result.checkpoint === null ? null : { ...result.checkpoint } },
        traceId: currentTraceId(),
        deliveryId: null,
        occurredAt: at,
      },
    ]);
  return result;
}

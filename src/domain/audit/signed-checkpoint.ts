import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { canonicalJson } from './hash-chain.js';

// Signed checkpoints (docs/audit.md, after AWS CloudTrail's digest files): the hash chain shows
// an edited record only to a verifier who does not let the editor recompute every hash after
// it. A checkpoint, signed with a key the database never holds, fixes the hashes of the records
// since the one before it; a rewrite of the chain then disagrees with a signature nobody with
// only the database can make again. Each checkpoint names the hash of the one before it, so
// checkpoints cannot be dropped from the middle of a list unnoticed either.

export interface CheckpointBody {
  /** 1, 2, 3... with no gap: one list of checkpoints, whoever wrote them. */
  number: number;
  /** The audit head it fixes: the newest record's seq and hash. */
  seq: number;
  hash: string;
  /** The hash of every record after the previous checkpoint's seq, in order, up to `seq`. */
  hashes: string[];
  prevCheckpointHash: string | null;
  signedAt: string;
  /** Which key signed it (see `keyIdOf`), so that checkpoints signed before a rotation still verify. */
  keyId: string;
}

export interface SignedCheckpoint extends CheckpointBody {
  /** Ed25519 over the canonical JSON of the body, base64. */
  signature: string;
}

/** Public keys by key id: the current one and those of earlier rotations. */
export type CheckpointKeys = ReadonlyMap<string, KeyObject>;

/** A key's id: the first 16 hex digits of the SHA-256 of its public key (SPKI DER). */
export function keyIdOf(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);
}

export function checkpointKeys(keys: readonly KeyObject[]): CheckpointKeys {
  return new Map(keys.map((key) => [keyIdOf(key), key.type === 'private' ? createPublicKey(key) : key]));
}

export function signCheckpoint(body: Omit<CheckpointBody, 'keyId'>, privateKey: KeyObject): SignedCheckpoint {
  // Field by field: whatever else the caller's object carries is not signed.
  const full: CheckpointBody = {
    number: body.number,
    seq: body.seq,
    hash: body.hash,
    hashes: body.hashes,
    prevCheckpointHash: body.prevCheckpointHash,
    signedAt: body.signedAt,
    keyId: keyIdOf(privateKey),
  };
  return { ...full, signature: sign(null, Buffer.from(canonicalJson(full)), privateKey).toString('base64') };
}

/** What the next checkpoint names as the one before it. */
export const checkpointHash = (checkpoint: SignedCheckpoint): string =>
  createHash('sha256').update(canonicalJson(checkpoint)).digest('hex');

/** Why a checkpoint cannot be trusted after `previous` (null when it is the first one seen), or null when it can. */
export function checkpointProblem(
  checkpoint: SignedCheckpoint,
  previous: SignedCheckpoint | null,
  keys: CheckpointKeys,
): string | null {
  const key = keys.get(checkpoint.keyId);
  if (key === undefined) return `signed with key ${checkpoint.keyId}, which is not among the public keys given`;
  const { signature, ...body } = checkpoint;
  if (!verify(null, Buffer.from(canonicalJson(body)), key, Buffer.from(signature, 'base64')))
    return 'its signature does not verify (the checkpoint was altered)';
  if (checkpoint.hashes.at(-1) !== checkpoint.hash) return 'its head hash is not the last hash it lists';
  if (previous === null) return null;
  if (checkpoint.number !== previous.number + 1)
    return `checkpoint ${previous.number + 1} is missing before checkpoint ${checkpoint.number}`;
  if (checkpoint.prevCheckpointHash !== checkpointHash(previous)) return 'it does not name the checkpoint before it';
  if (checkpoint.seq - previous.seq !== checkpoint.hashes.length)
    return 'the records it lists do not follow the checkpoint before it';
  return null;
}

/** The hash a checkpoint fixes for record `seq`, or null when it does not cover that record. */
export function signedHashOf(checkpoint: SignedCheckpoint, seq: number): string | null {
  const index = seq - (checkpoint.seq - checkpoint.hashes.length) - 1;
  return checkpoint.hashes[index] ?? null;
}

export interface CheckpointCadence {
  /** A checkpoint once this many records are past the last one. */
  everyRecords: number;
  /** And one at least this often while new records come. */
  everyMs: number;
}

/**
 * Where the next checkpoint ends, or null when none is due: when `everyRecords` records are past
 * the last one (or past where a pruned chain starts), or some are and `everyMs` passed since it
 * was signed (or since `startedAt` for the first). One checkpoint covers at most `everyRecords`
 * records, so its list of hashes stays bounded.
 */
export function nextCheckpointSeq(
  facts: { fromSeq: number; lastSignedAt: string | null; startedAt: Date; headSeq: number; now: Date },
  cadence: CheckpointCadence,
): number | null {
  const pending = facts.headSeq - facts.fromSeq;
  if (pending <= 0) return null;
  const since = facts.lastSignedAt === null ? facts.startedAt.getTime() : Date.parse(facts.lastSignedAt);
  if (pending < cadence.everyRecords && facts.now.getTime() - since < cadence.everyMs) return null;
  return facts.fromSeq + Math.min(pending, cadence.everyRecords);
}

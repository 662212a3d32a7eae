import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { appendFileSync, closeSync, fstatSync, mkdirSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import type { AuditSigningConfig } from '../config.js';
import {
  checkpointHash,
  checkpointKeys,
  checkpointProblem,
  nextCheckpointSeq,
  signCheckpoint,
  signedHashOf,
  verifyChainSegment,
  type CheckpointCadence,
  type CheckpointKeys,
  type SignedCheckpoint,
} from '../domain/audit/index.js';
import type { Store } from '../store/store.js';
import type { Logger } from './logger.js';

// Signed checkpoints of the audit chain (docs/observability.md, "Signed checkpoints"): written at
// a cadence by whichever replica gets there first, kept in the store, and exported by every
// replica to a JSONL file outside the store with a log line, so that a store rewritten, or
// cut short by a lost journal, disagrees with something its writer cannot change.

export interface AuditSigner {
  privateKey: KeyObject;
  /** The signing key's public half and those of earlier keys. */
  keys: CheckpointKeys;
}

export function auditSigner(config: AuditSigningConfig): AuditSigner | null {
  if (config.privateKeyPem === null) return null;
  const privateKey = createPrivateKey(config.privateKeyPem);
  return {
    privateKey,
    keys: checkpointKeys([privateKey, ...config.earlierPublicKeyPems.map((pem) => createPublicKey(pem))]),
  };
}

export const checkpointExportPath = (dir: string): string => join(dir, 'audit-checkpoints.jsonl');

const parsed = (line: string): SignedCheckpoint | null => {
  try {
    return JSON.parse(line) as SignedCheckpoint;
  } catch {
    // A line cut short by a crash while it was appended.
    return null;
  }
};

/**
 * The last whole checkpoint of an export file, read from its end (the file grows with the
 * store), and whether the file ends mid-line (a crash cut its last append short).
 */
export function readLastExported(path: string): { checkpoint: SignedCheckpoint | null; endsMidLine: boolean } {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { checkpoint: null, endsMidLine: false };
    throw error;
  }
  try {
    const size = fstatSync(fd).size;
    let tail = '';
    for (let end = size; end > 0;) {
      const start = Math.max(0, end - 65_536);
      const chunk = Buffer.alloc(end - start);
      readSync(fd, chunk, 0, chunk.length, start);
      tail = chunk.toString('utf8') + tail;
      const lines = tail.split('\n');
      // The first piece may be the end of a line that starts before this chunk.
      for (const line of lines.slice(start === 0 ? 0 : 1).reverse()) {
        const checkpoint = line.trim() === '' ? null : parsed(line);
        if (checkpoint !== null) return { checkpoint, endsMidLine: !tail.endsWith('\n') };
      }
      end = start;
    }
    return { checkpoint: null, endsMidLine: size > 0 && !tail.endsWith('\n') };
  } finally {
    closeSync(fd);
  }
}

export interface CheckpointWriterOptions {
  store: Store;
  signer: AuditSigner;
  cadence: CheckpointCadence;
  exportDir: string;
  logger: Logger;
  now: () => Date;
}

const summary = (c: SignedCheckpoint) => ({
  number: c.number,
  seq: c.seq,
  hash: c.hash,
  prevCheckpointHash: c.prevCheckpointHash,
  signedAt: c.signedAt,
  keyId: c.keyId,
});

export function checkpointWriter(options: CheckpointWriterOptions) {
  const { store, signer, exportDir, logger, now } = options;
  const log = logger.child({ component: 'audit-checkpoints' });
  const path = checkpointExportPath(exportDir);
  const startedAt = now();
  const lastExported = readLastExported(path);
  let exported = lastExported.checkpoint?.number ?? 0;
  let endsMidLine = lastExported.endsMidLine;

  /** Exports the checkpoints in the store this replica's file does not have yet (others' too). */
  const exportNew = async (): Promise<void> => {
    for (;;) {
      const next = await store.signedCheckpointNumbered(exported + 1);
      if (next === null) return;
      mkdirSync(exportDir, { recursive: true });
      appendFileSync(path, `${endsMidLine ? '\n' : ''}${JSON.stringify(next)}\n`);
      endsMidLine = false;
      exported = next.number;
      log.info({ checkpoint: summary(next), file: path }, 'audit checkpoint exported');
    }
  };

  /** Signs the next checkpoint when one is due; false when none is (or the chain must not be signed). */
  const signNext = async (cadence: CheckpointCadence): Promise<boolean> => {
    const last = await store.lastSignedCheckpoint();
    const [head] = await store.listAudit({ limit: 1, order: 'newest' });
    const pruned = await store.auditCheckpoint();
    const before = last ?? (pruned === null ? { seq: 0, hash: null } : { seq: pruned.seq, hash: pruned.hash });
    const toSeq = nextCheckpointSeq(
      {
        fromSeq: before.seq,
        lastSignedAt: last?.signedAt ?? null,
        startedAt,
        headSeq: head?.seq ?? 0,
        now: now(),
      },
      cadence,
    );
    if (toSeq === null) return false;
    const stored = await store.listStoredAudit(before.seq, toSeq - before.seq);
    // Signing fixes what is there: a chain already broken would be signed as if it were whole.
    const { verdict } = verifyChainSegment(stored, before);
    if (!verdict.ok || stored.length !== toSeq - before.seq) {
      log.error({ verdict }, 'the audit chain is broken: no checkpoint is signed until it is looked at');
      return false;
    }
    const hashes = stored.map(({ record }) => record.hash);
    const checkpoint = signCheckpoint(
      {
        number: (last?.number ?? 0) + 1,
        seq: toSeq,
        hash: hashes.at(-1) ?? '',
        hashes,
        prevCheckpointHash: last === null ? null : checkpointHash(last),
        signedAt: now().toISOString(),
      },
      signer.privateKey,
    );
    // Another replica may have signed this one first: then the loop reads its checkpoint as the last.
    await store.appendSignedCheckpoint(checkpoint);
    return true;
  };

  // One pass at a time: the timer's and the one at shutdown must not export a checkpoint twice.
  let passes: Promise<void> = Promise.resolve();
  const writeDue = (cadence: CheckpointCadence = options.cadence): Promise<void> => {
    const pass = passes.then(async () => {
      while (await signNext(cadence));
      await exportNew();
    });
    passes = pass.catch(() => undefined);
    return pass;
  };

  return {
    path,
    writeDue,
    /** At shutdown every record so far is signed, whatever the cadence. */
    writeAll: () => writeDue({ everyRecords: options.cadence.everyRecords, everyMs: 0 }),
  };
}

/**
 * At start: does the store still hold what the last exported checkpoint signed? A store behind
 * it lost records it had acknowledged (a journal deleted after a crash), or was rewritten.
 * Returns how many signed records are missing or differ, logging loudly when any are. Exported
 * checkpoints the store lacks are put back, so that verification reports the loss too.
 */
export async function checkStoreAgainstExport(
  store: Store,
  signer: AuditSigner,
  exportDir: string,
  logger: Logger,
): Promise<number> {
  const path = checkpointExportPath(exportDir);
  const exported = readLastExported(path).checkpoint;
  if (exported === null) return 0;
  const problem = checkpointProblem(exported, null, signer.keys);
  if (problem !== null) {
    logger.error({ file: path, problem }, 'the last exported audit checkpoint does not verify');
    return 0;
  }
  const fromSeq = exported.seq - exported.hashes.length;
  const stored = await store.listStoredAudit(fromSeq, exported.hashes.length);
  const held = new Set(
    stored.filter(({ record }) => signedHashOf(exported, record.seq) === record.hash).map(({ record }) => record.seq),
  );
  const [head] = await store.listAudit({ limit: 1, order: 'newest' });
  // Missing or different among the records it lists, and every one before them down to the head.
  const lost = exported.hashes.length - held.size + Math.max(0, fromSeq - (head?.seq ?? 0));
  const inStore = (await store.lastSignedCheckpoint())?.number ?? 0;
  // Rare (the store lost checkpoints too), so the whole file is read only then.
  if (inStore < exported.number)
    for (const text of readFileSync(path, 'utf8').split('\n')) {
      const checkpoint = text.trim() === '' ? null : parsed(text);
      if (checkpoint !== null && checkpoint.number > inStore) await store.appendSignedCheckpoint(checkpoint);
    }
  if (lost > 0) {
    logger.error(
      { file: path, checkpoint: summary(exported), storeHeadSeq: head?.seq ?? 0, recordsLost: lost },
      'AUDIT RECORDS LOST: the store does not hold records that a signed checkpoint exported before start covers (deleted, rewritten, or lost with the database journal after a crash); run reconciler-audit verify',
    );
  }
  return lost;
}

import { verifyChainSegment, type AuditCheckpoint, type ChainVerdict } from '../domain/audit/index.js';
import type { Store } from '../store/store.js';
import { currentTraceId } from './tracing.js';

// Keeping the audit trail tamper-evident over time: verification walks the hash chain page by
// page (bounded memory), and pruning removes only a prefix of it behind a checkpoint, so what
// remains still verifies.

const VERIFY_PAGE = 1000;

export interface AuditVerification {
  ok: boolean;
  checked: number;
  firstSeq: number | null;
  lastSeq: number | null;
  checkpoint: AuditCheckpoint | null;
  broken: Exclude<ChainVerdict, { ok: true }> | null;
}

export async function verifyAuditTrail(store: Store): Promise<AuditVerification> {
  for (let attempt = 0; ; attempt++) {
    const checkpoint = await store.auditCheckpoint();
    const result = await verifyFrom(store, checkpoint);
    // Another replica pruned while this walk began: the records it removed look missing. Start
    // again from the new checkpoint rather than report a tampered chain that is intact.
    const moved = result.broken !== null && (await store.auditCheckpoint())?.seq !== checkpoint?.seq;
    if (!moved || attempt >= 3) return result;
  }
}

async function verifyFrom(store: Store, checkpoint: AuditCheckpoint | null): Promise<AuditVerification> {
  let last: { seq: number; hash: string | null } =
    checkpoint === null ? { seq: 0, hash: null } : { seq: checkpoint.seq, hash: checkpoint.hash };
  let checked = 0;
  let firstSeq: number | null = null;
  for (;;) {
    const page = await store.listStoredAudit(last.seq, VERIFY_PAGE);
    firstSeq ??= page[0]?.record.seq ?? null;
    const { verdict, last: reached } = verifyChainSegment(page, last);
    checked += page.filter(({ record }) => record.seq <= reached.seq).length;
    if (!verdict.ok) return { ok: false, checked, firstSeq, lastSeq: reached.seq, checkpoint, broken: verdict };
    last = reached;
    if (page.length < VERIFY_PAGE)
      return { ok: true, checked, firstSeq, lastSeq: checked > 0 ? last.seq : null, checkpoint, broken: null };
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

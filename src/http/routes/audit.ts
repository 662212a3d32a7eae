import { Router } from 'express';
import type { AuditQuery, Store } from '../../store/store.js';
import type { AuditPage, AuditPruneAnswer, AuditVerifyAnswer } from '../api-shapes.js';
import { HttpError } from '../http-error.js';
import { pruneAuditTrail, verifyAuditTrail, type SignedCheckpointCheck } from '../../telemetry/audit-trail.js';
import { auditPruneRequest, auditQuery } from '../openapi/audit.js';
import { parseBody, parseQuery } from '../openapi/parse-request.js';

// Audit search (REQUIREMENTS.md, "HTTP contract"): newest first, filters combine with AND.

/** `repo=` is a repo id or owner/name; a name also finds records about the ids it is known by. */
async function repoFilter(store: Store, repo: number | string): Promise<NonNullable<AuditQuery['repo']>> {
  if (typeof repo === 'number') return { ids: [repo] };
  const ids = [...new Set((await store.listRepoRowsByFullName(repo)).map((row) => row.repoId))];
  return { ids, fullName: repo };
}

export function auditRoutes(store: Store, now: () => Date, signed: SignedCheckpointCheck | null): Router {
  const router = Router();
  // Walks the whole hash chain and the signed checkpoints: ok, or the first record that was
  // edited, removed, reordered or rewritten.
  router.get('/audit/verify', async (_req, res) => {
    res.json((await verifyAuditTrail(store, signed)) satisfies AuditVerifyAnswer);
  });
  // Retention (docs/audit.md): removes the oldest records behind a checkpoint.
  router.post('/audit/prune', async (req, res) => {
    const before = new Date(parseBody(auditPruneRequest, req.body).before);
    if (before.getTime() > now().getTime())
      throw new HttpError(400, 'invalid_input', 'before: must not be in the future');
    res.json((await pruneAuditTrail(store, before, now)) satisfies AuditPruneAnswer);
  });
  router.get('/audit', async (req, res) => {
    const { limit = 100, cursor, repo, deliveryId, traceId, userId, kind, since } = parseQuery(auditQuery, req.query);
    const filter: AuditQuery = {
      limit,
      order: 'newest',
      ...(cursor !== undefined ? { beforeSeq: cursor } : {}),
      ...(deliveryId !== undefined ? { deliveryId } : {}),
      ...(traceId !== undefined ? { traceId } : {}),
      ...(userId !== undefined ? { userId } : {}),
      ...(kind !== undefined ? { kind } : {}),
      ...(since !== undefined ? { since } : {}),
      ...(repo !== undefined ? { repo: await repoFilter(store, repo) } : {}),
    };
    const records = await store.listAudit(filter);
    const last = records.at(-1);
    res.json({
      records,
      nextCursor: records.length === limit && last !== undefined ? String(last.seq) : null,
    } satisfies AuditPage);
  });
  return router;
}

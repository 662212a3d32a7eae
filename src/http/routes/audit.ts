import { Router } from 'express';
import type { AuditQuery, Store } from '../../store/store.js';
import type { AuditPage, AuditPruneAnswer, AuditVerifyAnswer } from '../api-shapes.js';
import { HttpError } from '../http-error.js';
import { pruneAuditTrail, verifyAuditTrail, type SignedCheckpointCheck } from '../../telemetry/audit-trail.js';
import {
  boundedString,
  githubId,
  parseBody,
  platformId,
  queryLimit,
  queryString,
  refuseUnknownQuery,
  repoFullName,
  required,
  seqCursor,
} from '../validate.js';

// Audit search (REQUIREMENTS.md, "HTTP contract"): newest first, filters combine with AND.

const KIND = /^[a-z_]+(?:\.[a-z_]+)*$/;
const OPAQUE_ID = /^[A-Za-z0-9._:-]{1,200}$/;

/** `repo=` is a repo id or owner/name; a name also finds records about the ids it is known by. */
async function repoFilter(store: Store, raw: string): Promise<NonNullable<AuditQuery['repo']>> {
  if (/^\d+$/.test(raw)) return { ids: [githubId(raw, 'repo')] };
  const fullName = repoFullName(raw, 'repo');
  const ids = [...new Set((await store.listRepoRowsByFullName(fullName)).map((row) => row.repoId))];
  return { ids, fullName };
}

function isoTime(raw: string, field: string): string {
  const time = Date.parse(raw);
  // Date.parse rolls 2026-02-30 over into March: the date must read back as written.
  if (!/^\d{4}-\d{2}-\d{2}/.test(raw) || Number.isNaN(time) || !sameDate(raw, time))
    throw new HttpError(400, 'invalid_query', `${field} must be an ISO 8601 time such as 2026-11-25T08:00:00Z`);
  return new Date(time).toISOString();
}

const sameDate = (raw: string, time: number): boolean => {
  const [year, month, day] = raw.slice(0, 10).split('-').map(Number);
  const parsed = new Date(Date.UTC(year ?? 0, (month ?? 0) - 1, day ?? 0));
  return (
    parsed.getUTCFullYear() === year && parsed.getUTCMonth() + 1 === month && parsed.getUTCDate() === day && time > 0
  );
};

export function auditRoutes(store: Store, now: () => Date, signed: SignedCheckpointCheck | null): Router {
  const router = Router();
  // Walks the whole hash chain and the signed checkpoints: ok, or the first record that was
  // edited, removed, reordered or rewritten.
  router.get('/audit/verify', async (_req, res) => {
    res.json((await verifyAuditTrail(store, signed)) satisfies AuditVerifyAnswer);
  });
  // Retention (docs/audit.md): removes the oldest records behind a checkpoint.
  router.post('/audit/prune', async (req, res) => {
    const body = parseBody(req.body, { before: required(boundedString(40)) });
    const before = new Date(isoTime(body.before, 'before'));
    if (before.getTime() > now().getTime())
      throw new HttpError(400, 'invalid_input', 'before: must not be in the future');
    res.json((await pruneAuditTrail(store, before, now)) satisfies AuditPruneAnswer);
  });
  router.get('/audit', async (req, res) => {
    const query = req.query;
    const text = (name: string) => queryString(query[name], name);
    const known = ['deliveryId', 'traceId', 'userId', 'repo', 'kind', 'since', 'limit', 'cursor'];
    refuseUnknownQuery(query, known);
    const limit = queryLimit(text('limit'), 100, 1000);
    const beforeSeq = seqCursor(query.cursor);
    const deliveryId = text('deliveryId');
    const traceId = text('traceId');
    const userId = text('userId');
    const repo = text('repo');
    const kind = text('kind');
    const since = text('since');
    const filter: AuditQuery = {
      limit,
      order: 'newest',
      ...(beforeSeq !== undefined ? { beforeSeq } : {}),
      ...(deliveryId !== undefined ? { deliveryId: boundedString(200, OPAQUE_ID)(deliveryId, 'deliveryId') } : {}),
      ...(traceId !== undefined
        ? { traceId: boundedString(64, /^[0-9a-f]+$/, 'must be hex')(traceId, 'traceId') }
        : {}),
      ...(userId !== undefined ? { userId: platformId(userId, 'userId') } : {}),
      ...(repo !== undefined ? { repo: await repoFilter(store, repo) } : {}),
      ...(kind !== undefined
        ? { kind: boundedString(100, KIND, 'must be a record kind such as rebind.skipped')(kind, 'kind') }
        : {}),
      ...(since !== undefined ? { since: isoTime(since, 'since') } : {}),
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

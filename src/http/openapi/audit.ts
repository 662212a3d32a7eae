import { z } from 'zod';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import {
  boundedString,
  errorResponses,
  isoTime,
  jsonAnswer,
  jsonBody,
  jsonValue,
  platformId,
  queryLimit,
  repoIdOrName,
  seqCursor,
  timeText,
  orNull,
} from './fields.js';

// The audit trail as the API shows it: records, search pages, the chain's verification and pruning.

export const auditSubjectJson = z
  .object({
    userId: z.string().optional(),
    repoId: z.number().optional(),
    repoFullName: z.string().optional(),
    installationId: z.number().optional(),
    automationId: z.string().optional(),
    triggerId: z.string().optional(),
  })
  .meta({ id: 'AuditSubject' });

export const auditRecordJson = z
  .object({
    id: z.string(),
    seq: z.number(),
    schemaVersion: z.number(),
    kind: z.string(),
    actor: z.string(),
    source: z.object({ type: z.string(), id: z.string() }),
    subject: auditSubjectJson,
    decision: z.string(),
    reason: z.string().nullable(),
    before: jsonValue,
    after: jsonValue,
    traceId: z.string().nullable(),
    deliveryId: z.string().nullable(),
    occurredAt: isoTime,
    recordedAt: isoTime,
    prevHash: z.string().nullable(),
    hash: z.string(),
  })
  .meta({ id: 'AuditRecord' });

const KIND = /^[a-z_]+(?:\.[a-z_]+)*$/;
const OPAQUE_ID = /^[A-Za-z0-9._:-]{1,200}$/;

export const auditQuery = z.strictObject({
  deliveryId: boundedString(200, OPAQUE_ID).optional(),
  traceId: boundedString(64, /^[0-9a-f]+$/, 'must be hex').optional(),
  userId: platformId.optional(),
  repo: repoIdOrName.optional(),
  kind: boundedString(100, KIND, 'must be a record kind such as rebind.skipped').optional(),
  since: timeText.optional(),
  limit: queryLimit(1000),
  cursor: seqCursor,
});

export const auditPage = z.object({ records: z.array(auditRecordJson), nextCursor: z.string().nullable() });

export const auditPruneRequest = z.strictObject({ before: timeText });

export const auditCheckpointJson = z
  .object({
    seq: z.number(),
    hash: z.string(),
    prunedAt: isoTime,
    pruned: z.number().meta({ description: 'records removed so far, over every prune' }),
  })
  .meta({ id: 'AuditCheckpoint' });

export const auditVerifyAnswer = z.object({
  ok: z.boolean(),
  checked: z.number(),
  firstSeq: z.number().nullable(),
  lastSeq: z.number().nullable(),
  checkpoint: orNull(auditCheckpointJson),
  broken: z
    .object({ ok: z.literal(false), seq: z.number(), id: z.string().nullable(), problem: z.string() })
    .nullable()
    .meta({ description: '`id` is null when the first bad record is a missing one' }),
  signedCheckpoint: z
    .object({ number: z.number(), seq: z.number(), signedAt: isoTime, keyId: z.string() })
    .nullable()
    .meta({ description: 'the newest signed checkpoint whose records all matched' }),
  signedCheckpointsChecked: z.boolean().meta({ description: 'false without an audit signing key' }),
});

export const auditPruneAnswer = z.object({ pruned: z.number(), checkpoint: orNull(auditCheckpointJson) });

export function registerAuditPaths(registry: OpenAPIRegistry): void {
  const tags = ['audit'];
  registry.registerPath({
    method: 'get',
    path: '/api/audit',
    tags,
    summary: 'Audit search, newest first; filters combine with AND',
    request: { query: auditQuery },
    responses: { 200: jsonAnswer('a page of records', auditPage), ...errorResponses(400) },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/audit/verify',
    tags,
    summary: 'Walk the hash chain and the signed checkpoints',
    responses: { 200: jsonAnswer('the verdict', auditVerifyAnswer), ...errorResponses() },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/audit/prune',
    tags,
    summary: 'Remove the oldest records behind a checkpoint (retention)',
    request: { body: jsonBody(auditPruneRequest) },
    responses: { 200: jsonAnswer('what was pruned', auditPruneAnswer), ...errorResponses(400, 413) },
  });
}

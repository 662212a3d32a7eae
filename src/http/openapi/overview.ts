import { z } from 'zod';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { auditRecordJson } from './audit.js';
import { countsOf, errorResponses, jsonAnswer, platformId, repoFullName } from './fields.js';
import { COVERAGES, installationJson, INSTALLATION_STATES } from './users.js';

// Diagnosis (R10) and the Observability view's overview.

export const diagnoseQuery = z.strictObject({ userId: platformId, repo: repoFullName });

/** One API call that applies a fix, and the same call as a line to paste into a terminal (domain/step-action.ts). */
export const stepActionJson = z
  .object({
    label: z.string(),
    method: z.enum(['POST', 'PUT', 'DELETE']),
    path: z.string().meta({ description: 'starts with /api/' }),
    body: z.record(z.string(), z.unknown()).nullable(),
    command: z.string().meta({ description: 'the same call as a curl line' }),
  })
  .meta({ id: 'StepAction' });

export const diagnosisStepJson = z
  .object({
    step: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)]),
    name: z.string(),
    status: z.enum(['ok', 'problem', 'unknown']),
    evidence: z.string(),
    next: z.string().nullable(),
    action: z
      .union([stepActionJson, z.null()])
      .meta({ description: 'the fix as a call the view offers as a button; null when no single call fixes it' }),
    actions: z
      .array(stepActionJson)
      .meta({
        description: 'every call of the fix, in order (an explicit rebind moves the trigger and its automation)',
      }),
  })
  .meta({ id: 'DiagnosisStep' });

export const diagnosisJson = z.object({
  userId: z.string(),
  repo: z.string(),
  steps: z.array(diagnosisStepJson),
  metadataRefresh: z
    .array(installationJson.shape.refresh.extend({ installationId: z.number() }))
    .meta({
      description: 'missing installation metadata is filled first (R6): what that did, per linked installation',
    }),
});

export const rebindSkipReason = z.enum(['no_installations', 'several_installations', 'installation_mismatch']);

export const summaryJson = z.object({
  coverage: countsOf(COVERAGES),
  installations: countsOf(INSTALLATION_STATES),
  inbox: z.object({ pending: z.number(), oldestReceivedAt: z.string().nullable() }),
  rebindSkips: z.object({
    total: z.number(),
    byReason: z.record(z.string(), z.number()),
    recent: z.array(auditRecordJson),
  }),
});

export function registerOverviewPaths(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'get',
    path: '/api/diagnose',
    tags: ['diagnosis'],
    summary: "The product document's troubleshooting order for a repo, answered (R10)",
    request: { query: diagnoseQuery },
    responses: { 200: jsonAnswer('each step answered', diagnosisJson), ...errorResponses(400, 404) },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/summary',
    tags: ['diagnosis'],
    summary: "What the Observability view's cards show",
    responses: { 200: jsonAnswer('the overview', summaryJson), ...errorResponses() },
  });
}

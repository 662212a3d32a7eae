import { z } from 'zod';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { boundedString, countsOf, errorResponses, isoTime, jsonAnswer, jsonBody, queryEnum, queryLimit, orNull } from './fields.js';
import { userParams } from './users.js';

// A user's sync: what it decided, and its progress while it runs.

export const syncRequest = z.strictObject({
  oauthToken: boundedString(255, /^\S+$/, 'must be a token').nullish(),
});

const ROW_DECISIONS = ['created', 'updated', 'covered', 'detached', 'preserved', 'unchanged', 'propagated'] as const;
export const rowDecision = z.enum(ROW_DECISIONS);
export const decisionCounts = countsOf(ROW_DECISIONS).meta({ id: 'DecisionCounts' });

export const rebindOutcomeJson = z
  .discriminatedUnion('outcome', [
    z.object({
      userId: z.string(),
      outcome: z.literal('rebound'),
      to: z.number(),
      entities: z.array(z.object({ type: z.string(), id: z.string(), from: z.number() })),
    }),
    z.object({
      userId: z.string(),
      outcome: z.literal('skipped'),
      reason: z.string(),
      installationIds: z.array(z.number()),
    }),
  ])
  .meta({ id: 'RebindOutcome' });

const subProjectCounts = decisionCounts.meta({
  description: 'the decisions of counts that were about sub-project rows (the rest are about repos)',
});

export const installationSyncJson = z
  .object({
    kind: z.literal('installation'),
    installationId: z.number(),
    status: z.enum(['completed', 'suspended', 'deleted', 'failed']),
    message: z.string().nullable(),
    retryable: z.boolean(),
    retryAfterMs: z.number().nullable(),
    pages: z.number(),
    reposListed: z.number(),
    counts: decisionCounts,
    subProjectCounts,
    rebind: z.array(rebindOutcomeJson),
  })
  .meta({ id: 'InstallationSync' });

export const oauthSyncJson = z
  .object({
    kind: z.literal('oauth'),
    userId: z.string(),
    status: z.enum(['completed', 'failed']),
    message: z.string().nullable(),
    pages: z.number(),
    reposListed: z.number(),
    counts: decisionCounts,
    subProjectCounts,
  })
  .meta({ id: 'OAuthSync' });

export const userSyncJson = z
  .object({
    syncId: z.string(),
    userId: z.string(),
    traceId: z.string().nullable(),
    installationSync: z.object({
      available: z.boolean(),
      reason: z.string().nullable(),
      runs: z.array(installationSyncJson),
    }),
    oauthSync: orNull(oauthSyncJson),
    counts: decisionCounts,
    subProjectCounts,
    rebind: z.array(rebindOutcomeJson),
  })
  .meta({ id: 'UserSync' });

export const syncProgressFields = z.object({
  syncId: z.string(),
  userId: z.string(),
  state: z.enum(['running', 'completed', 'failed']),
  startedAt: isoTime,
  finishedAt: isoTime.nullable(),
  pagesDone: z.number().meta({ description: 'pages read so far, over every run of the sync' }),
  pagesTotal: z.number().meta({ description: "pages known so far, from GitHub's Link header of each run begun" }),
  reposSeen: z.number(),
  decisions: decisionCounts,
  error: z.string().nullable(),
});

export const syncProgressJson = syncProgressFields.extend({ result: orNull(userSyncJson) }).meta({ id: 'SyncProgress' });

export const syncStarted = z.object({
  syncId: z.string(),
  joined: z.boolean(),
  state: syncProgressFields.shape.state,
  progress: z.string().meta({ description: 'the path that follows it' }),
});

export const syncQuery = z.object({ async: queryEnum(['1', '0']) });
export const syncsQuery = z.object({ limit: queryLimit(200) });
export const syncsPage = z.object({ syncs: z.array(syncProgressFields) });
export const syncParams = z.object({ syncId: z.string() });

export function registerSyncsPaths(registry: OpenAPIRegistry): void {
  const tags = ['syncs'];
  registry.registerPath({
    method: 'post',
    path: '/api/users/{userId}/sync',
    tags,
    summary: 'Sync a user: installation-backed for its installations, OAuth-only with a token',
    request: { params: userParams, query: syncQuery, body: { ...jsonBody(syncRequest), required: false } },
    responses: {
      200: jsonAnswer('what the sync decided', userSyncJson),
      202: jsonAnswer('async=1: started (or joined the one running)', syncStarted),
      ...errorResponses(400, 404, 413),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/syncs',
    tags,
    summary: 'The syncs this replica runs and ran lately, newest first',
    request: { query: syncsQuery },
    responses: { 200: jsonAnswer('the syncs', syncsPage), ...errorResponses(400) },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/syncs/{syncId}',
    tags,
    summary: 'One sync and its progress',
    request: { params: syncParams },
    responses: { 200: jsonAnswer('the sync', syncProgressJson), ...errorResponses(404) },
  });
}

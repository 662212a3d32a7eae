import { z } from 'zod';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { errorResponses, isoTime, jsonAnswer, queryLimit, seqCursor, orNull } from './fields.js';

// The wake outbox, read by the platform's runner (docs/routing.md, "Wakes").

export const pushFacts = z
  .object({
    ref: z.string().nullable(),
    before: z.string().nullable(),
    after: z.string().nullable(),
    headCommit: z.object({ id: z.string(), timestamp: z.string().nullable(), url: z.string().nullable() }).nullable(),
  })
  .meta({ id: 'PushFacts', description: 'What was pushed; null where the payload did not say.' });

export const pullRequestFacts = z
  .object({
    number: z.number().nullable(),
    headSha: z.string().nullable(),
    headRef: z.string().nullable(),
    baseSha: z.string().nullable(),
    baseRef: z.string().nullable(),
  })
  .meta({ id: 'PullRequestFacts', description: "A pull request's number and both ends; null where the payload did not say." });

export const wakeJson = z
  .object({
    id: z.string().meta({ description: '`<deliveryId>:<triggerId>`: one delivery wakes a trigger at most once' }),
    seq: z.number(),
    deliveryId: z.string(),
    triggerId: z.string(),
    automationId: z.string().nullable(),
    userId: z.string(),
    repoId: z.number(),
    repoFullName: z.string().nullable(),
    installationId: z.number(),
    event: z.string(),
    action: z.string().nullable(),
    push: orNull(pushFacts),
    pullRequest: orNull(pullRequestFacts),
    replay: z.boolean().meta({ description: 'true for the wakes of a replay (a re-test of a route)' }),
    replayOf: z.string().nullable(),
    createdAt: isoTime.meta({ description: 'when it woke' }),
  })
  .meta({ id: 'Wake', description: 'A trigger woken by a delivery: an outbox row for the platform\'s runner.' });

const MAX_WAIT_SECONDS = 30;

export const wakesQuery = z.strictObject({
  cursor: seqCursor,
  limit: queryLimit(1000),
  wait: z
    .string()
    .regex(/^\d{1,2}$/, { error: `must be a whole number of seconds from 0 to ${MAX_WAIT_SECONDS}` })
    .transform(Number)
    .refine((seconds) => seconds <= MAX_WAIT_SECONDS, {
      error: `must be a whole number of seconds from 0 to ${MAX_WAIT_SECONDS}`,
    })
    .optional()
    .meta({ description: 'seconds a long-poll may wait for a first wake' }),
});

export const wakesPage = z.object({ wakes: z.array(wakeJson), nextCursor: z.string().nullable() });

export const wakeStreamQuery = z.strictObject({ cursor: seqCursor });

export function registerWakesPaths(registry: OpenAPIRegistry): void {
  const tags = ['wakes'];
  registry.registerPath({
    method: 'get',
    path: '/api/wakes',
    tags,
    summary: 'Wakes oldest first; the cursor only moves forward (wait= long-polls)',
    request: { query: wakesQuery },
    responses: {
      200: jsonAnswer('a page of wakes', wakesPage),
      ...errorResponses(400, 410),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/wakes/stream',
    tags,
    summary: 'Server-sent events: one `wake` event per wake, its seq as the event id (Last-Event-ID resumes)',
    request: { query: wakeStreamQuery },
    responses: {
      200: { description: 'the stream', content: { 'text/event-stream': { schema: z.string() } } },
      ...errorResponses(400, 410),
    },
  });
}

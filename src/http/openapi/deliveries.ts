import { z } from 'zod';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { auditRecordJson } from './audit.js';
import { errorResponses, isoTime, jsonAnswer, queryEnum, queryFlag, queryLimit, seqCursor } from './fields.js';

// Deliveries as the API shows them: the list, one delivery's story, a re-test.

const DELIVERY_STATES = ['received', 'processing', 'applied', 'ignored', 'failed'] as const;
export const deliveryState = z.enum(DELIVERY_STATES);
export const routingOutcome = z.enum(['woke', 'woke_none', 'no_candidates', 'not_routed']);
/** `?outcome=`: a routing outcome, or woke_nothing (candidates that all said no, or none at all). */
export const OUTCOME_FILTERS = ['woke', 'woke_none', 'no_candidates', 'not_routed', 'woke_nothing'] as const;

export const deliveryJson = z
  .object({
    id: z.string(),
    event: z.string(),
    action: z.string().nullable(),
    installationId: z.number().nullable(),
    repoId: z.number().nullable(),
    state: deliveryState,
    attempts: z.number(),
    error: z.string().nullable(),
    reason: z.string().nullable(),
    receivedAt: isoTime,
    processedAt: isoTime.nullable(),
    nextAttemptAt: isoTime.nullable(),
    replayOf: z.string().nullable(),
  })
  .meta({ id: 'Delivery', description: 'A delivery as clients see it; the raw payload stays in the store.' });

export const deliveryParams = z.object({ deliveryId: z.string() });

export const deliveriesQuery = z.object({
  state: queryEnum(DELIVERY_STATES),
  outcome: queryEnum(OUTCOME_FILTERS),
  limit: queryLimit(200),
  cursor: seqCursor,
});

export const deliveryListItem = deliveryJson
  .extend({ outcome: routingOutcome, summary: z.string(), traceId: z.string().nullable() })
  .meta({ id: 'DeliveryListItem' });

export const deliveriesPage = z.object({ deliveries: z.array(deliveryListItem), nextCursor: z.string().nullable() });

export const storyCandidateJson = z
  .object({
    triggerId: z.string(),
    automationId: z.string().nullable(),
    userId: z.string().nullable(),
    outcome: z.enum(['woken', 'not_woken']),
    reason: z.string().nullable(),
    detail: z.string().nullable(),
    fix: z.string().nullable(),
    boundInstallationId: z.number().nullable(),
  })
  .meta({ id: 'StoryCandidate' });

export const deliveryStoryJson = z
  .object({
    delivery: deliveryJson,
    traceId: z.string().nullable(),
    summary: z.string(),
    outcome: routingOutcome,
    candidates: z.array(storyCandidateJson),
    audit: z.array(auditRecordJson),
    auditTruncated: z.boolean(),
  })
  .meta({ id: 'DeliveryStory' });

export const replayQuery = z.strictObject({ dryRun: queryFlag });

export const replayAnswer = z.object({ deliveryId: z.string(), replayOf: z.string(), dryRun: z.literal(false) });

export const routingToldJson = z
  .object({
    outcome: routingOutcome,
    summary: z.string(),
    woke: z.array(z.string()),
    candidates: z.array(storyCandidateJson),
  })
  .meta({ id: 'RoutingTold' });

const wokenOrNot = z.enum(['woken', 'not_woken']).nullable();

export const dryRunReplayAnswer = z.object({
  dryRun: z.literal(true),
  deliveryId: z.string(),
  then: routingToldJson,
  now: routingToldJson,
  changed: z.array(z.object({ triggerId: z.string(), then: wokenOrNot, now: wokenOrNot })),
});

export function registerDeliveriesPaths(registry: OpenAPIRegistry): void {
  const tags = ['deliveries'];
  registry.registerPath({
    method: 'get',
    path: '/api/deliveries',
    tags,
    summary: 'Deliveries, newest first (outcome=woke_nothing: candidates that all said no, or none)',
    request: { query: deliveriesQuery },
    responses: { 200: jsonAnswer('a page of deliveries', deliveriesPage), ...errorResponses(400) },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/deliveries/{deliveryId}',
    tags,
    summary: 'The story of one delivery (R10)',
    request: { params: deliveryParams },
    responses: { 200: jsonAnswer('the story', deliveryStoryJson), ...errorResponses(404) },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/deliveries/{deliveryId}/replay',
    tags,
    summary: 'Re-test a delivery: dryRun=true routes it against today\'s state and writes nothing',
    request: { params: deliveryParams, query: replayQuery },
    responses: {
      200: jsonAnswer('dry run: what would wake now next to what woke then', dryRunReplayAnswer),
      202: jsonAnswer('replayed as a new delivery', replayAnswer),
      ...errorResponses(400, 404, 409),
    },
  });
}

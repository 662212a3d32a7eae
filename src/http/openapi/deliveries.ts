import { z } from 'zod';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { auditRecordJson } from './audit.js';
import {
  errorResponses,
  githubIdText,
  isoTime,
  jsonAnswer,
  queryEnum,
  queryFlag,
  queryLimit,
  seqCursor,
} from './fields.js';

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

/** An ISO-8601 time whose date reads back as written (Date.parse rolls 2026-02-30 into March). */
const queryTime = z
  .string()
  .max(40)
  .refine(
    (raw) => {
      const time = Date.parse(raw);
      if (!/^\d{4}-\d{2}-\d{2}/.test(raw) || Number.isNaN(time) || time <= 0) return false;
      const [year, month, day] = raw.slice(0, 10).split('-').map(Number);
      const date = new Date(Date.UTC(year ?? 0, (month ?? 0) - 1, day ?? 0));
      return date.getUTCFullYear() === year && date.getUTCMonth() + 1 === month && date.getUTCDate() === day;
    },
    { error: 'must be an ISO 8601 time such as 2026-11-25T08:00:00Z' },
  )
  .transform((raw) => new Date(Date.parse(raw)).toISOString())
  .optional();

const opaqueId = z
  .string()
  .regex(/^[A-Za-z0-9._:@-]{1,200}$/, { error: 'must be an id (letters, digits, . _ : @ -)' })
  .optional();
const shortName = (example: string) =>
  z
    .string()
    .regex(/^[a-z_]{1,64}$/, { error: `must be a name such as ${example}` })
    .optional();

/** Delivery search (issue 15): every filter given must hold; test/query-plans.test.ts has their plans. */
export const deliveriesQuery = z.strictObject({
  q: z.string().trim().min(1).max(200).optional().meta({ description: 'search-box text (GET /api/search)' }),
  repo: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100}$/, { error: 'must be owner/name' })
    .optional()
    .meta({ description: 'owner/name in any case, also a name the repo had before a rename or transfer' }),
  repoId: githubIdText.optional(),
  trigger: opaqueId.meta({ description: 'deliveries whose routing considered this trigger' }),
  automation: opaqueId.meta({ description: 'deliveries whose routing considered a trigger of it' }),
  installation: z
    .string()
    .regex(/^[A-Za-z0-9-]{1,100}$/, { error: 'must be an installation id or an account login' })
    .optional()
    .meta({ description: 'an installation id, or the login of the account it is installed on' }),
  event: shortName('push'),
  action: shortName('opened'),
  outcome: queryEnum(OUTCOME_FILTERS),
  reason: shortName('repo_not_covered'),
  state: queryEnum(DELIVERY_STATES),
  since: queryTime.meta({ description: 'received at or after' }),
  until: queryTime.meta({ description: 'received before' }),
  problems: queryFlag.meta({
    description: '1: only deliveries whose routing recorded a problem reason (not an expected non-match)',
  }),
  limit: queryLimit(200),
  cursor: seqCursor,
});

export const deliveryListItem = deliveryJson
  .extend({
    repoFullName: z.string().nullable().meta({ description: "the repo's name today, from its repo rows" }),
    outcome: routingOutcome,
    summary: z.string(),
    traceId: z.string().nullable(),
    problem: z.boolean().meta({ description: 'a reason of its routing is a problem, not an expected non-match' }),
    reasons: z
      .array(z.string())
      .meta({ description: 'distinct reason codes of its routing (no_candidates when none)' }),
  })
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
    summary:
      'Search deliveries, newest first; every filter given must hold (outcome=woke_nothing: routed and woke nothing; with problems=1 only those that should have)',
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
    summary: "Re-test a delivery: dryRun=true routes it against today's state and writes nothing",
    request: { params: deliveryParams, query: replayQuery },
    responses: {
      200: jsonAnswer('dry run: what would wake now next to what woke then', dryRunReplayAnswer),
      202: jsonAnswer('replayed as a new delivery', replayAnswer),
      ...errorResponses(400, 404, 409),
    },
  });
}

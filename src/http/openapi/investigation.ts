import { extendZodWithOpenApi, type OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { HttpError } from '../http-error.js';

// The investigation routes (issue 15): delivery search, the search box, a delivery's payload.
// The same schemas validate the requests and describe them in the OpenAPI document.

extendZodWithOpenApi(z);

const DELIVERY_STATES = ['received', 'processing', 'applied', 'ignored', 'failed'] as const;
const ROUTING_OUTCOMES = ['woke', 'woke_none', 'no_candidates', 'not_routed'] as const;
/** `woke_nothing`: routed and woke no trigger (woke_none or no_candidates); with `problems=1`, only those that should have. */
export const OUTCOME_FILTERS = ['woke', 'woke_none', 'no_candidates', 'not_routed', 'woke_nothing'] as const;

/** An ISO-8601 time whose date reads back as written (Date.parse rolls 2026-02-30 into March). */
const isoTime = z
  .string()
  .max(40)
  .refine((raw) => {
    const time = Date.parse(raw);
    if (!/^\d{4}-\d{2}-\d{2}/.test(raw) || Number.isNaN(time) || time <= 0) return false;
    const [year, month, day] = raw.slice(0, 10).split('-').map(Number);
    const date = new Date(Date.UTC(year ?? 0, (month ?? 0) - 1, day ?? 0));
    return date.getUTCFullYear() === year && date.getUTCMonth() + 1 === month && date.getUTCDate() === day;
  }, 'must be an ISO 8601 time such as 2026-11-25T08:00:00Z')
  .transform((raw) => new Date(Date.parse(raw)).toISOString());

const gitHubId = z
  .string()
  .regex(/^[1-9]\d{0,15}$/, 'must be a positive integer')
  .transform(Number)
  .refine(Number.isSafeInteger, 'must be a positive integer');

const opaqueId = z.string().regex(/^[A-Za-z0-9._:-]{1,200}$/, 'must be an id (letters, digits, . _ : -)');

export const deliverySearchQuery = z
  .strictObject({
    q: z.string().trim().min(1).max(200).optional(),
    repo: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100}$/, 'must be owner/name')
      .optional()
      .openapi({ description: 'owner/name in any case, also a name the repo had before a rename or transfer' }),
    repoId: gitHubId.optional(),
    trigger: opaqueId.optional().openapi({ description: 'deliveries whose routing considered this trigger' }),
    automation: opaqueId.optional().openapi({ description: 'deliveries whose routing considered a trigger of it' }),
    installation: z
      .string()
      .regex(/^[A-Za-z0-9-]{1,100}$/, 'must be an installation id or an account login')
      .optional()
      .openapi({ description: 'an installation id, or the login of the account it is installed on' }),
    event: z
      .string()
      .regex(/^[a-z_]{1,64}$/, 'must be an event name such as push')
      .optional(),
    action: z
      .string()
      .regex(/^[a-z_]{1,64}$/, 'must be an action name such as opened')
      .optional(),
    outcome: z.enum(OUTCOME_FILTERS).optional(),
    reason: z
      .string()
      .regex(/^[a-z_]{1,64}$/, 'must be a reason code such as repo_not_covered')
      .optional(),
    state: z.enum(DELIVERY_STATES).optional(),
    since: isoTime.optional().openapi({ description: 'received at or after' }),
    until: isoTime.optional().openapi({ description: 'received before' }),
    problems: z
      .enum(['1', '0', 'true', 'false'])
      .transform((raw) => raw === '1' || raw === 'true')
      .optional()
      .openapi({
        description: '1: only deliveries whose routing recorded a problem reason (not an expected non-match)',
      }),
    cursor: z
      .string()
      .regex(/^[1-9]\d{0,15}$/, 'must be a value returned as nextCursor')
      .transform(Number)
      .optional(),
    limit: z
      .string()
      .regex(/^\d{1,3}$/, 'must be an integer from 1 to 200')
      .transform(Number)
      .refine((n) => n >= 1 && n <= 200, 'must be an integer from 1 to 200')
      .optional(),
  })
  .openapi('DeliverySearchQuery');

export const searchQuery = z.strictObject({ q: z.string().trim().min(1).max(200) }).openapi('SearchQuery');

/**
 * A query string parsed by its schema, or a 400 `invalid_query` that names the parameter (an
 * unknown one as /api/audit does).
 */
export function parseQuery<S extends z.ZodType>(schema: S, query: unknown): z.output<S> {
  const parsed = schema.safeParse(query);
  if (parsed.success) return parsed.data;
  const [issue] = parsed.error.issues;
  if (issue?.code === 'unrecognized_keys') {
    const known = schema instanceof z.ZodObject ? Object.keys(schema.shape).join(', ') : '';
    throw new HttpError(400, 'invalid_query', `unknown filter ${issue.keys.join(', ')}; use ${known}`);
  }
  const field = issue?.path.join('.') ?? 'query';
  const message = issue?.code === 'invalid_type' ? 'must be given once, as text' : (issue?.message ?? 'is invalid');
  throw new HttpError(400, 'invalid_query', `${field}: ${message}`);
}

const deliveryItem = z
  .object({
    id: z.string(),
    event: z.string(),
    action: z.string().nullable(),
    installationId: z.number().int().nullable(),
    repoId: z.number().int().nullable(),
    repoFullName: z.string().nullable().openapi({ description: "the repo's name today, from its repo rows" }),
    state: z.enum(DELIVERY_STATES),
    attempts: z.number().int(),
    error: z.string().nullable(),
    reason: z.string().nullable(),
    receivedAt: z.string(),
    processedAt: z.string().nullable(),
    nextAttemptAt: z.string().nullable(),
    replayOf: z.string().nullable(),
    outcome: z.enum(ROUTING_OUTCOMES),
    summary: z.string(),
    traceId: z.string().nullable(),
    problem: z.boolean().openapi({ description: 'a reason of its routing is a problem, not an expected non-match' }),
    reasons: z
      .array(z.string())
      .openapi({ description: 'distinct reason codes of its routing (no_candidates when none)' }),
  })
  .openapi('DeliveryItem');

export const deliveriesPage = z
  .object({ deliveries: z.array(deliveryItem), nextCursor: z.string().nullable() })
  .openapi('DeliveriesPage');

export const SEARCH_KINDS = ['repo', 'delivery', 'trigger', 'automation', 'installation', 'trace', 'user'] as const;

export const searchAnswer = z
  .object({
    query: z.string(),
    matches: z.array(
      z.object({
        kind: z.enum(SEARCH_KINDS),
        id: z.string(),
        label: z.string(),
        detail: z.string().nullable(),
        formerName: z
          .string()
          .optional()
          .openapi({ description: 'the name typed, when the repo is called otherwise today' }),
      }),
    ),
  })
  .openapi('SearchAnswer');

export const deliveryPayloadAnswer = z
  .object({
    deliveryId: z.string(),
    event: z.string(),
    action: z.string().nullable(),
    receivedAt: z.string(),
    headers: z
      .record(z.string(), z.string())
      .openapi({ description: 'the request headers as GitHub sent them (lower-case names), without X-Hub-Signature*' }),
    payload: z.record(z.string(), z.unknown()).openapi({ description: 'the JSON body as signed' }),
  })
  .openapi('DeliveryPayload');

const errorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

export function registerInvestigationPaths(registry: OpenAPIRegistry): void {
  const json = <S extends z.ZodType>(schema: S, description: string) => ({
    description,
    content: { 'application/json': { schema } },
  });
  const refused = json(errorBody, 'invalid_query: an unknown or malformed parameter, named in the message');
  registry.registerPath({
    method: 'get',
    path: '/api/deliveries',
    summary: 'Search deliveries, newest first; every filter given must hold',
    request: { query: deliverySearchQuery },
    responses: { 200: json(deliveriesPage, 'a page of deliveries'), 400: refused },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/search',
    summary:
      'What the search box text names: repos (also by a former name), deliveries, triggers, automations, installations, users, a trace id',
    request: { query: searchQuery },
    responses: { 200: json(searchAnswer, 'the matches, most specific first'), 400: refused },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/deliveries/{deliveryId}/payload',
    summary: 'The stored payload and headers of a delivery',
    request: { params: z.object({ deliveryId: z.string() }) },
    responses: {
      200: json(deliveryPayloadAnswer, 'the payload as signed and the headers as sent'),
      404: json(errorBody, 'delivery_not_found'),
    },
  });
}

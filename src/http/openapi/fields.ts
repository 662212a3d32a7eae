import { z } from 'zod';
import type { ResponseConfig } from '@asteasolutions/zod-to-openapi';

// The fields every area's request and response schemas are built from. Their error messages are
// the API's: a refused request names the field and says what it must be (parse-request.ts puts
// the field in front). Browser-safe on purpose: the view type-checks the shapes inferred from these.

const PLATFORM_ID = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/;
const FULL_NAME = /^[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100}$/;
const EVENT_FILTER = /^[a-z_]{1,64}(\.[a-z_]{1,64})?$/;
const DIGITS = /^\d{1,16}$/;

/** Platform ids (users, automations, triggers, endpoints): 1-128 characters of a safe alphabet. */
export const platformId = z
  .string({ error: 'must be 1-128 letters, digits or . _ : @ -, starting with a letter or digit' })
  .regex(PLATFORM_ID, { error: 'must be 1-128 letters, digits or . _ : @ -, starting with a letter or digit' })
  .meta({ example: 'user-1' });

/** GitHub ids are positive integers within 53 bits (GITHUB-FACTS.md, API). */
export const githubId = z
  .number({ error: 'must be a positive integer' })
  .int({ error: 'must be a positive integer' })
  .positive({ error: 'must be a positive integer' })
  .max(Number.MAX_SAFE_INTEGER, { error: 'must be a positive integer' });

/** A GitHub id in a path or a query: digits, read as a number. */
export const githubIdText = z
  .string({ error: 'must be a positive integer' })
  .regex(DIGITS, { error: 'must be a positive integer' })
  .transform(Number)
  .refine((id) => Number.isSafeInteger(id) && id > 0, { error: 'must be a positive integer' });

export const boundedString = (max: number, pattern?: RegExp, hint?: string) => {
  const text = z
    .string({ error: `must be a string of 1-${max} characters` })
    .min(1, { error: `must be a string of 1-${max} characters` })
    .max(max, { error: `must be a string of 1-${max} characters` });
  return pattern === undefined ? text : text.regex(pattern, { error: hint ?? `must match ${pattern}` });
};

/** A repository's owner/name as GitHub spells it. */
export const repoFullName = boundedString(201, FULL_NAME, 'must be owner/name').meta({ example: 'octo-org/api' });

/** `repo=` of the lists: a repo id, or owner/name as the repo rows know it (any case). */
export const repoIdOrName = z
  .union([githubIdText, repoFullName], { error: 'must be a repo id or owner/name' })
  .meta({ description: 'a repo id, or owner/name' });

/**
 * A trigger's or an endpoint's event entry by its shape, `event` or `event.action`; that it is one
 * GitHub sends is checked against @octokit/webhooks' list when a request is parsed (validate.ts).
 */
export const eventFilter = boundedString(
  129,
  EVENT_FILTER,
  'must be an event ("push") or event.action ("pull_request.opened")',
).meta({ example: 'pull_request.opened' });

export const arrayOf = <T extends z.ZodType>(item: T, min: number, max: number) =>
  z
    .array(item, { error: `must be an array of ${min}-${max} entries` })
    .min(min, { error: `must be an array of ${min}-${max} entries` })
    .max(max, { error: `must be an array of ${min}-${max} entries` });

export const flag = z.boolean({ error: 'must be true or false' });

/** A sub-project's directory inside its repository: relative, normalised (trailing / dropped), no `..`. */
export const rootDirectory = boundedString(512)
  .transform((raw) => raw.replace(/\/+$/, ''))
  .refine(
    (raw) =>
      !raw.startsWith('/') &&
      !raw.split('/').some((s) => s === '' || s === '.' || s === '..') &&
      !/[\\\0]/.test(raw),
    { error: 'must be a relative directory such as "packages/api" (no leading /, no . or ..)' },
  )
  .meta({ example: 'packages/api' });

/** Times in answers. */
export const isoTime = z.string().meta({ format: 'date-time', example: '2026-11-25T08:00:00.000Z' });

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
/** Any JSON value (zod's own z.json() recurses without end in the document generator). */
export const jsonValue = z.unknown().meta({ description: 'any JSON value' }) as unknown as z.ZodType<Json>;

// ---- queries ---------------------------------------------------------------------------------
// A query parameter's problem reads `<name> <problem>` ("limit must be an integer from 1 to 200").

/** `?limit=`: an integer from 1 to max; the route applies its default when absent. */
export const queryLimit = (max: number) =>
  z
    .string()
    .regex(/^\d+$/, { error: `must be an integer from 1 to ${max}` })
    .transform(Number)
    .refine((limit) => limit >= 1 && limit <= max, { error: `must be an integer from 1 to ${max}` })
    .optional();

/** `?cursor=` of newest-first lists: the sequence number a previous page returned as nextCursor. */
export const seqCursor = z
  .string()
  .regex(/^[1-9]\d{0,15}$/, { error: 'must be a value returned as nextCursor' })
  .transform(Number)
  .refine(Number.isSafeInteger, { error: 'must be a value returned as nextCursor' })
  .optional();

/** `?cursor=` of lists in id order: the id a previous page returned as nextCursor. */
export const idCursor = z.string().regex(PLATFORM_ID, { error: 'must be a value returned as nextCursor' }).optional();

/** The cursor after a page in id order: its last id, when the page was full. */
export const nextIdCursor = (page: readonly { id: string }[], limit: number): string | null =>
  page.length === limit ? (page.at(-1)?.id ?? null) : null;

/** A query parameter with one of a few values. */
export const queryEnum = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `must be one of ${values.join(', ')}` }).optional();

/** A yes/no query parameter: `true`/`1` or `false`/`0`; absent is no. */
export const queryFlag = z
    .enum(['true', 'false', '1', '0'], { error: 'must be true or false' })
    .transform((raw) => raw === 'true' || raw === '1')
    .optional();

// ---- answers ---------------------------------------------------------------------------------

export const apiErrorBody = z
  .object({
    error: z.looseObject({ code: z.string(), message: z.string() }).meta({
      description: 'code and message, and for some errors what to do next (head, resumeCursor)',
    }),
  })
  .meta({ id: 'ApiError' });

const ERROR_MEANINGS: Readonly<Record<number, string>> = {
  400: 'the request is malformed: the message names the field or parameter',
  401: 'no or a wrong API token (Authorization: Bearer <API_TOKEN>)',
  404: 'the entity named in the path does not exist',
  409: 'the request conflicts with the current state: the message says how',
  410: 'what the cursor points at was pruned: the error says where to resume',
  413: 'the request body is too large',
  429: 'too many wrong API tokens from this address (Retry-After)',
  500: 'the reconciler failed to answer: see its logs',
  503: 'not ready: the message says what is missing',
};

/** Every path under /api can answer these: the token check and an unexpected failure. */
const ALWAYS = [401, 429, 500] as const;

/** The error answers of one operation, besides the ones every API path has. */
export function errorResponses(...statuses: number[]): Record<number, ResponseConfig> {
  return Object.fromEntries(
    [...new Set([...statuses, ...ALWAYS])]
      .sort((a, b) => a - b)
      .map((status) => [
        status,
        {
          description: ERROR_MEANINGS[status] ?? 'an error',
          content: { 'application/json': { schema: apiErrorBody } },
        },
      ]),
  );
}

/** A JSON answer. */
export const jsonAnswer = (description: string, schema: z.ZodType): ResponseConfig => ({
  description,
  content: { 'application/json': { schema } },
});

export const noContent: ResponseConfig = { description: 'done; no body' };

/** A count per value of an enum, every value present (z.record leaves the keys optional in the document). */
export const countsOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.object(Object.fromEntries(values.map((value) => [value, z.number()])) as { [K in T[number]]: z.ZodNumber });

/**
 * A named schema or null. `.nullable()` on a schema with an id is written as allOf of the
 * reference and a nullable object, which no null satisfies; a union is anyOf of the two.
 */
export const orNull = <T extends z.ZodType>(schema: T) => z.union([schema, z.null()]);

/** A JSON request body. */
export const jsonBody = (schema: z.ZodType) => ({
  required: true,
  content: { 'application/json': { schema } },
});

/** An ISO 8601 time as a client writes it; read back as the ISO string of that instant. */
export const timeText = z
  .string()
  .refine(isCalendarTime, { error: 'must be an ISO 8601 time such as 2026-11-25T08:00:00Z' })
  .transform((raw) => new Date(Date.parse(raw)).toISOString())
  .meta({ format: 'date-time' });

function isCalendarTime(raw: string): boolean {
  const time = Date.parse(raw);
  if (!/^\d{4}-\d{2}-\d{2}/.test(raw) || Number.isNaN(time) || time <= 0) return false;
  // Date.parse rolls 2026-02-30 over into March: the date must read back as written.
  const [year, month, day] = raw.slice(0, 10).split('-').map(Number);
  const parsed = new Date(Date.UTC(year ?? 0, (month ?? 0) - 1, day ?? 0));
  return parsed.getUTCFullYear() === year && parsed.getUTCMonth() + 1 === month && parsed.getUTCDate() === day;
}

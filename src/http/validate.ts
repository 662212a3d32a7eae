import { HttpError } from './http-error.js';

// Request input is parsed into typed values here, before anything reaches a store: no request
// object is ever used as a query (NoSQL injection), unknown fields are refused, and the error
// names the field.

type FieldParser<T> = (value: unknown, field: string) => T;

class InvalidInput extends HttpError {
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(400, 'invalid_input', `${field}: ${problem}`);
  }
}

const PLATFORM_ID = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/;

/** Platform ids (users, automations, triggers): 1-128 characters of a safe alphabet. */
export const platformId: FieldParser<string> = (value, field) => {
  if (typeof value !== 'string' || !PLATFORM_ID.test(value)) {
    throw new InvalidInput(field, 'must be 1-128 letters, digits or . _ : @ -, starting with a letter or digit');
  }
  return value;
};

/** GitHub ids are positive integers within 53 bits (GITHUB-FACTS.md, API). */
export const githubId: FieldParser<number> = (value, field) => {
  const number = typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isSafeInteger(number) || number <= 0) {
    throw new InvalidInput(field, 'must be a positive integer');
  }
  return number;
};

export const boundedString =
  (max: number, pattern?: RegExp, hint?: string): FieldParser<string> =>
  (value, field) => {
    if (typeof value !== 'string' || value.length === 0 || value.length > max) {
      throw new InvalidInput(field, `must be a string of 1-${max} characters`);
    }
    if (pattern && !pattern.test(value)) throw new InvalidInput(field, hint ?? `must match ${pattern}`);
    return value;
  };

const FULL_NAME = /^[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100}$/;

/** A repository's owner/name as GitHub spells it. */
export const repoFullName: FieldParser<string> = (value, field) =>
  boundedString(201, FULL_NAME, 'must be owner/name')(value, field);

const EVENT_FILTER = /^[a-z_]{1,64}(\.[a-z_]{1,64})?$/;

/** A trigger's or an endpoint's event entry, by its shape: `event` or `event.action`. */
export const eventFilter: FieldParser<string> = (value, field) =>
  boundedString(129, EVENT_FILTER, 'must be an event ("push") or event.action ("pull_request.opened")')(value, field);

let webhookEventNames: Promise<ReadonlySet<string>> | null = null;

/**
 * Refuses entries that are no GitHub webhook event or event.action (`pushh`), as the list
 * @octokit/webhooks ships names them. Loaded on first use: the package costs 4 MB of memory
 * that a service which never registers a trigger should not carry.
 */
export async function requireWebhookEvents(entries: readonly string[], field: string): Promise<void> {
  webhookEventNames ??= import('@octokit/webhooks').then((webhooks) => new Set(webhooks.emitterEventNames));
  const known = await webhookEventNames;
  entries.forEach((entry, index) => {
    if (!known.has(entry))
      throw new InvalidInput(`${field}[${index}]`, `"${entry}" is not a GitHub webhook event or event.action`);
  });
}

export const boolean: FieldParser<boolean> = (value, field) => {
  if (typeof value !== 'boolean') throw new InvalidInput(field, 'must be true or false');
  return value;
};

export const arrayOf =
  <T>(item: FieldParser<T>, min: number, max: number): FieldParser<T[]> =>
  (value, field) => {
    if (!Array.isArray(value) || value.length < min || value.length > max) {
      throw new InvalidInput(field, `must be an array of ${min}-${max} entries`);
    }
    return value.map((entry, i) => item(entry, `${field}[${i}]`));
  };

/** A sub-project's directory inside its repository: relative, normalised, no `..`. */
export const rootDirectory: FieldParser<string> = (value, field) => {
  const raw = boundedString(512)(value, field).replace(/\/+$/, '');
  const segments = raw.split('/');
  if (raw.startsWith('/') || segments.some((s) => s === '' || s === '.' || s === '..') || /[\\\0]/.test(raw)) {
    throw new InvalidInput(field, 'must be a relative directory such as "packages/api" (no leading /, no . or ..)');
  }
  return raw;
};

type Spec = Record<string, { parse: FieldParser<unknown>; optional?: boolean }>;
type Parsed<S extends Spec> = {
  [K in keyof S as S[K]['optional'] extends true ? never : K]: ReturnType<S[K]['parse']>;
} & {
  [K in keyof S as S[K]['optional'] extends true ? K : never]?: ReturnType<S[K]['parse']>;
};

export const required = <T>(parse: FieldParser<T>) => ({ parse });
export const optional = <T>(parse: FieldParser<T>) => ({ parse, optional: true as const });

/** Parses a JSON object body against a spec; absent or null optional fields are left out. */
export function parseBody<S extends Spec>(body: unknown, spec: S): Parsed<S> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(400, 'invalid_input', 'the body must be a JSON object (Content-Type: application/json)');
  }
  const input = body as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    if (!Object.hasOwn(spec, key)) throw new InvalidInput(key, 'is not a known field');
  }
  const result: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(spec)) {
    const value = input[key];
    if (value === undefined || value === null) {
      if (field.optional) continue;
      throw new InvalidInput(key, 'is required');
    }
    result[key] = field.parse(value, key);
  }
  return result as Parsed<S>;
}

/** Refuses a query parameter the route does not know, rather than ignoring a misspelt filter. */
export function refuseUnknownQuery(query: Record<string, unknown>, known: readonly string[]): void {
  for (const name of Object.keys(query))
    if (!known.includes(name))
      throw new HttpError(400, 'invalid_query', `unknown filter ${name}; use ${known.join(', ')}`);
}

/** A yes/no query parameter: `true`/`1` or `false`/`0`; absent is no. */
export function queryBoolean(raw: string | undefined, name: string): boolean {
  if (raw === undefined || raw === 'false' || raw === '0') return false;
  if (raw === 'true' || raw === '1') return true;
  throw new HttpError(400, 'invalid_query', `${name} must be true or false`);
}

/** `?limit=`: absent gives the fallback; otherwise an integer from 1 to max. */
export function queryLimit(raw: unknown, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  const limit = Number(raw);
  if (typeof raw !== 'string' || !/^\d+$/.test(raw) || limit < 1 || limit > max) {
    throw new HttpError(400, 'invalid_query', `limit must be an integer from 1 to ${max}`);
  }
  return limit;
}

/** A query parameter given at most once; Express turns a repeated one into an array. */
export function queryString(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new HttpError(400, 'invalid_query', `${name} must be given once`);
  return value;
}

/** `?cursor=` of newest-first lists: the sequence number a previous page returned as nextCursor. */
export function seqCursor(raw: unknown): number | undefined {
  const cursor = queryString(raw, 'cursor');
  if (cursor === undefined) return undefined;
  if (!/^[1-9]\d{0,15}$/.test(cursor) || !Number.isSafeInteger(Number(cursor)))
    throw new HttpError(400, 'invalid_query', 'cursor must be a value returned as nextCursor');
  return Number(cursor);
}

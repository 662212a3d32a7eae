import type { z } from 'zod';
import { HttpError } from '../http-error.js';

// Requests are parsed with the schemas the OpenAPI document is built from, into typed values,
// before anything reaches a store: no request object is ever used as a query (NoSQL injection),
// unknown fields are refused, and the error names the field.

type Issue = z.core.$ZodIssue;

/** `events[0]`, `filter.events[1]`: the field as the client wrote it. */
function fieldName(path: readonly PropertyKey[]): string {
  return path
    .map((key, index) => (typeof key === 'number' ? `[${key}]` : `${index === 0 ? '' : '.'}${String(key)}`))
    .join('');
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** The first problem of a refused input, as `[field, problem]`. */
function firstProblem(issue: Issue, input: unknown): [string, string] {
  if (issue.code === 'unrecognized_keys')
    return [fieldName([...issue.path, issue.keys[0] ?? '']), 'is not a known field'];
  const field = fieldName(issue.path);
  if (issue.code === 'invalid_type' && valueAt(input, issue.path) === undefined) return [field, 'is required'];
  return [field, issue.message];
}

/** A JSON object body; absent optional fields (or null where the schema allows it) stay out. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new HttpError(400, 'invalid_input', 'the body must be a JSON object (Content-Type: application/json)');
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const [field, problem] = firstProblem(parsed.error.issues[0] as Issue, body);
  throw new HttpError(400, 'invalid_input', `${field}: ${problem}`);
}

/** Path parameters: a bad one is refused like a body field. */
export function parseParams<S extends z.ZodType>(schema: S, params: unknown): z.output<S> {
  const parsed = schema.safeParse(params);
  if (parsed.success) return parsed.data;
  const [field, problem] = firstProblem(parsed.error.issues[0] as Issue, params);
  throw new HttpError(400, 'invalid_input', `${field}: ${problem}`);
}

/**
 * Query parameters (Express's simple parser: strings, and an array for a repeated one). A strict
 * schema refuses a parameter it does not know, rather than ignoring a misspelt filter.
 */
export function parseQuery<S extends z.ZodObject>(schema: S, query: unknown): z.output<S> {
  const parsed = schema.safeParse(query);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0] as Issue;
  if (issue.code === 'unrecognized_keys')
    throw new HttpError(
      400,
      'invalid_query',
      `unknown filter ${issue.keys[0] ?? ''}; use ${Object.keys(schema.shape).join(', ')}`,
    );
  const name = fieldName(issue.path);
  const value = valueAt(query, issue.path);
  const problem = Array.isArray(value)
    ? 'must be given once'
    : issue.code === 'invalid_type' && value === undefined
      ? 'is required'
      : issue.message;
  throw new HttpError(400, 'invalid_query', `${name} ${problem}`);
}

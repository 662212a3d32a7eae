import type { ApiErrorBody } from '../../api-shapes.js';
import { setStatus } from './dom.js';
import { askForToken, dropToken, readToken } from './session.js';

/** No token, or the service refused it: the token panel is showing, nothing else to say. */
export class AuthNeeded extends Error {}
/** The service answered with an error (status and code), or did not answer (status 0): its message is for the person. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status = 0,
    readonly code: string | null = null,
  ) {
    super(message);
  }
}

/** The API has no such route (a service older than this page): the feature is not there, nothing is wrong. */
export const isMissingRoute = (error: unknown): boolean =>
  error instanceof ApiError && error.status === 404 && error.code === 'not_found';

let onRefused = (): void => {};

/** What to clear when the service refuses the token (the data shown belongs to that session). */
export function whenTokenRefused(clear: () => void): void {
  onRefused = clear;
}

const errorOf = (body: unknown): { message: string; code: string } | null => {
  const error = (body as Partial<ApiErrorBody> | null)?.error;
  return error && error.message ? error : null;
};

/** Every /api call: the bearer token, JSON both ways; a 401 forgets the token and asks again. */
export async function api<T>(path: string, method = 'GET', body?: unknown): Promise<T> {
  return (await request<T>(path, method, body, null)).answer as T;
}

/**
 * A GET that sends the ETag of the answer already shown: null when the service says it has not
 * changed (304), so a poll costs the service no JSON and the page no work.
 */
export async function apiIfChanged<T>(
  path: string,
  etag: string | null,
): Promise<{ answer: T; etag: string | null } | null> {
  const answered = await request<T>(path, 'GET', undefined, etag);
  return answered.notModified ? null : { answer: answered.answer as T, etag: answered.etag };
}

async function request<T>(
  path: string,
  method: string,
  body: unknown,
  etag: string | null,
): Promise<{ answer: T | null; etag: string | null; notModified: boolean }> {
  const token = readToken();
  if (!token) {
    askForToken('');
    throw new AuthNeeded('no token');
  }
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        Accept: 'application/json',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...(etag === null ? {} : { 'If-None-Match': etag }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      cache: 'no-store',
    });
  } catch (error) {
    throw new ApiError(`the reconciler did not answer (${(error as Error).message})`);
  }
  if (response.status === 304) return { answer: null, etag, notModified: true };
  if (response.status === 401) {
    dropToken();
    onRefused();
    askForToken('The reconciler refused that token. Enter the API token again.');
    throw new AuthNeeded('refused');
  }
  const answer: unknown = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) {
    const error = errorOf(answer);
    throw new ApiError(error?.message ?? `HTTP ${response.status}`, response.status, error?.code ?? null);
  }
  return { answer: answer as T, etag: response.headers.get('ETag'), notModified: false };
}

export function report(error: unknown, statusId: string): void {
  if (error instanceof AuthNeeded) return;
  setStatus(
    statusId,
    error instanceof ApiError ? error.message : `Something went wrong: ${(error as Error).message}`,
    true,
  );
}

import type { ApiErrorBody } from '../../api-shapes.js';
import { setStatus } from './dom.js';
import { askForToken, dropToken, readToken } from './session.js';

/** No token, or the service refused it: the token panel is showing, nothing else to say. */
export class AuthNeeded extends Error {}
/** The service answered with an error, or did not answer: its message is for the person. */
class ApiError extends Error {}

let onRefused = (): void => {};

/** What to clear when the service refuses the token (the data shown belongs to that session). */
export function whenTokenRefused(clear: () => void): void {
  onRefused = clear;
}

const errorMessage = (body: unknown): string | null => {
  const error = (body as Partial<ApiErrorBody> | null)?.error;
  return error && error.message ? error.message : null;
};

/** Every /api call: the bearer token, JSON both ways; a 401 forgets the token and asks again. */
export async function api<T>(path: string, method = 'GET', body?: unknown): Promise<T> {
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
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      cache: 'no-store',
    });
  } catch (error) {
    throw new ApiError(`the reconciler did not answer (${(error as Error).message})`);
  }
  if (response.status === 401) {
    dropToken();
    onRefused();
    askForToken('The reconciler refused that token. Enter the API token again.');
    throw new AuthNeeded('refused');
  }
  const answer: unknown = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(errorMessage(answer) ?? `HTTP ${response.status}`);
  return answer as T;
}

export function report(error: unknown, statusId: string): void {
  if (error instanceof AuthNeeded) return;
  setStatus(
    statusId,
    error instanceof ApiError ? error.message : `Something went wrong: ${(error as Error).message}`,
    true,
  );
}

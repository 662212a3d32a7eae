import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { createApiClient, type ApiClient } from '../client/api-client.js';
import { devCredentialsPath, readDevCredentials } from '../dev-credentials.js';

// What the command-line tools share: finding the running service and its token, calling its
// API, and the exit codes (0 answered, 1 the service refused, 2 bad usage or no service).

export class UsageError extends Error {}

/** The service refused the request: its status and JSON error, for exit code 1. */
export class Refused extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(`${status} ${code}: ${message}`);
  }
}

/** The service could not be reached: exit code 2. */
export class Unreachable extends Error {}

export const CONNECTION_OPTIONS = {
  url: { type: 'string' },
  token: { type: 'string' },
  help: { type: 'boolean', default: false },
} as const;

export const CONNECTION_USAGE = `  --url URL      the service (default: RECONCILER_URL, else http://127.0.0.1:$PORT or :3000)
  --token TOKEN  the API token (default: API_TOKEN, else DATA_DIR/dev-credentials.json)`;

export function parseCommandLine<T extends ParseArgsConfig['options']>(options: T) {
  try {
    return parseArgs({ allowPositionals: true, options: { ...CONNECTION_OPTIONS, ...options } });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export interface ServiceClient {
  base: string;
  /** The typed API client (src/client/); `answer` turns its result into the body or an error. */
  api: ApiClient;
}

export function serviceClient(given: { url?: string | undefined; token?: string | undefined }): ServiceClient {
  const base = given.url ?? process.env.RECONCILER_URL ?? `http://127.0.0.1:${process.env.PORT ?? '3000'}`;
  const token =
    given.token ??
    process.env.API_TOKEN ??
    readDevCredentials(devCredentialsPath(resolve(process.env.DATA_DIR ?? './data')))?.apiToken;
  if (token === undefined)
    throw new UsageError(
      'no API token: pass --token, set API_TOKEN, or run from the directory whose data/ holds dev-credentials.json',
    );
  return { base, api: createApiClient({ baseUrl: base, token }) };
}

/** The body of an answered call; a refusal (exit 1) or an unreachable service (exit 2) otherwise. */
export async function answer<T>(
  client: ServiceClient,
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await call;
  } catch (error) {
    throw new Unreachable(
      `cannot reach the reconciler at ${client.base}: ${String((error as Error).cause ?? (error as Error).message)}\nstart it with npm start, or pass --url`,
    );
  }
  if (result.data !== undefined && result.response.ok) return result.data;
  const error = (result.error as { error?: { code?: string; message?: string } } | undefined)?.error;
  throw new Refused(result.response.status, error?.code ?? '', error?.message ?? JSON.stringify(result.error ?? null));
}

/** Runs a command: prints what went wrong and sets the exit code. */
export function runCommand(usage: string, main: () => Promise<void>): void {
  main().then(
    () => {
      process.exitCode = 0;
    },
    (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      process.stderr.write(`${message}\n${error instanceof UsageError ? `\n${usage}\n` : ''}`);
      process.exitCode = error instanceof Refused ? 1 : 2;
    },
  );
}

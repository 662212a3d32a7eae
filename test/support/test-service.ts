import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { ExecutionContext } from 'ava';
import { parseConfig, type Config } from '../../src/config.js';
import { startService, type RunningService, type ServiceOverrides } from '../../src/service.js';
import { createLogger } from '../../src/telemetry/logger.js';
import { checkedFetch } from './openapi-check.js';

export const TEST_SECRET = 'test-webhook-secret';
export const ROTATED_SECRET = 'next-webhook-secret';
export const TEST_TOKEN = 'test-api-token-0123456789';

export function temporaryDir(t: ExecutionContext, prefix = 'reconciler-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function testConfig(dataDir: string, env: Record<string, string> = {}): Config {
  const parsed = parseConfig(
    {
      NODE_ENV: 'test',
      PORT: '0',
      DATA_DIR: dataDir,
      API_TOKEN: TEST_TOKEN,
      GITHUB_WEBHOOK_SECRET: `${TEST_SECRET},${ROTATED_SECRET}`,
      LOG_LEVEL: 'debug',
      // Periodic jobs call GitHub on their own schedule: a test that wants them sets an interval.
      REDELIVERY_INTERVAL_SECONDS: '0',
      RESYNC_INTERVAL_SECONDS: '0',
      ...env,
    },
    () => {
      throw new Error('no files in tests');
    },
  );
  return { ...parsed, apiToken: parsed.apiToken ?? '', webhookSecrets: parsed.webhookSecrets };
}

export interface TestService extends RunningService {
  /** Every JSON log line written so far. */
  logLines(): string[];
  /** A request with the API token; its answer is checked against the OpenAPI document. */
  api(path: string, init?: RequestInit): Promise<Response>;
  /** The same without the check: for requests that probe what the API does not declare (unknown routes). */
  uncheckedApi(path: string, init?: RequestInit): Promise<Response>;
}

const withToken = (init: RequestInit): RequestInit => ({
  ...init,
  headers: { authorization: `Bearer ${TEST_TOKEN}`, ...(init.headers as Record<string, string> | undefined) },
});

/** A real service on 127.0.0.1 with its own data directory, closed when the test ends. */
export async function startTestService(
  t: ExecutionContext,
  options: { dataDir?: string; env?: Record<string, string>; overrides?: ServiceOverrides } = {},
): Promise<TestService> {
  const dataDir = options.dataDir ?? temporaryDir(t);
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      callback();
    },
  });
  const logger = createLogger({ level: 'debug', destination });
  const service = await startService(testConfig(dataDir, options.env), logger, options.overrides);
  t.teardown(() => service.close());
  return {
    ...service,
    logLines: () => [...lines],
    api: (path, init = {}) => checkedFetch(`${service.url}${path}`, withToken(init)),
    uncheckedApi: (path, init = {}) => fetch(`${service.url}${path}`, withToken(init)),
  };
}

/** Polls until `check` returns a value, failing the test after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | null | undefined | false>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== null && value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A request with a JSON body, for service.api(). */
export const json = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

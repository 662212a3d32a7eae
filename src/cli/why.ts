#!/usr/bin/env node
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { devCredentialsPath, readDevCredentials } from '../dev-credentials.js';
import { renderDiagnosis, renderStory, type DiagnosisJson, type StoryJson } from './render-why.js';

// `npm run why -- <deliveryId>` or `npm run why -- --repo owner/name --user U`: asks a running
// service the same questions as GET /api/deliveries/:id and GET /api/diagnose, and prints the
// answers. Exit 0 when answered, 1 when the service refused (e.g. unknown delivery), 2 on bad
// usage or when the service cannot be reached.

const USAGE = `usage:
  npm run why -- <deliveryId>                  the story of one delivery
  npm run why -- --repo owner/name --user U    the troubleshooting order for a repo
options:
  --url URL      the service (default: RECONCILER_URL, else http://127.0.0.1:$PORT or :3000)
  --token TOKEN  the API token (default: API_TOKEN, else DATA_DIR/dev-credentials.json)
  --json         print the API's JSON instead of text`;

class UsageError extends Error {}

function apiToken(given: string | undefined): string {
  const token =
    given ??
    process.env.API_TOKEN ??
    readDevCredentials(devCredentialsPath(resolve(process.env.DATA_DIR ?? './data')))?.apiToken;
  if (token === undefined)
    throw new UsageError(
      'no API token: pass --token, set API_TOKEN, or run from the directory whose data/ holds dev-credentials.json',
    );
  return token;
}

function parseCommandLine() {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        repo: { type: 'string' },
        user: { type: 'string' },
        url: { type: 'string' },
        token: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

async function main(): Promise<number> {
  const { values, positionals } = parseCommandLine();
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const [deliveryId, ...extra] = positionals;
  const askRepo = values.repo !== undefined || values.user !== undefined;
  if (
    extra.length > 0 ||
    (deliveryId === undefined) === !askRepo ||
    (askRepo && (values.repo === undefined || values.user === undefined))
  )
    throw new UsageError('give either a delivery id, or both --repo owner/name and --user U');
  const base = values.url ?? process.env.RECONCILER_URL ?? `http://127.0.0.1:${process.env.PORT ?? '3000'}`;
  const path = askRepo
    ? `/api/diagnose?${new URLSearchParams({ userId: values.user ?? '', repo: values.repo ?? '' }).toString()}`
    : `/api/deliveries/${encodeURIComponent(deliveryId ?? '')}`;
  const token = apiToken(values.token);
  let response: Response;
  try {
    response = await fetch(new URL(path, base), { headers: { authorization: `Bearer ${token}` } });
  } catch (error) {
    process.stderr.write(
      `cannot reach the reconciler at ${base}: ${(error as Error).cause ?? (error as Error).message}\nstart it with npm start, or pass --url\n`,
    );
    return 2;
  }
  const body = (await response.json()) as Record<string, unknown>;
  if (!response.ok) {
    const error = body.error as { code?: string; message?: string } | undefined;
    process.stderr.write(`${response.status} ${error?.code ?? ''}: ${error?.message ?? JSON.stringify(body)}\n`);
    return 1;
  }
  if (values.json) process.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
  else
    process.stdout.write(
      askRepo ? renderDiagnosis(body as unknown as DiagnosisJson) : renderStory(body as unknown as StoryJson),
    );
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `${error instanceof Error ? error.message : String(error)}\n${error instanceof UsageError ? `\n${USAGE}\n` : ''}`,
    );
    process.exitCode = 2;
  },
);

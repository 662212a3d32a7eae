import * as assert from 'node:assert/strict';
import { connect } from 'node:net';
import test from 'ava';
import fc from 'fast-check';
import { coveredRepoWorld, deliver, OCTO_API, pushPayload } from './support/github-payloads.js';
import { openSnapshotReader, type ModelSnapshot } from './support/store-snapshot.js';
import { json, startTestService, temporaryDir, TEST_TOKEN, type TestService } from './support/test-service.js';

// Hostile API input (issue 8, item 4): every /api route gets random path parameters, query
// strings, JSON bodies of random shape, malformed JSON and wrong content types. The answer is
// always a 4xx in the error shape of REQUIREMENTS.md ("HTTP contract") or a success, never a
// 5xx, and nothing the service had accepted before is lost.

interface Route {
  method: string;
  /** `:name` segments are filled with hostile values. */
  path: string;
  /** Query parameters the route knows, so that fuzzed values reach its validation. */
  query?: string[];
  /** Body fields the route knows, likewise. */
  fields?: string[];
}

const ROUTES: Route[] = [
  { method: 'GET', path: '/deliveries', query: ['state', 'outcome', 'limit', 'cursor'] },
  { method: 'GET', path: '/deliveries/:deliveryId' },
  { method: 'POST', path: '/deliveries/:deliveryId/replay' },
  {
    method: 'GET',
    path: '/audit',
    query: ['deliveryId', 'traceId', 'userId', 'repo', 'kind', 'since', 'limit', 'cursor'],
  },
  { method: 'GET', path: '/audit/verify' },
  { method: 'POST', path: '/audit/prune', fields: ['before'] },
  { method: 'GET', path: '/wakes', query: ['limit', 'cursor'] },
  { method: 'GET', path: '/summary' },
  { method: 'PUT', path: '/users/:userId', fields: ['githubUserId', 'githubLogin'] },
  { method: 'GET', path: '/users/:userId' },
  { method: 'PUT', path: '/users/:userId/installations/:installationId' },
  { method: 'DELETE', path: '/users/:userId/installations/:installationId' },
  { method: 'PUT', path: '/users/:userId/projects', fields: ['repoId', 'rootDirectory'] },
  { method: 'GET', path: '/users/:userId/projects', query: ['include', 'limit', 'cursor'] },
  { method: 'GET', path: '/users/:userId/installations' },
  { method: 'POST', path: '/users/:userId/sync', query: ['async'], fields: ['oauthToken'] },
  { method: 'GET', path: '/syncs/:syncId' },
  { method: 'PUT', path: '/automations/:id', fields: ['userId', 'installationId', 'name', 'enabled'] },
  { method: 'GET', path: '/automations/:id' },
  { method: 'DELETE', path: '/automations/:id' },
  {
    method: 'PUT',
    path: '/triggers/:id',
    fields: [
      'userId',
      'automationId',
      'installationId',
      'repoId',
      'repoFullName',
      'rootDirectory',
      'events',
      'enabled',
    ],
  },
  { method: 'GET', path: '/triggers/:id' },
  { method: 'DELETE', path: '/triggers/:id' },
  { method: 'GET', path: '/diagnose', query: ['userId', 'repo'] },
];

/** What the world holds before fuzzing; deleting routes never get these ids, so none may go missing. */
const KEPT = { userId: 'u1', installationId: '22', automationId: 'a1', triggerId: 't1' };

// Raw segments go into the URL as they are: broken escapes, dot segments, NUL.
const RAW_SEGMENTS = ['%', '%zz', '%E0%A4%A', '%00', '..', '.', '%2e%2e', '%2F', '%C0%AF', '~'];

const scalar = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom('1', '0', '-1', '9007199254740993', '1e3', '0x10', 'NaN', ' 1', '__proto__', 'constructor'),
  fc.constantFrom('x'.repeat(300), 'a/b', 'octo-org/api', '2026-02-30T00:00:00Z', 'all', '1', 'applied', 'woke'),
  fc.integer().map(String),
);

function segment(existing: boolean): fc.Arbitrary<string> {
  const known = fc.constantFrom(...Object.values(KEPT), 'u2', '7', 'nobody');
  return fc.oneof(
    scalar.map(encodeURIComponent).filter((s) => s.length > 0 && (existing || !Object.values(KEPT).includes(s))),
    fc.constantFrom(...RAW_SEGMENTS),
    existing ? known : known.filter((s) => !Object.values(KEPT).includes(s)),
  );
}

const queryString = (names: string[]): fc.Arbitrary<string> =>
  fc
    .array(fc.tuple(fc.oneof(fc.constantFrom(...names, 'x', '__proto__', 'limit[]'), fc.string()), scalar), {
      maxLength: 4,
    })
    .chain((pairs) =>
      fc.oneof(
        fc.constant(new URLSearchParams(pairs).toString()),
        fc.constant(pairs.map(([k, v]) => `${k}=${v}`).join('&')),
      ),
    );

const hostileJson = fc.oneof(fc.jsonValue({ maxDepth: 3 }), scalar, fc.constantFrom(1e308, -0, 2 ** 64, true, null));

interface HostileBody {
  body?: string;
  contentType?: string;
  contentEncoding?: string;
}

const bodyOf = (fields: string[]): fc.Arbitrary<HostileBody> =>
  fc.oneof(
    fc.constant({}),
    fc
      .dictionary(fc.oneof(fc.constantFrom(...fields, '__proto__', 'constructor'), fc.string()), hostileJson, {
        maxKeys: 5,
      })
      .map((value) => ({ body: JSON.stringify(value), contentType: 'application/json' })),
    fc.jsonValue().map((value) => ({ body: JSON.stringify(value), contentType: 'application/json' })),
    // Malformed JSON, a nesting bomb, and bodies sent with the wrong content type.
    fc.string().map((text) => ({ body: `{"${text}`, contentType: 'application/json' })),
    fc.constant({ body: '['.repeat(100_000), contentType: 'application/json' }),
    fc
      .tuple(
        fc.jsonValue().map((value) => JSON.stringify(value)),
        fc.constantFrom(
          'text/plain',
          'application/x-www-form-urlencoded',
          'application/json; charset=latin1',
          'application/json; charset=utf-16',
          'multipart/form-data; boundary=x',
          'application/*',
          '',
        ),
      )
      .map(([body, contentType]) => ({ body, contentType })),
  );

function request(route: Route): fc.Arbitrary<HostileBody & { url: string }> {
  const names = [...route.path.matchAll(/:(\w+)/g)].map((match) => match[1] ?? '');
  return fc
    .record({
      params: fc.tuple(...names.map(() => segment(route.method !== 'DELETE'))),
      query: queryString(route.query ?? ['x']),
      payload: bodyOf(route.fields ?? ['x']),
    })
    .map(({ params, query, payload }) => {
      let index = 0;
      const path = route.path.replace(/:\w+/g, () => params[index++] ?? '');
      return { url: `/api${path}${query === '' ? '' : `?${query}`}`, ...payload };
    });
}

/** What must survive: the key of every row the service held. */
const keysOf = (snapshot: ModelSnapshot): string[] => [
  ...snapshot.installations.map((row) => `installation ${String(row.id)}`),
  ...snapshot.users.map((row) => `user ${String(row.id)}`),
  ...snapshot.user_installations.map((row) => `link ${String(row.user_id)} ${String(row.installation_id)}`),
  ...snapshot.repo_rows.map(
    (row) => `repo ${String(row.user_id)} ${String(row.repo_id)} ${String(row.root_directory)}`,
  ),
  ...snapshot.automations.map((row) => `automation ${String(row.id)}`),
  ...snapshot.triggers.map((row) => `trigger ${String(row.id)}`),
];

async function hostileWorld(service: TestService): Promise<string> {
  await coveredRepoWorld(service);
  await service.api('/api/automations/a1', json('PUT', { userId: 'u1', installationId: 22, name: 'build' }));
  await service.api(
    '/api/triggers/t1',
    json('PUT', { userId: 'u1', automationId: 'a1', installationId: 22, repoId: OCTO_API.id, events: ['push'] }),
  );
  return (await deliver(service, 'push', pushPayload(OCTO_API, 22, ['src/a.ts']))).id;
}

for (const route of ROUTES) {
  test(`${route.method} /api${route.path} answers hostile input with a 4xx in the error shape, never a 5xx`, async (t) => {
    t.timeout(120_000);
    const dataDir = temporaryDir(t);
    const service = await startTestService(t, { dataDir });
    const snapshot = openSnapshotReader(t, dataDir);
    const deliveryId = await hostileWorld(service);
    const kept = keysOf(snapshot.model());
    await fc.assert(
      fc.asyncProperty(request(route), async ({ url, body, contentType, contentEncoding }) => {
        const response = await fetch(`${service.url}${url}`, {
          method: route.method,
          headers: {
            authorization: `Bearer ${TEST_TOKEN}`,
            ...(contentType !== undefined ? { 'content-type': contentType } : {}),
            ...(contentEncoding !== undefined ? { 'content-encoding': contentEncoding } : {}),
          },
          ...(body !== undefined && route.method !== 'GET' ? { body } : {}),
        });
        const text = await response.text();
        const story = `${route.method} ${url} ${contentType ?? ''} ${body?.slice(0, 200) ?? ''} → ${response.status} ${text.slice(0, 300)}`;
        assert.ok(response.status < 500, story);
        if (response.status >= 400) {
          assert.match(response.headers.get('content-type') ?? '', /^application\/json/, story);
          const answer = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
          assert.equal(typeof answer.error?.code, 'string', story);
          assert.equal(typeof answer.error?.message, 'string', story);
        }
      }),
      { numRuns: 200, endOnFailure: true },
    );
    const after = new Set(keysOf(snapshot.model()));
    t.deepEqual(
      kept.filter((key) => !after.has(key)),
      [],
      'nothing the service held is lost',
    );
    t.truthy(await service.store.getDelivery(deliveryId));
    // And it still answers a good request.
    t.is((await service.api('/api/users/u1')).status, 200);
  });
}

/** A PUT /api/users/u9 body of exactly `bytes` bytes: valid fields plus padding under an unknown one. */
const paddedBody = (bytes: number): string => {
  const frame = JSON.stringify({ githubUserId: 9, githubLogin: 'u9', pad: '' });
  return frame.replace('"pad":""', `"pad":"${'x'.repeat(bytes - frame.length)}"`);
};

const API_BODY_LIMIT_BYTES = 1024 * 1024;

for (const chunked of [false, true]) {
  test(`an /api JSON body over 1 MB is refused with 413 in the error shape (${chunked ? 'chunked' : 'declared length'})`, async (t) => {
    const service = await startTestService(t);
    const send = (body: string) =>
      service.api('/api/users/u9', {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        ...(chunked
          ? {
              body: new ReadableStream({
                start(controller) {
                  controller.enqueue(new TextEncoder().encode(body));
                  controller.close();
                },
              }),
              duplex: 'half',
            }
          : { body }),
      } as RequestInit);
    const over = await send(paddedBody(API_BODY_LIMIT_BYTES + 1));
    t.is(over.status, 413);
    t.deepEqual(((await over.json()) as { error: { code: string } }).error.code, 'payload_too_large');
    // At the limit the body is read and judged on its fields.
    const at = await send(paddedBody(API_BODY_LIMIT_BYTES));
    t.is(at.status, 400);
    t.regex(((await at.json()) as { error: { message: string } }).error.message, /^pad: is not a known field/);
    t.is((await service.api('/api/users/u9')).status, 404, 'neither request created anything');
  });
}

/** Writes raw bytes to the service and reads the answer until the server closes. */
function rawRequest(url: string, text: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(text));
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('utf8')));
    socket.once('close', () => resolve(answer));
    socket.once('error', reject);
  });
}

const RAW_REQUESTS: [string, string, number][] = [
  ['a request line over 16 KB', `GET /api/users/${'x'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`, 431],
  ['a broken request line', 'GET /api/ users x HTTP/1.1\r\nHost: x\r\n\r\n', 400],
  ['a line that is not HTTP', 'HELLO\r\n\r\n', 400],
  [
    'a Content-Length that is not a number',
    'PUT /api/users/u9 HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n',
    400,
  ],
];

for (const [what, text, status] of RAW_REQUESTS) {
  test(`${what} is refused by Node's parser with ${status} in the JSON error shape`, async (t) => {
    const service = await startTestService(t);
    const answer = await rawRequest(service.url, text);
    t.regex(answer, new RegExp(`^HTTP/1\\.1 ${status} `));
    t.regex(answer, /\r\ncontent-type: application\/json/i);
    const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as {
      error: { code: unknown; message: unknown };
    };
    t.is(typeof body.error.code, 'string');
    t.is(typeof body.error.message, 'string');
  });
}

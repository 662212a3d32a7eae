import { readFileSync } from 'node:fs';
import test from 'ava';
import { openApiDocument } from '../src/http/openapi/document.js';
import { renderContractFiles } from '../src/http/openapi/render-files.js';
import { ContractBreach, responseChecker } from './support/openapi-check.js';
import { startTestService } from './support/test-service.js';

const checker = responseChecker();
const body = (value: unknown) => async () => value;
const user = { id: 'u1', githubUserId: 1, githubLogin: 'octocat', createdAt: '2026-12-03T10:00:00.000Z', updatedAt: '2026-12-03T10:00:00.000Z' };

test('the checker passes an answer the document declares', async (t) => {
  await t.notThrowsAsync(checker.check('GET', '/api/users/u1?x=1', 200, 'application/json', body({ user })));
  await t.notThrowsAsync(
    checker.check('GET', '/api/users/u1', 404, 'application/json; charset=utf-8', body({ error: { code: 'user_not_found', message: 'no user u1' } })),
  );
  await t.notThrowsAsync(checker.check('DELETE', '/api/triggers/t1', 204, null, body(undefined)));
});

for (const [what, wrong] of [
  ['a missing field', { user: { ...user, githubLogin: undefined } }],
  ['a field of the wrong type', { user: { ...user, githubUserId: '1' } }],
  ['a time that is no time', { user: { ...user, createdAt: 'yesterday' } }],
  ['an error without a code', { error: { message: 'x' } }],
] as const) {
  test(`the checker refuses a body with ${what}`, async (t) => {
    const status = 'error' in wrong ? 404 : 200;
    const error = await t.throwsAsync(checker.check('GET', '/api/users/u1', status, 'application/json', body(wrong)), {
      instanceOf: ContractBreach,
    });
    t.regex(error.message, /does not fit the OpenAPI document/);
  });
}

test('the checker refuses a status or a path the document does not list, and a JSON answer sent as something else', async (t) => {
  await t.throwsAsync(checker.check('GET', '/api/users/u1', 418, 'application/json', body({})), {
    message: /answered 418, which the OpenAPI document does not list/,
  });
  await t.throwsAsync(checker.check('GET', '/api/nowhere', 404, 'application/json', body({})), {
    message: /is not in the OpenAPI document/,
  });
  await t.throwsAsync(checker.check('PATCH', '/api/users/u1', 200, 'application/json', body({ user })), {
    message: /is not in the OpenAPI document/,
  });
  await t.throwsAsync(checker.check('GET', '/api/users/u1', 200, 'text/html', body({ user })), { message: /not JSON/ });
});

test('the served document is the committed docs/openapi.json, and needs no token', async (t) => {
  const service = await startTestService(t);
  const response = await fetch(`${service.url}/api/openapi.json`);
  t.is(response.status, 200);
  const served: unknown = await response.json();
  const committed: unknown = JSON.parse(readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8'));
  t.deepEqual(served, committed, 'docs/openapi.json is stale: run npm run openapi');
  t.deepEqual(served, JSON.parse(JSON.stringify(openApiDocument())));
});

test('the document is OpenAPI 3.1 with every API path behind the token and each operation answering errors in the one shape', (t) => {
  const document = openApiDocument();
  t.is(document.openapi, '3.1.0');
  t.deepEqual(document.security, [{ apiToken: [] }]);
  for (const [path, item] of Object.entries(document.paths ?? {}))
    for (const [method, operation] of Object.entries(item as Record<string, { responses: Record<string, unknown>; security?: unknown[] }>)) {
      const open = operation.security !== undefined && operation.security.length === 0;
      t.is(open, !path.startsWith('/api/') || path === '/api/openapi.json', `${method} ${path}`);
      if (path.startsWith('/api/') && !open) t.truthy(operation.responses['401'], `${method} ${path} lists 401`);
    }
});

test('the committed docs/openapi.json and the client types are what npm run openapi renders now', async (t) => {
  for (const [path, text] of Object.entries(await renderContractFiles()))
    t.is(readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8'), text, `${path} is stale: run npm run openapi`);
});

import test from 'ava';
import { createApiClient } from '../src/client/api-client.js';
import { startTestService, TEST_TOKEN } from './support/test-service.js';

test('the typed client creates and reads back a user and a trigger, and hands back the JSON error of a refusal', async (t) => {
  const service = await startTestService(t);
  const seen: string[] = [];
  const api = createApiClient({
    baseUrl: service.url,
    token: TEST_TOKEN,
    fetch: (input, init) => {
      seen.push(input instanceof Request ? `${input.method} ${new URL(input.url).pathname}` : String(input));
      return fetch(input, init);
    },
  });
  const created = await api.PUT('/api/users/{userId}', {
    params: { path: { userId: 'u1' } },
    body: { githubUserId: 1, githubLogin: 'octocat' },
  });
  t.is(created.response.status, 201);
  t.is(created.data?.user.githubLogin, 'octocat');
  const trigger = await api.PUT('/api/triggers/{id}', {
    params: { path: { id: 't1' } },
    body: { userId: 'u1', installationId: 22, repoId: 7, events: ['push'] },
  });
  t.deepEqual(trigger.data?.trigger.events, ['push']);
  const listed = await api.GET('/api/triggers', { params: { query: { userId: 'u1' } } });
  t.deepEqual(listed.data?.triggers.map((x) => x.id), ['t1']);
  const missing = await api.GET('/api/users/{userId}', { params: { path: { userId: 'nobody' } } });
  t.is(missing.response.status, 404);
  t.is(missing.data, undefined);
  t.is(missing.error?.error.code, 'user_not_found');
  t.deepEqual(seen, ['PUT /api/users/u1', 'PUT /api/triggers/t1', 'GET /api/triggers', 'GET /api/users/nobody']);
});

test('the typed client sends the token: a wrong one is refused', async (t) => {
  const service = await startTestService(t);
  const api = createApiClient({ baseUrl: service.url, token: 'not-the-token' });
  const refused = await api.GET('/api/users', {});
  t.is(refused.response.status, 401);
  t.is(refused.error?.error.code, 'unauthorized');
});

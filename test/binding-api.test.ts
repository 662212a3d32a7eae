import test from 'ava';
import { repoRowFixture } from './support/fixtures.js';
import { startTestService, type TestService, json } from './support/test-service.js';

interface ErrorBody {
  error: { code: string; message: string };
}

async function withUser(service: TestService, userId = 'u1'): Promise<void> {
  const response = await service.api(`/api/users/${userId}`, json('PUT', { githubUserId: 1, githubLogin: 'octocat' }));
  if (response.status !== 201 && response.status !== 200) throw new Error(`user not created: ${response.status}`);
}

test('a user is created, updated and read back', async (t) => {
  const service = await startTestService(t);
  const created = await service.api('/api/users/u1', json('PUT', { githubUserId: 1, githubLogin: 'octocat' }));
  t.is(created.status, 201);
  const updated = await service.api('/api/users/u1', json('PUT', { githubUserId: 1, githubLogin: 'octo-cat' }));
  t.is(updated.status, 200);
  const { user } = (await (await service.api('/api/users/u1')).json()) as { user: Record<string, unknown> };
  t.like(user, { id: 'u1', githubUserId: 1, githubLogin: 'octo-cat' });
  const audit = await service.store.listAudit({ limit: 10, userId: 'u1' });
  t.deepEqual(
    audit.map((r) => [r.kind, r.decision, r.actor]),
    [
      ['user.put', 'created', 'api'],
      ['user.put', 'updated', 'api'],
    ],
  );
});

const badBodies: [string, string, unknown, string][] = [
  ['a missing field', '/api/users/u1', { githubLogin: 'octocat' }, 'githubUserId: is required'],
  [
    'a non-integer GitHub id',
    '/api/users/u1',
    { githubUserId: 1.5, githubLogin: 'octocat' },
    'githubUserId: must be a positive integer',
  ],
  [
    'a negative GitHub id',
    '/api/users/u1',
    { githubUserId: -4, githubLogin: 'octocat' },
    'githubUserId: must be a positive integer',
  ],
  [
    'an operator object as id',
    '/api/users/u1',
    { githubUserId: { $gt: 0 }, githubLogin: 'x' },
    'githubUserId: must be a positive integer',
  ],
  [
    'an unknown field',
    '/api/users/u1',
    { githubUserId: 1, githubLogin: 'octocat', admin: true },
    'admin: is not a known field',
  ],
  [
    'an operator key',
    '/api/users/u1',
    { githubUserId: 1, githubLogin: 'octocat', $where: 'x' },
    '$where: is not a known field',
  ],
  [
    'an invalid login',
    '/api/users/u1',
    { githubUserId: 1, githubLogin: 'not a login' },
    'githubLogin: must be a GitHub login',
  ],
  ['a body that is an array', '/api/users/u1', [1, 2], 'the body must be a JSON object'],
  [
    'an operator as user id',
    '/api/automations/a1',
    { userId: { $ne: null }, installationId: 1, name: 'x' },
    'userId: must be',
  ],
  [
    'a string installation id',
    '/api/automations/a1',
    { userId: 'u1', installationId: 'abc', name: 'x' },
    'installationId: must be a positive integer',
  ],
  [
    'an event that is not an event name',
    '/api/triggers/t1',
    { userId: 'u1', installationId: 1, repoId: 2, events: ['Push!'] },
    'events[0]: must be an event',
  ],
  [
    'no events',
    '/api/triggers/t1',
    { userId: 'u1', installationId: 1, repoId: 2, events: [] },
    'events: must be an array of 1-50 entries',
  ],
  [
    'a root directory escaping the repo',
    '/api/triggers/t1',
    { userId: 'u1', installationId: 1, repoId: 2, events: ['push'], rootDirectory: '../x' },
    'rootDirectory: must be a relative directory',
  ],
  [
    'an absolute root directory',
    '/api/users/u1/projects',
    { repoId: 2, rootDirectory: '/etc' },
    'rootDirectory: must be a relative directory',
  ],
  [
    'a full name without owner',
    '/api/triggers/t1',
    { userId: 'u1', installationId: 1, repoId: 2, events: ['push'], repoFullName: 'x' },
    'repoFullName: must be owner/name',
  ],
];

for (const [what, path, body, message] of badBodies) {
  test(`${what} is a 400 that names the field`, async (t) => {
    const service = await startTestService(t);
    await withUser(service);
    const auditBefore = (await service.store.listAudit({ limit: 100 })).length;
    const response = await service.api(path, json('PUT', body));
    t.is(response.status, 400);
    const error = ((await response.json()) as ErrorBody).error;
    t.is(error.code, 'invalid_input');
    t.true(error.message.startsWith(message), error.message);
    t.is((await service.store.listAudit({ limit: 100 })).length, auditBefore, 'nothing was written');
  });
}

test('an id in the path that is not a platform id is a 400', async (t) => {
  const service = await startTestService(t);
  const response = await service.api(
    `/api/users/${encodeURIComponent('{"$ne":null}')}`,
    json('PUT', { githubUserId: 1, githubLogin: 'x' }),
  );
  t.is(response.status, 400);
  t.regex(((await response.json()) as ErrorBody).error.message, /^userId: /);
});

test('installations are linked and unlinked; an unknown installation gets a row to refresh later', async (t) => {
  const service = await startTestService(t);
  t.is((await service.api('/api/users/ghost/installations/11', { method: 'PUT' })).status, 404);
  await withUser(service);
  t.is((await service.api('/api/users/u1/installations/11', { method: 'PUT' })).status, 201);
  t.is((await service.api('/api/users/u1/installations/11', { method: 'PUT' })).status, 200);
  t.deepEqual(await service.store.listLinkedInstallationIds('u1'), [11]);
  t.like(await service.store.getInstallation(11), { id: 11, accountLogin: null, deletedAt: null });
  t.is((await service.api('/api/users/u1/installations/0', { method: 'PUT' })).status, 400);
  t.is((await service.api('/api/users/u1/installations/11', { method: 'DELETE' })).status, 204);
  t.is((await service.api('/api/users/u1/installations/11', { method: 'DELETE' })).status, 404);
  t.deepEqual(await service.store.listLinkedInstallationIds('u1'), []);
});

test('automations are created, read, updated and deleted', async (t) => {
  const service = await startTestService(t);
  t.is(
    (await service.api('/api/automations/a1', json('PUT', { userId: 'nobody', installationId: 11, name: 'r' }))).status,
    404,
  );
  await withUser(service);
  const created = await service.api(
    '/api/automations/a1',
    json('PUT', { userId: 'u1', installationId: 11, name: 'review' }),
  );
  t.is(created.status, 201);
  t.like(((await created.json()) as { automation: object }).automation, {
    id: 'a1',
    installationId: 11,
    enabled: true,
  });
  t.is(
    (
      await service.api(
        '/api/automations/a1',
        json('PUT', { userId: 'u1', installationId: 22, name: 'review', enabled: false }),
      )
    ).status,
    200,
  );
  const { automation } = (await (await service.api('/api/automations/a1')).json()) as { automation: object };
  t.like(automation, { installationId: 22, enabled: false });
  t.is((await service.api('/api/automations/a1', { method: 'DELETE' })).status, 204);
  t.is((await service.api('/api/automations/a1')).status, 404);
  t.is((await service.api('/api/automations/a1', { method: 'DELETE' })).status, 404);
});

test('triggers are stored with their events, and must name an automation of the same user', async (t) => {
  const service = await startTestService(t);
  await withUser(service);
  await withUser(service, 'u2');
  await service.api('/api/automations/a2', json('PUT', { userId: 'u2', installationId: 11, name: 'theirs' }));
  const foreign = await service.api(
    '/api/triggers/t1',
    json('PUT', { userId: 'u1', automationId: 'a2', installationId: 11, repoId: 7, events: ['push'] }),
  );
  t.is(foreign.status, 400);
  t.regex(((await foreign.json()) as ErrorBody).error.message, /^automationId: /);

  await service.api('/api/automations/a1', json('PUT', { userId: 'u1', installationId: 11, name: 'mine' }));
  const created = await service.api(
    '/api/triggers/t1',
    json('PUT', {
      userId: 'u1',
      automationId: 'a1',
      installationId: 11,
      repoId: 7,
      repoFullName: 'octo-org/api',
      rootDirectory: 'packages/web/',
      events: ['push', 'pull_request.opened', 'push'],
    }),
  );
  t.is(created.status, 201);
  const { trigger } = (await (await service.api('/api/triggers/t1')).json()) as { trigger: object };
  t.like(trigger, {
    id: 't1',
    automationId: 'a1',
    installationId: 11,
    repoId: 7,
    rootDirectory: 'packages/web',
    events: ['push', 'pull_request.opened'],
    enabled: true,
  });
  t.deepEqual(
    (await service.store.listTriggersByRepoId(7)).map((x) => x.id),
    ['t1'],
  );
  t.is((await service.api('/api/triggers/t1', { method: 'DELETE' })).status, 204);
  t.is((await service.api('/api/triggers/t1')).status, 404);
});

test('a sub-project row is created under an existing base row and reads like a project', async (t) => {
  const service = await startTestService(t);
  await withUser(service);
  t.is(
    (await service.api('/api/users/u1/projects', json('PUT', { repoId: 7, rootDirectory: 'packages/api' }))).status,
    404,
  );
  const base = repoRowFixture();
  await service.store.writeRepoRows([base], []);
  const created = await service.api(
    '/api/users/u1/projects',
    json('PUT', { repoId: 7, rootDirectory: 'packages/api' }),
  );
  t.is(created.status, 201);
  t.like(((await created.json()) as { row: object }).row, {
    repoId: 7,
    rootDirectory: 'packages/api',
    fullName: 'octo-org/api',
    coverage: 'visible_only',
    installationId: null,
  });
  t.is(
    (await service.api('/api/users/u1/projects', json('PUT', { repoId: 7, rootDirectory: 'packages/api' }))).status,
    200,
  );
  t.is((await service.store.listRepoRowsByRepoId(7)).length, 2);
});

test('trigger events must be GitHub webhook events or event.action names, with the entry named', async (t) => {
  const service = await startTestService(t);
  await withUser(service);
  const put = (events: string[]) =>
    service.api('/api/triggers/t1', json('PUT', { userId: 'u1', installationId: 22, repoId: 7, events }));
  const misspelt = await put(['push', 'pushh']);
  t.is(misspelt.status, 400);
  t.is(
    ((await misspelt.json()) as ErrorBody).error.message,
    'events[1]: "pushh" is not a GitHub webhook event or event.action',
  );
  t.is((await put(['pull_request.openedd'])).status, 400);
  t.is((await put(['push', 'pull_request.opened', 'issues', 'workflow_run.completed'])).status, 201);
  t.is(await service.store.getTrigger('t2'), null);
});

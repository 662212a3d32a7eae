import test from 'ava';
import { repoByName } from '../src/domain/repo-by-name.js';
import type { TriggerJson } from '../src/http/api-shapes.js';
import { repoRowFixture } from './support/fixtures.js';
import { json, startTestService, type TestService } from './support/test-service.js';

interface ErrorBody {
  error: { code: string; message: string };
}

async function world(t: Parameters<typeof startTestService>[0]): Promise<TestService> {
  const service = await startTestService(t);
  for (const userId of ['u3', 'u1', 'u2'])
    await service.api(`/api/users/${userId}`, json('PUT', { githubUserId: 1, githubLogin: userId }));
  await service.store.writeRepoRows(
    [
      repoRowFixture({ userId: 'u1', repoId: 7, fullName: 'octo-org/api' }),
      repoRowFixture({ userId: 'u1', repoId: 7, fullName: 'octo-org/api', rootDirectory: 'packages/web' }),
      repoRowFixture({ userId: 'u1', repoId: 8, fullName: 'octo-org/docs', name: 'docs' }),
      repoRowFixture({ userId: 'u2', repoId: 9, fullName: 'octo-org/api' }),
      // u3's rows still hold the old name of repo 10 and a new repo 11 that took it.
      repoRowFixture({ userId: 'u3', repoId: 10, fullName: 'octo-org/old' }),
      repoRowFixture({ userId: 'u3', repoId: 11, fullName: 'octo-org/old' }),
    ],
    [],
  );
  return service;
}

const putTrigger = (service: TestService, id: string, body: Record<string, unknown>) =>
  service.api(`/api/triggers/${id}`, json('PUT', { installationId: 22, events: ['push'], ...body }));

async function read<T>(service: TestService, path: string): Promise<T> {
  const response = await service.api(path);
  if (response.status !== 200) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

test('a trigger registered by repoFullName alone gets the repo id of the user\'s rows, as GitHub spells the name', async (t) => {
  const service = await world(t);
  const created = await putTrigger(service, 't1', { userId: 'u1', repoFullName: 'Octo-Org/API' });
  t.is(created.status, 201);
  const { trigger } = (await created.json()) as { trigger: TriggerJson };
  t.like(trigger, { repoId: 7, repoFullName: 'octo-org/api' });
  t.like((await (await putTrigger(service, 't2', { userId: 'u2', repoFullName: 'octo-org/api' })).json()) as object, {
    trigger: { repoId: 9 },
  });
});

test('a repoFullName the user\'s rows do not know, or know as two repos, is a 409 that says what to do', async (t) => {
  const service = await world(t);
  const unknown = await putTrigger(service, 't1', { userId: 'u1', repoFullName: 'octo-org/nothing' });
  t.is(unknown.status, 409);
  const unknownError = ((await unknown.json()) as ErrorBody).error;
  t.is(unknownError.code, 'repo_unknown');
  t.regex(unknownError.message, /user u1 has no repo octo-org\/nothing: sync the user .* or give repoId/);
  const elsewhere = await putTrigger(service, 't1', { userId: 'u3', repoFullName: 'octo-org/docs' });
  t.is(elsewhere.status, 409, "another user's row does not count");
  const ambiguous = await putTrigger(service, 't1', { userId: 'u3', repoFullName: 'octo-org/old' });
  t.is(ambiguous.status, 409);
  const ambiguousError = ((await ambiguous.json()) as ErrorBody).error;
  t.is(ambiguousError.code, 'repo_ambiguous');
  t.regex(ambiguousError.message, /octo-org\/old names 2 repos .* \(ids 10, 11\); give repoId/);
  const neither = await putTrigger(service, 't1', { userId: 'u1' });
  t.is(neither.status, 400);
  t.regex(((await neither.json()) as ErrorBody).error.message, /^repoId: is required/);
  t.is(await service.store.getTrigger('t1'), null, 'nothing was stored');
});

test('repoByName: one repo of the user is found; none is unknown; two are ambiguous', (t) => {
  const rows = [repoRowFixture({ repoId: 7 }), repoRowFixture({ repoId: 7, rootDirectory: 'a' }), repoRowFixture({ userId: 'u2', repoId: 9 })];
  t.deepEqual(repoByName(rows, 'u1'), { kind: 'found', repoId: 7, fullName: 'octo-org/api' });
  t.deepEqual(repoByName(rows, 'u3'), { kind: 'unknown' });
  t.deepEqual(repoByName([...rows, repoRowFixture({ repoId: 3 })], 'u1'), { kind: 'ambiguous', repoIds: [3, 7] });
});

test('users list in id order a page at a time', async (t) => {
  const service = await world(t);
  const first = await read<{ users: { id: string }[]; nextCursor: string | null }>(service, '/api/users?limit=2');
  t.deepEqual(first.users.map((u) => u.id), ['u1', 'u2']);
  t.is(first.nextCursor, 'u2');
  const second = await read<{ users: { id: string }[]; nextCursor: string | null }>(service, `/api/users?limit=2&cursor=${first.nextCursor}`);
  t.deepEqual(second.users.map((u) => u.id), ['u3']);
  t.is(second.nextCursor, null);
});

test('triggers and automations list with filters that combine, and page', async (t) => {
  const service = await world(t);
  for (const [id, userId] of [['a1', 'u1'], ['a2', 'u2']] as const)
    await service.api(`/api/automations/${id}`, json('PUT', { userId, installationId: 22, name: id }));
  await putTrigger(service, 't1', { userId: 'u1', repoId: 7, automationId: 'a1' });
  await putTrigger(service, 't2', { userId: 'u1', repoId: 8 });
  await putTrigger(service, 't3', { userId: 'u2', repoId: 9, automationId: 'a2' });
  const ids = async (query: string) =>
    (await read<{ triggers: TriggerJson[] }>(service, `/api/triggers${query}`)).triggers.map((x) => x.id);
  t.deepEqual(await ids(''), ['t1', 't2', 't3']);
  t.deepEqual(await ids('?userId=u1'), ['t1', 't2']);
  t.deepEqual(await ids('?automationId=a1'), ['t1']);
  t.deepEqual(await ids('?repo=8'), ['t2']);
  t.deepEqual(await ids('?repo=octo-org/api'), ['t1', 't3'], "a name stands for every user's repo of that name");
  t.deepEqual(await ids('?repo=OCTO-ORG/API&userId=u2'), ['t3']);
  t.deepEqual(await ids('?repo=octo-org/nothing'), []);
  const page = await read<{ triggers: TriggerJson[]; nextCursor: string | null }>(service, '/api/triggers?limit=2');
  t.is(page.nextCursor, 't2');
  t.deepEqual(await ids(`?limit=2&cursor=${page.nextCursor}`), ['t3']);
  const automations = await read<{ automations: { id: string }[] }>(service, '/api/automations?userId=u2');
  t.deepEqual(automations.automations.map((a) => a.id), ['a2']);
});

for (const [path, problem] of [
  ['/api/triggers?colour=red', /^unknown filter colour; use userId, repo, automationId, cursor, limit$/],
  ['/api/triggers?repo=not%20a%20repo', /^repo must be /],
  ['/api/triggers?userId=u1&userId=u2', /^userId must be given once$/],
  ['/api/users?limit=0', /^limit must be an integer from 1 to 1000$/],
  ['/api/automations?cursor=%24gt', /^cursor must be a value returned as nextCursor$/],
] as const) {
  test(`a list refuses ${path} with a 400 that names the parameter`, async (t) => {
    const service = await startTestService(t);
    const response = await service.api(path);
    t.is(response.status, 400);
    const error = ((await response.json()) as ErrorBody).error;
    t.is(error.code, 'invalid_query');
    t.regex(error.message, problem);
  });
}

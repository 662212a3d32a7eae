import anyTest, { type ExecutionContext } from 'ava';
import { fakeRepos, startFakeGitHub } from './support/fake-github.js';
import { startTestService, type TestService, json } from './support/test-service.js';

// Serial: see test/support/fake-github.ts (auth-app shares in-flight tokens per installation id).
const test = anyTest.serial;

async function githubWorld(t: ExecutionContext, credentials = true) {
  const fake = await startFakeGitHub(t);
  const service = await startTestService(t, {
    env: {
      GITHUB_API_URL: fake.url,
      ...(credentials ? { GITHUB_APP_ID: String(fake.appId), GITHUB_APP_PRIVATE_KEY: fake.privateKey } : {}),
    },
  });
  await service.api('/api/users/u1', json('PUT', { githubUserId: 1, githubLogin: 'octocat' }));
  return { fake, service };
}

interface InstallationsBody {
  installations: {
    id: number;
    accountLogin: string | null;
    state: string;
    refresh: { status: string; filled: string[]; missing: string[] };
  }[];
}

const installationsOf = async (service: TestService) =>
  (await (await service.api('/api/users/u1/installations')).json()) as InstallationsBody;

test('the installations view fills missing metadata from GitHub once and persists it', async (t) => {
  const { fake, service } = await githubWorld(t);
  fake.installations.set(11, { id: 11, account: { id: 5, login: 'octo-org', type: 'Organization' }, repos: [] });
  await service.api('/api/users/u1/installations/11', { method: 'PUT' });
  const first = await installationsOf(service);
  t.like(first.installations[0], {
    id: 11,
    accountLogin: 'octo-org',
    accountType: 'Organization',
    targetType: 'Organization',
    permissions: { contents: 'read', metadata: 'read', pull_requests: 'write' },
    state: 'active',
    refresh: { status: 'refreshed', filled: ['accountLogin', 'accountType', 'targetType', 'permissions'], missing: [] },
  });
  t.like(await service.store.getInstallation(11), { accountLogin: 'octo-org', permissions: { contents: 'read' } });
  const calls = fake.requests.length;
  t.like((await installationsOf(service)).installations[0], { refresh: { status: 'complete' } });
  t.is(fake.requests.length, calls, 'a complete installation is not fetched again');
  const audit = await service.store.listAudit({ limit: 10, kind: 'installation.metadata_refreshed' });
  t.is(audit.length, 1);
  t.like(audit[0], { decision: 'filled', after: { accountLogin: 'octo-org' } });
});

test('without App credentials the installations view says what is missing and why it cannot fill it', async (t) => {
  const { service } = await githubWorld(t, false);
  await service.api('/api/users/u1/installations/11', { method: 'PUT' });
  t.like((await installationsOf(service)).installations[0], {
    accountLogin: null,
    refresh: { status: 'unavailable', missing: ['accountLogin', 'accountType', 'targetType', 'permissions'] },
  });
});

interface ProjectsBody {
  rows: { repoId: number; rootDirectory: string | null; coverage: string; installationId: number | null }[];
  installationSyncActive: boolean;
  nextCursor: string | null;
  hiddenVisibleOnly: number;
}

test('projects: covered repos lead, OAuth-only rows leave the active list but stay reachable, gone bindings are labelled', async (t) => {
  const { fake, service } = await githubWorld(t);
  fake.installations.set(11, { id: 11, account: { id: 5, login: 'o', type: 'User' }, repos: fakeRepos('o', 2, 10) });
  fake.userRepos.set('gho_u1', fakeRepos('x', 2, 1));
  await service.api('/api/users/u1/installations/11', { method: 'PUT' });
  await service.api('/api/users/u1/sync', json('POST', { oauthToken: 'gho_u1' }));
  await service.api('/api/users/u1/installations/22', { method: 'PUT' });
  await service.api('/api/users/u1/installations/22', { method: 'DELETE' });
  // Written after the unlink, which detaches what the installation covered: a row left bound to it.
  const stale = (await service.store.getRepoRow({ userId: 'u1', repoId: 2, rootDirectory: null }))!;
  await service.store.writeRepoRows([{ ...stale, installationId: 22 }], []);
  const gone = (await service.store.getInstallation(22))!;
  await service.store.upsertInstallation({ ...gone, deletedAt: '2026-01-01T00:00:00.000Z' });

  const active = (await (await service.api('/api/users/u1/projects')).json()) as ProjectsBody;
  t.true(active.installationSyncActive);
  t.deepEqual(
    active.rows.map((r) => [r.repoId, r.coverage]),
    [
      [10, 'covered'],
      [11, 'covered'],
      [2, 'bound_to_gone'],
    ],
  );
  t.is(active.hiddenVisibleOnly, 1);
  const all = (await (await service.api('/api/users/u1/projects?include=all')).json()) as ProjectsBody;
  t.deepEqual(
    all.rows.map((r) => [r.repoId, r.coverage]),
    [
      [10, 'covered'],
      [11, 'covered'],
      [2, 'bound_to_gone'],
      [1, 'visible_only'],
    ],
  );

  const paged: number[] = [];
  let cursor: string | null = null;
  do {
    const page = (await (
      await service.api(`/api/users/u1/projects?include=all&limit=1${cursor ? `&cursor=${cursor}` : ''}`)
    ).json()) as ProjectsBody;
    paged.push(...page.rows.map((r) => r.repoId));
    cursor = page.nextCursor;
  } while (cursor !== null);
  t.deepEqual(paged, [10, 11, 2, 1]);
  for (const bad of ['limit=0', 'limit=1001', 'include=some', 'cursor=nonsense']) {
    t.is((await service.api(`/api/users/u1/projects?${bad}`)).status, 400, bad);
  }
});

test('projects without installation-backed sync show every row, visible-only included', async (t) => {
  const { fake, service } = await githubWorld(t, false);
  fake.userRepos.set('gho_u1', fakeRepos('x', 2, 1));
  await service.api('/api/users/u1/sync', json('POST', { oauthToken: 'gho_u1' }));
  const body = (await (await service.api('/api/users/u1/projects')).json()) as ProjectsBody;
  t.false(body.installationSyncActive);
  t.deepEqual(
    body.rows.map((r) => [r.repoId, r.coverage, r.rootDirectory, r.installationId]),
    [
      [1, 'visible_only', null, null],
      [2, 'visible_only', null, null],
    ],
  );
});

import anyTest, { type ExecutionContext } from 'ava';
import type { RepoRow } from '../src/domain/entities.js';
import { createOctokitGitHub } from '../src/github/octokit-github.js';
import { syncInstallation } from '../src/reconcile/sync/sync-installation.js';
import { silentLogger } from '../src/telemetry/logger.js';
import { activeSpanTrace } from '../src/telemetry/tracing.js';
import type { UserSyncResult } from '../src/reconcile/sync-user.js';
import { fakeRepos, startFakeGitHub, type FakeGitHub } from './support/fake-github.js';
import { startTestService, type TestService, json } from './support/test-service.js';

// Serial: see test/support/fake-github.ts (auth-app shares in-flight tokens per installation id).
const test = anyTest.serial;

async function world(
  t: ExecutionContext,
  options: { credentials?: boolean } = {},
): Promise<{ fake: FakeGitHub; service: TestService }> {
  const fake = await startFakeGitHub(t);
  const service = await startTestService(t, {
    env: {
      GITHUB_API_URL: fake.url,
      ...(options.credentials === false
        ? {}
        : { GITHUB_APP_ID: String(fake.appId), GITHUB_APP_PRIVATE_KEY: fake.privateKey }),
    },
  });
  return { fake, service };
}

async function user(service: TestService, userId: string, installations: number[]): Promise<void> {
  await service.api(`/api/users/${userId}`, json('PUT', { githubUserId: 1, githubLogin: userId }));
  for (const id of installations) await service.api(`/api/users/${userId}/installations/${id}`, { method: 'PUT' });
}

async function sync(service: TestService, userId: string, body: object = {}): Promise<UserSyncResult> {
  const response = await service.api(`/api/users/${userId}/sync`, json('POST', body));
  if (response.status !== 200) throw new Error(`sync answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as UserSyncResult;
}

async function rows(service: TestService, userId: string): Promise<RepoRow[]> {
  return service.store.listRepoRows(userId, { limit: 10_000 });
}

test('installation sync of 2,500 repos (25 pages) covers every repo of every linked user, then detaches the ones that left', async (t) => {
  const { fake, service } = await world(t);
  fake.installations.set(11, {
    id: 11,
    account: { id: 5, login: 'octo-org', type: 'Organization' },
    repos: fakeRepos('octo-org', 2500),
  });
  await user(service, 'u1', [11]);
  await user(service, 'u2', [11]);

  const first = await sync(service, 'u1');
  t.like(first.installationSync, { available: true, reason: null });
  t.like(first.installationSync.runs[0], { status: 'completed', pages: 25, reposListed: 2500, users: ['u1', 'u2'] });
  t.like(first.counts, { created: 5000, detached: 0 });
  for (const userId of ['u1', 'u2']) {
    const all = await rows(service, userId);
    t.is(all.length, 2500);
    t.true(all.every((row) => row.installationId === 11 && row.discoveredBy === 'installation'));
  }
  t.like(await service.store.getInstallation(11), {
    accountLogin: 'octo-org',
    accountType: 'Organization',
    targetType: 'Organization',
  });

  const installation = fake.installations.get(11);
  if (installation) installation.repos = installation.repos.filter((repo) => repo.id > 100);
  const second = await sync(service, 'u2');
  t.like(second.counts, { detached: 200, unchanged: 4800, created: 0 });
  const u1 = await rows(service, 'u1');
  t.is(u1.filter((row) => row.installationId === null).length, 100);
  t.true(u1.filter((row) => row.repoId <= 100).every((row) => row.installationId === null));
  const detachAudit = await service.store.listAudit({ limit: 10_000, kind: 'sync.decision', userId: 'u1' });
  t.is(detachAudit.filter((r) => r.decision === 'detached').length, 100);
  t.true(detachAudit.every((r) => r.actor === 'sync' && r.source.type === 'sync'));
});

test('an installation nobody is linked to is refreshed without listing its repositories', async (t) => {
  const { fake, service } = await world(t);
  fake.installations.set(11, {
    id: 11,
    account: { id: 5, login: 'octo-org', type: 'Organization' },
    repos: fakeRepos('octo-org', 300),
  });
  await user(service, 'u1', [11]);
  await service.api('/api/users/u1/installations/11', { method: 'DELETE' });
  await user(service, 'u2', []);
  await service.api('/api/users/u2/installations/11', { method: 'PUT' });
  await service.api('/api/users/u2/installations/11', { method: 'DELETE' });
  const github = createOctokitGitHub({
    app: { appId: fake.appId, privateKey: fake.privateKey },
    baseUrl: fake.url,
    logger: silentLogger,
  });
  const context = {
    actor: 'sync' as const,
    source: { type: 'sync' as const, id: 's1' },
    deliveryId: null,
    traceId: null,
    now: () => new Date(),
    trace: activeSpanTrace,
  };
  const report = await syncInstallation(service.store, github, context, 11);
  t.like(report, { status: 'completed', pages: 0, users: [] });
  t.false(fake.requests.some((r) => r.path === '/installation/repositories'));
  t.like(await service.store.getInstallation(11), { accountLogin: 'octo-org' });
});

test('a 5xx on page 3 fails the sync: the pages read are kept, nothing is detached', async (t) => {
  const { fake, service } = await world(t);
  fake.installations.set(11, { id: 11, account: { id: 5, login: 'o', type: 'User' }, repos: fakeRepos('o', 300) });
  await user(service, 'u1', [11]);
  await sync(service, 'u1');
  const before = await rows(service, 'u1');
  const installation = fake.installations.get(11);
  if (installation) installation.repos = fakeRepos('o', 250);
  fake.fail({ path: /^\/installation\/repositories$/, page: 3, status: 503 });
  const failed = await sync(service, 'u1');
  t.like(failed.installationSync.runs[0], { status: 'failed', retryable: true, pages: 2, reposListed: 200 });
  t.regex(failed.installationSync.runs[0]?.message ?? '', /unavailable/);
  t.deepEqual(await rows(service, 'u1'), before);
  // The run record counts what the pages read decided, so the decision metrics see it too.
  const [record] = await service.store.listAudit({ limit: 1, kind: 'sync.installation', order: 'newest' });
  t.like(record, { decision: 'failed', after: { pages: 2, reposListed: 200, counts: { unchanged: 200 } } });
  const retried = await sync(service, 'u1');
  t.like(retried.counts, { detached: 50 });
});

test('a 403 on a page of the list is a failure, not a suspension', async (t) => {
  const { fake, service } = await world(t);
  fake.installations.set(11, { id: 11, account: { id: 5, login: 'o', type: 'User' }, repos: fakeRepos('o', 150) });
  await user(service, 'u1', [11]);
  fake.fail({ path: /^\/installation\/repositories$/, page: 2, status: 403 });
  const failed = await sync(service, 'u1');
  t.like(failed.installationSync.runs[0], { status: 'failed', retryable: false, pages: 1 });
  t.regex(failed.installationSync.runs[0]?.message ?? '', /forbidden/);
  t.is((await service.store.getInstallation(11))?.suspendedAt, null);
});

test('an installation deleted while it is listed takes its id from the rows the run had recorded', async (t) => {
  const { fake, service } = await world(t);
  fake.installations.set(11, { id: 11, account: { id: 5, login: 'o', type: 'User' }, repos: fakeRepos('o', 150) });
  await user(service, 'u1', [11]);
  fake.fail({ path: /^\/installation\/repositories$/, page: 2, status: 404 });
  const result = await sync(service, 'u1');
  t.like(result.installationSync.runs[0], { status: 'deleted', pages: 1, counts: { created: 100, detached: 100 } });
  const after = await rows(service, 'u1');
  t.is(after.length, 100);
  t.true(after.every((row) => row.installationId === null));
  t.not((await service.store.getInstallation(11))?.deletedAt, null);
});

test('a suspended installation is reported as such and detaches nothing', async (t) => {
  const { fake, service } = await world(t);
  fake.installations.set(11, { id: 11, account: { id: 5, login: 'o', type: 'User' }, repos: fakeRepos('o', 3) });
  await user(service, 'u1', [11]);
  await sync(service, 'u1');
  const installation = fake.installations.get(11);
  if (installation) {
    installation.suspended = true;
    installation.repos = [];
  }
  const result = await sync(service, 'u1');
  t.like(result.installationSync.runs[0], { status: 'suspended' });
  t.regex(result.installationSync.runs[0]?.message ?? '', /suspended/);
  t.true((await rows(service, 'u1')).every((row) => row.installationId === 11));
  t.like(await service.store.getInstallation(11), { suspendedAt: '2026-01-02T00:00:00Z', suspendedBy: 'octo-admin' });
});

test('OAuth sync adds visible-only rows, keeps stored installation ids and audits each preserved field', async (t) => {
  const { fake, service } = await world(t);
  fake.installations.set(11, { id: 11, account: { id: 5, login: 'o', type: 'User' }, repos: fakeRepos('o', 2) });
  fake.userRepos.set('gho_u1', [...fakeRepos('o', 2), ...fakeRepos('elsewhere', 3, 100)]);
  await user(service, 'u1', [11]);
  await sync(service, 'u1');
  const result = await sync(service, 'u1', { oauthToken: 'gho_u1' });
  t.like(result.oauthSync, { status: 'completed', reposListed: 5 });
  t.like(result.oauthSync?.counts, { created: 3, preserved: 2, detached: 0 });
  const all = await rows(service, 'u1');
  t.deepEqual(
    all.map((row) => [row.repoId, row.installationId, row.discoveredBy]),
    [
      [1, 11, 'installation'],
      [2, 11, 'installation'],
      [100, null, 'oauth'],
      [101, null, 'oauth'],
      [102, null, 'oauth'],
    ],
  );
  const preserved = await service.store.listAudit({ limit: 100, kind: 'sync.preserved_field' });
  t.deepEqual(
    preserved.map((r) => [r.subject.repoId, r.before, r.after]),
    [
      [1, { installationId: 11 }, { installationId: 11, offered: null }],
      [2, { installationId: 11 }, { installationId: 11, offered: null }],
    ],
  );
});

test('without App credentials, sync says why installation sync is unavailable and still runs OAuth sync', async (t) => {
  const { fake, service } = await world(t, { credentials: false });
  fake.userRepos.set('gho_u1', fakeRepos('octocat', 2));
  await user(service, 'u1', [11]);
  const result = await sync(service, 'u1', { oauthToken: 'gho_u1' });
  t.false(result.installationSync.available);
  t.regex(result.installationSync.reason ?? '', /GITHUB_APP_ID/);
  t.deepEqual(result.installationSync.runs, []);
  t.like(result.oauthSync, { status: 'completed', counts: { created: 2 } });
  const refused = await sync(service, 'u1', { oauthToken: 'gho_wrong' });
  t.like(refused.oauthSync, { status: 'failed' });
});

test('with exactly one installation, stale automation and trigger bindings are rebound to it', async (t) => {
  const { fake, service } = await world(t);
  fake.installations.set(11, { id: 11, account: { id: 5, login: 'o', type: 'User' }, repos: fakeRepos('o', 1) });
  await user(service, 'u1', [11]);
  await service.api('/api/automations/a1', json('PUT', { userId: 'u1', installationId: 22, name: 'old' }));
  await service.api(
    '/api/triggers/t1',
    json('PUT', { userId: 'u1', automationId: 'a1', installationId: 22, repoId: 1, events: ['push'] }),
  );
  await service.api('/api/triggers/t2', json('PUT', { userId: 'u1', installationId: 11, repoId: 1, events: ['push'] }));
  const result = await sync(service, 'u1');
  t.deepEqual(result.rebind, [
    {
      userId: 'u1',
      outcome: 'rebound',
      to: 11,
      entities: [
        { type: 'automation', id: 'a1', from: 22 },
        { type: 'trigger', id: 't1', from: 22 },
      ],
    },
  ]);
  t.is((await service.store.getAutomation('a1'))?.installationId, 11);
  t.is((await service.store.getTrigger('t1'))?.installationId, 11);
  const audit = await service.store.listAudit({ limit: 100, kind: 'rebind.applied' });
  t.deepEqual(
    audit.map((r) => [r.subject.automationId ?? r.subject.triggerId, r.before, r.after]),
    [
      ['a1', { installationId: 22 }, { installationId: 11 }],
      ['t1', { installationId: 22 }, { installationId: 11 }],
    ],
  );
});

test('with several installations the rebind is skipped, with the reason and the ids audited', async (t) => {
  const { fake, service } = await world(t);
  fake.installations.set(11, { id: 11, account: { id: 5, login: 'o', type: 'User' }, repos: fakeRepos('o', 1) });
  fake.installations.set(33, {
    id: 33,
    account: { id: 6, login: 'p', type: 'Organization' },
    repos: fakeRepos('p', 1, 50),
  });
  await user(service, 'u1', [11, 33]);
  await service.api('/api/triggers/t1', json('PUT', { userId: 'u1', installationId: 22, repoId: 1, events: ['push'] }));
  const result = await sync(service, 'u1');
  t.deepEqual(
    result.rebind.map((r) => (r.outcome === 'skipped' ? [r.reason, r.installationIds] : null)),
    [
      ['several_installations', [11, 33]],
      ['several_installations', [11, 33]],
    ],
  );
  t.is((await service.store.getTrigger('t1'))?.installationId, 22);
  const skipped = await service.store.listAudit({ limit: 100, kind: 'rebind.skipped' });
  t.is(skipped.length, 2);
  t.like(skipped[0], { reason: 'several_installations', decision: 'skipped', after: { installationIds: [11, 33] } });
});

test('a rename propagates to sub-project rows, which keep their root directory', async (t) => {
  const { fake, service } = await world(t);
  fake.installations.set(11, {
    id: 11,
    account: { id: 5, login: 'o', type: 'User' },
    repos: [{ id: 7, owner: 'o', name: 'mono' }],
  });
  await user(service, 'u1', [11]);
  await sync(service, 'u1');
  await service.api('/api/users/u1/projects', json('PUT', { repoId: 7, rootDirectory: 'packages/web' }));
  const installation = fake.installations.get(11);
  if (installation) installation.repos = [{ id: 7, owner: 'o', name: 'monorepo', defaultBranch: 'trunk' }];
  const result = await sync(service, 'u1');
  t.like(result.counts, { updated: 1, propagated: 1 });
  t.deepEqual(
    (await rows(service, 'u1')).map((row) => [row.rootDirectory, row.fullName, row.defaultBranch, row.installationId]),
    [
      [null, 'o/monorepo', 'trunk', 11],
      ['packages/web', 'o/monorepo', 'trunk', 11],
    ],
  );
});

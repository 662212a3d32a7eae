import anyTest from 'ava';
import { STORE_KINDS, storeEnv, testOn } from './support/mongo-server.js';
import { fakeRepos, startFakeGitHub, type FakeRepo } from './support/fake-github.js';
import {
  deliver,
  installationPayload,
  repositoryPayload,
  rowsView,
  scopePayload,
  accountRenamedPayload,
} from './support/github-payloads.js';
import { startTestService, json } from './support/test-service.js';

// The whole story through the public surface: real example payloads from
// @octokit/webhooks-examples (ids changed to this world's), signed, sent to POST /webhooks/github,
// with the fake GitHub holding the truth each resync reads.

const repoA: FakeRepo = { id: 1001, owner: 'octo-org', name: 'api' };
const repoB: FakeRepo = { id: 1002, owner: 'octo-org', name: 'web' };

// Serial: both stores' runs use installation 11 (see test/support/fake-github.ts on auth-app).
const test = anyTest.serial;

// Every scenario runs on the embedded store and on MongoDB, selected by MONGODB_URI as an operator would.
for (const storeKind of STORE_KINDS) {
  testOn(storeKind, test)(
    `${storeKind}: install, sync, rename, transfer, remove, re-add, suspend, unsuspend and delete keep the routing model true`,
    async (t) => {
      const fake = await startFakeGitHub(t);
      const service = await startTestService(t, {
        env: {
          ...(await storeEnv(t, storeKind)),
          GITHUB_API_URL: fake.url,
          GITHUB_APP_ID: String(fake.appId),
          GITHUB_APP_PRIVATE_KEY: fake.privateKey,
        },
      });
      const rows = async () => rowsView(await service.store.listRepoRows('u1', { limit: 100 }));
      fake.installations.set(11, {
        id: 11,
        account: { id: 5, login: 'octo-org', type: 'Organization' },
        repos: [repoA, repoB],
      });
      await service.api('/api/users/u1', json('PUT', { githubUserId: 1, githubLogin: 'octocat' }));
      await service.api('/api/users/u1/installations/11', { method: 'PUT' });
      await service.api(
        '/api/triggers/t1',
        json('PUT', { userId: 'u1', installationId: 99, repoId: 1001, events: ['push'] }),
      );

      // 1. install: rows covered, the stale trigger rebound to the only installation.
      const installed = await deliver(service, 'installation', installationPayload('created', 11, [repoA, repoB]));
      t.is(installed.state, 'applied', installed.reason ?? '');
      t.deepEqual(await rows(), ['octo-org/api@11', 'octo-org/web@11']);
      t.is((await service.store.getTrigger('t1'))?.installationId, 11);
      t.like(await service.store.getInstallation(11), { accountLogin: 'octo-org', deletedAt: null, suspendedAt: null });

      // 2. manual sync: nothing to change.
      const synced = (await (await service.api('/api/users/u1/sync', json('POST', {}))).json()) as {
        counts: Record<string, number>;
      };
      t.like(synced.counts, { unchanged: 2, created: 0, covered: 0, detached: 0 });
      await service.api('/api/users/u1/projects', json('PUT', { repoId: 1001, rootDirectory: 'packages/core' }));

      // 3. rename: the id stays, the full name changes on the base and the sub-project row.
      const renamedA = { ...repoA, name: 'api-v2' };
      fake.installations.get(11)!.repos = [renamedA, repoB];
      t.is((await deliver(service, 'repository', repositoryPayload('renamed', renamedA, 11))).state, 'applied');
      t.deepEqual(await rows(), ['octo-org/api-v2@11', 'octo-org/api-v2:packages/core@11', 'octo-org/web@11']);

      // 4. transfer: B moves to another owner's installation, which u1 is not linked to. The
      // installation B's row was bound to is resynced at once; its removed event changes nothing.
      const movedB = { ...repoB, owner: 'other-org' };
      fake.installations.get(11)!.repos = [renamedA];
      fake.installations.set(22, {
        id: 22,
        account: { id: 6, login: 'other-org', type: 'Organization' },
        repos: [movedB],
      });
      const transferred = await deliver(service, 'repository', repositoryPayload('transferred', movedB, 22));
      t.is(transferred.state, 'applied');
      t.regex(transferred.reason ?? '', /former installation 11: installation 11 resynced: 1 detached/);
      t.deepEqual(await rows(), ['octo-org/api-v2@11', 'octo-org/api-v2:packages/core@11', 'other-org/web@-']);
      t.is(
        (await deliver(service, 'installation_repositories', scopePayload('removed', 11, [repoB]))).state,
        'applied',
      );
      t.deepEqual(await rows(), ['octo-org/api-v2@11', 'octo-org/api-v2:packages/core@11', 'other-org/web@-']);

      // 5. removed from the installation: detached, base and sub-project.
      fake.installations.get(11)!.repos = [];
      const removed = await deliver(service, 'installation_repositories', scopePayload('removed', 11, [renamedA]));
      t.is(removed.state, 'applied');
      t.deepEqual(await rows(), ['octo-org/api-v2@-', 'octo-org/api-v2:packages/core@-', 'other-org/web@-']);

      // 6. re-added: covered again.
      fake.installations.get(11)!.repos = [renamedA];
      t.is(
        (await deliver(service, 'installation_repositories', scopePayload('added', 11, [renamedA]))).state,
        'applied',
      );
      t.deepEqual(await rows(), ['octo-org/api-v2@11', 'octo-org/api-v2:packages/core@11', 'other-org/web@-']);

      // 7. suspend: the installation says so, coverage is kept.
      fake.installations.get(11)!.suspended = true;
      t.is((await deliver(service, 'installation', installationPayload('suspend', 11))).state, 'applied');
      t.not((await service.store.getInstallation(11))?.suspendedAt, null);
      t.deepEqual(await rows(), ['octo-org/api-v2@11', 'octo-org/api-v2:packages/core@11', 'other-org/web@-']);

      // 8. unsuspend: live again, resynced.
      fake.installations.get(11)!.suspended = false;
      t.is((await deliver(service, 'installation', installationPayload('unsuspend', 11))).state, 'applied');
      t.is((await service.store.getInstallation(11))?.suspendedAt, null);

      // 9. delete: the repo's rows go; then the installation's deletion detaches what it still covered.
      fake.installations.get(11)!.repos = [];
      const deleted = await deliver(service, 'repository', repositoryPayload('deleted', renamedA, 11));
      t.is(deleted.state, 'applied');
      t.deepEqual(await rows(), ['other-org/web@-']);
      await service.store.writeRepoRows(
        [
          {
            ...(await service.store.getRepoRow({ userId: 'u1', repoId: 1002, rootDirectory: null }))!,
            installationId: 11,
          },
        ],
        [],
      );
      fake.installations.get(11)!.deleted = true;
      t.is((await deliver(service, 'installation', installationPayload('deleted', 11))).state, 'applied');
      t.deepEqual(await rows(), ['other-org/web@-']);
      t.not((await service.store.getInstallation(11))?.deletedAt, null);

      // Every step left its decisions in the audit trail, tied to its delivery.
      const audit = await service.store.listAudit({ limit: 1000 });
      const byDelivery = (id: string) => audit.filter((r) => r.deliveryId === id).map((r) => r.decision);
      t.true(byDelivery(installed.id).includes('created'));
      t.true(byDelivery(installed.id).includes('rebound'));
      t.true(byDelivery(removed.id).includes('detached'));
      t.deepEqual(
        byDelivery(deleted.id).filter((d) => d === 'deleted'),
        ['deleted', 'deleted'],
        'base and sub-project row',
      );
      t.true(audit.every((r) => r.deliveryId === null || r.actor === 'webhook' || r.actor === 'worker'));
    },
  );

  testOn(storeKind, test)(
    `${storeKind}: without App credentials the payloads still reconcile: coverage added, detached and deleted`,
    async (t) => {
      const service = await startTestService(t, { env: await storeEnv(t, storeKind) });
      await service.api('/api/users/u1', json('PUT', { githubUserId: 1, githubLogin: 'octocat' }));
      await service.api('/api/users/u1/installations/11', { method: 'PUT' });
      const rows = async () => rowsView(await service.store.listRepoRows('u1', { limit: 100 }));
      const repos = fakeRepos('octo-org', 2, 2001);
      t.is((await deliver(service, 'installation', installationPayload('created', 11, repos))).state, 'applied');
      t.deepEqual(await rows(), ['octo-org/repo-2001@11', 'octo-org/repo-2002@11']);
      t.is(
        (await deliver(service, 'installation_repositories', scopePayload('removed', 11, [repos[0]!]))).state,
        'applied',
      );
      t.deepEqual(await rows(), ['octo-org/repo-2001@-', 'octo-org/repo-2002@11']);
      t.is(
        (await deliver(service, 'repository', repositoryPayload('renamed', { ...repos[1]!, name: 'renamed' }, 11)))
          .state,
        'applied',
      );
      t.deepEqual(await rows(), ['octo-org/repo-2001@-', 'octo-org/renamed@11']);
      t.is((await deliver(service, 'installation', installationPayload('deleted', 11))).state, 'applied');
      t.deepEqual(await rows(), ['octo-org/repo-2001@-', 'octo-org/renamed@-']);
    },
  );

  testOn(storeKind, test)(
    `${storeKind}: an account rename (installation_target.renamed) rewrites the full names of its repos, ids unchanged`,
    async (t) => {
      const service = await startTestService(t, { env: await storeEnv(t, storeKind) });
      await service.api('/api/users/u1', json('PUT', { githubUserId: 1, githubLogin: 'octocat' }));
      await service.api('/api/users/u1/installations/11', { method: 'PUT' });
      const repos = fakeRepos('octo-org', 2, 4001);
      await deliver(service, 'installation', installationPayload('created', 11, repos));
      await service.api('/api/users/u1/projects', json('PUT', { repoId: 4001, rootDirectory: 'apps/site' }));
      const renamed = await deliver(
        service,
        'installation_target',
        accountRenamedPayload(11, 'octo-org', 'octo-renamed'),
      );
      t.is(renamed.state, 'applied', renamed.reason ?? '');
      t.deepEqual(rowsView(await service.store.listRepoRows('u1', { limit: 10 })), [
        'octo-renamed/repo-4001@11',
        'octo-renamed/repo-4001:apps/site@11',
        'octo-renamed/repo-4002@11',
      ]);
      t.is((await service.store.getInstallation(11))?.accountLogin, 'octo-renamed');
    },
  );
}

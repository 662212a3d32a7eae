import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import anyTest from 'ava';
import { progressLine, resultLines } from '../src/cli/render-sync.js';
import { emptyCounts } from '../src/domain/sync/decision-counts.js';
import type { SyncProgressJson, UserSyncJson } from '../src/http/api-shapes.js';
import { appWorld } from './support/app-world.js';
import { fakeRepos } from './support/fake-github.js';
import { json, TEST_TOKEN } from './support/test-service.js';

// `npm run sync -- --user U` against a running service: a progress bar, then what it decided.
// Serial: see test/support/fake-github.ts (auth-app shares in-flight tokens per installation id).
const test = anyTest.serial;

const SYNC = fileURLToPath(new URL('../src/cli/sync.js', import.meta.url));

function runSync(url: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [SYNC, '--user', 'u1', '--url', url, '--token', TEST_TOKEN],
      { env: { PATH: process.env.PATH ?? '' } },
      (error, stdout, stderr) => resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr }),
    );
  });
}

test('the progress line fills with the pages read', (t) => {
  t.is(progressLine({ pagesDone: 0, pagesTotal: 0, reposSeen: 0 }), `[${'-'.repeat(30)}] 0/0 pages  0 repos`);
  t.is(
    progressLine({ pagesDone: 1, pagesTotal: 4, reposSeen: 100 }),
    `[${'#'.repeat(8)}${'-'.repeat(22)}] 1/4 pages  100 repos`,
  );
  t.is(progressLine({ pagesDone: 12, pagesTotal: 12, reposSeen: 1150 }), `[${'#'.repeat(30)}] 12/12 pages  1150 repos`);
});

test('npm run sync draws the progress of a four-page sync and prints what it decided', async (t) => {
  const { fake, service } = await appWorld(t, fakeRepos('octo-org', 350));
  fake.pageDelayMs = 300;
  const result = await runSync(service.url);
  t.is(result.code, 0, result.stderr);
  t.regex(result.stdout, /^started sync [0-9a-f-]{36}\n/);
  t.regex(result.stdout, /completed: repos 350 created; sub-project rows no row changed\n$/);
  const bars = result.stderr.trim().split('\n');
  t.true(bars.length >= 2, `the bar moved: ${result.stderr}`);
  t.regex(bars.at(-1) ?? '', /\] 4\/4 pages {2}350 repos$/);
  const unknown = await new Promise<number>((resolve) =>
    execFile(process.execPath, [SYNC, '--user', 'nobody', '--url', service.url, '--token', TEST_TOKEN], (error) =>
      resolve(error === null ? 0 : Number(error.code)),
    ),
  );
  t.is(unknown, 1, 'an unknown user is refused by the service');
});

const finished = (result: UserSyncJson): Pick<SyncProgressJson, 'state' | 'decisions' | 'result' | 'error'> => ({
  state: 'completed',
  decisions: result.counts,
  result,
  error: null,
});

test('the sync result names what it could not sync and the rebinds it skipped, and counts repos and sub-project rows apart', (t) => {
  const result: UserSyncJson = {
    syncId: 's1',
    userId: 'u1',
    traceId: null,
    installationSync: {
      available: true,
      reason: null,
      runs: [
        {
          kind: 'installation',
          installationId: 22,
          status: 'suspended',
          message: 'installation 22 is suspended (since 2026-01-02T00:00:00Z)',
          retryable: false,
          retryAfterMs: null,
          pages: 0,
          reposListed: 0,
          counts: emptyCounts(),
          subProjectCounts: emptyCounts(),
          rebind: [],
        },
      ],
    },
    oauthSync: null,
    counts: { ...emptyCounts(), updated: 2, propagated: 3, detached: 2 },
    subProjectCounts: { ...emptyCounts(), propagated: 3, detached: 1 },
    rebind: [{ userId: 'u1', outcome: 'skipped', reason: 'several_installations', installationIds: [11, 22] }],
  };
  t.deepEqual(resultLines(finished(result)), [
    'installation 22 suspended: installation 22 is suspended (since 2026-01-02T00:00:00Z)',
    "rebind skipped (several_installations): user u1's current installations: 11, 22",
    'completed: repos 2 updated, 1 detached; sub-project rows 1 detached, 3 propagated',
  ]);
  const none = {
    ...result,
    installationSync: { available: true, reason: 'user u1 has no linked installation', runs: [] },
  };
  t.is(resultLines(finished(none))[0], 'installation-backed sync: user u1 has no linked installation');
  t.deepEqual(resultLines({ state: 'failed', decisions: emptyCounts(), result: null, error: 'boom' }), [
    'failed: no row changed (boom)',
  ]);
});

test('npm run sync prints a suspended installation, the skipped rebind and sub-project rows apart', async (t) => {
  const repos = fakeRepos('octo-org', 2);
  const { fake, service } = await appWorld(t, repos);
  fake.installations.set(22, {
    id: 22,
    account: { id: 6, login: 'octo-labs', type: 'Organization' },
    repos: [],
    suspended: true,
  });
  await service.api('/api/users/u1/installations/22', { method: 'PUT' });
  await service.api('/api/users/u1/sync', json('POST', {}));
  await service.api('/api/users/u1/projects', json('PUT', { repoId: 1, rootDirectory: 'web' }));
  fake.installations.get(11)!.repos = [{ ...repos[0]!, name: 'renamed' }, repos[1]!];
  const result = await runSync(service.url);
  t.is(result.code, 0, result.stderr);
  const lines = result.stdout.trim().split('\n').slice(1);
  t.deepEqual(lines, [
    'installation 22 suspended: installation 22 is suspended (since 2026-01-02T00:00:00Z); its coverage is kept and nothing is detached',
    "rebind skipped (several_installations): user u1's current installations: 11, 22",
    'completed: repos 1 updated, 1 unchanged; sub-project rows 1 propagated',
  ]);
});

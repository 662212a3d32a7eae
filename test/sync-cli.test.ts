import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import anyTest from 'ava';
import { progressLine } from '../src/cli/render-sync.js';
import { appWorld } from './support/app-world.js';
import { fakeRepos } from './support/fake-github.js';
import { TEST_TOKEN } from './support/test-service.js';

// `npm run sync -- --user U` against a running service: a progress bar, then what it decided.
// Serial: see test/support/fake-github.ts (auth-app shares in-flight tokens per installation id).
const test = anyTest.serial;

const SYNC = fileURLToPath(new URL('../src/cli/sync.js', import.meta.url));

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
  const result = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [SYNC, '--user', 'u1', '--url', service.url, '--token', TEST_TOKEN],
      { env: { PATH: process.env.PATH ?? '' } },
      (error, stdout, stderr) => resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr }),
    );
  });
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

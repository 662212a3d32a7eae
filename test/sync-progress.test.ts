import anyTest from 'ava';
import type { SyncProgress } from '../src/reconcile/sync-runs.js';
import { appWorld } from './support/app-world.js';
import { fakeRepos } from './support/fake-github.js';
import { json } from './support/test-service.js';

// Long syncs show progress: ?async=1 answers at once, GET /api/syncs/:id follows the pages.
// Serial: see test/support/fake-github.ts (auth-app shares in-flight tokens per installation id).
const test = anyTest.serial;

test('an async sync of four pages is followed through its progress to its result, and a second request joins it', async (t) => {
  const { fake, service } = await appWorld(t, fakeRepos('octo-org', 350));
  fake.pageDelayMs = 150;

  const started = await service.api('/api/users/u1/sync?async=1', json('POST', {}));
  t.is(started.status, 202);
  const { syncId, joined } = (await started.json()) as { syncId: string; joined: boolean };
  t.false(joined);
  const again = (await (await service.api('/api/users/u1/sync?async=1', json('POST', {}))).json()) as {
    syncId: string;
    joined: boolean;
  };
  t.deepEqual(again, { ...again, syncId, joined: true }, 'one sync per user: the second request joins');

  const seen: SyncProgress[] = [];
  for (;;) {
    const progress = (await (await service.api(`/api/syncs/${syncId}`)).json()) as SyncProgress;
    seen.push(progress);
    if (progress.state !== 'running') break;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  t.true(
    seen.some((p) => p.state === 'running' && p.pagesDone > 0 && p.pagesDone < p.pagesTotal && p.pagesTotal === 4),
    `a running state part-way: ${JSON.stringify(seen.map((p) => [p.state, p.pagesDone, p.pagesTotal]))}`,
  );
  const done = seen.at(-1);
  t.like(done, {
    state: 'completed',
    pagesDone: 4,
    pagesTotal: 4,
    reposSeen: 350,
    decisions: { created: 350 },
    error: null,
  });
  t.like(done?.result, { syncId, counts: { created: 350 } });
  t.not(done?.finishedAt, null);

  // The list of this replica's syncs names it, finished, without its (large) result.
  const listed = (await (await service.api('/api/syncs')).json()) as { syncs: Record<string, unknown>[] };
  t.deepEqual(
    listed.syncs.map((sync) => [sync.syncId, sync.userId, sync.state, 'result' in sync]),
    [[syncId, 'u1', 'completed', false]],
  );
  t.is((await service.api('/api/syncs?limit=0')).status, 400);

  t.is((await service.api('/api/syncs/nope')).status, 404);
  t.is((await service.api('/api/users/u1/sync?async=maybe', json('POST', {}))).status, 400);
});

import anyTest from 'ava';
import type { RedeliverySweep } from '../src/periodic/service-jobs.js';
import { startFakeGitHub } from './support/fake-github.js';
import { storeEnv, testOn } from './support/mongo-server.js';
import { eventually, startTestService, type TestService } from './support/test-service.js';

const test = testOn('mongodb', anyTest);

// Leadership for periodic work (issue 8): service instances sharing one MongoDB database never run
// the same periodic job at once, and whichever survives takes the job over when the leader stops.

interface Run {
  instance: string;
  start: number;
  end: number;
}

test('service instances on one MongoDB store never run the redelivery sweep at once, and each takes over when the other stops', async (t) => {
  const fake = await startFakeGitHub(t);
  const env = {
    ...(await storeEnv(t, 'mongodb')),
    GITHUB_API_URL: fake.url,
    GITHUB_APP_ID: String(fake.appId),
    GITHUB_APP_PRIVATE_KEY: fake.privateKey,
    REDELIVERY_INTERVAL_SECONDS: '1',
    RESYNC_INTERVAL_SECONDS: '0',
  };
  const runs: Run[] = [];
  // The sweep stands in for the real one: it records who ran it and when, and takes a while.
  const sweep =
    (instance: string): RedeliverySweep =>
    async () => {
      const start = performance.now();
      await new Promise((resolve) => setTimeout(resolve, 300));
      runs.push({ instance, start, end: performance.now() });
      return { instance };
    };
  const start = (instance: string): Promise<TestService> =>
    startTestService(t, { env, overrides: { sweepRedeliveries: sweep(instance), periodicLeaseMs: 3_000 } });
  const runsOf = (instance: string) => runs.filter((run) => run.instance === instance).length;

  const services = new Map<string, TestService>([
    ['a', await start('a')],
    ['b', await start('b')],
  ]);
  await eventually(async () => runs.length >= 3, 20_000);
  const leader = runs[0]?.instance ?? '';
  t.is(new Set(runs.map((run) => run.instance)).size, 1, 'only the leader sweeps');
  const follower = leader === 'a' ? 'b' : 'a';

  // The leader stops: the other instance takes the sweep over.
  await services.get(leader)?.close();
  await eventually(async () => runsOf(follower) >= 2, 20_000);
  // A new instance joins, the second leader stops, and the newcomer takes over in turn.
  services.set('c', await start('c'));
  await services.get(follower)?.close();
  await eventually(async () => runsOf('c') >= 2, 20_000);

  const overlapping = runs.flatMap((x, i) =>
    runs
      .slice(i + 1)
      .filter((y) => x.start < y.end && y.start < x.end)
      .map((y) => [x, y]),
  );
  t.deepEqual(overlapping, [], 'no two sweeps overlap');
  const store = services.get('c')?.store;
  const records = (await store?.listAudit({ limit: 200, kind: 'periodic.redelivery' })) ?? [];
  t.true(records.length >= runs.length - 1, 'every sweep is on record');
  t.deepEqual(
    new Set(records.map((record) => (record.after as { report: { instance: string } | null }).report?.instance)),
    new Set([leader, follower, 'c']),
  );
});

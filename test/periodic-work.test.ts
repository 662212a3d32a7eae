import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { openMongoStore } from '../src/store/mongo/mongo-store.js';
import { jitteredInterval, startPeriodicWork, type PeriodicJob } from '../src/periodic/periodic-work.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import type { Store } from '../src/store/store.js';
import { silentLogger } from '../src/telemetry/logger.js';
import { STORE_KINDS, storeEnv, testOn, type StoreKind } from './support/mongo-server.js';
import { eventually, temporaryDir } from './support/test-service.js';

// The scheduler of periodic work: a job runs only in the process holding its lease, one run at a
// time, failures are audited and do not stop it, and stopping hands the lease on.

function openStore(t: ExecutionContext): Store {
  const store = openSqliteStore({ path: join(temporaryDir(t), 'periodic.sqlite') });
  t.teardown(() => store.close());
  return store;
}

interface RunLog {
  holder: string;
  start: number;
  end: number;
}

/** A job that records who ran it and when, taking `ms` per run. */
function recordingJob(runs: RunLog[], holder: string, overrides: Partial<PeriodicJob> = {}, ms = 30): PeriodicJob {
  return {
    name: 'probe',
    actor: 'periodic',
    intervalMs: 40,
    jitterRatio: 0.5,
    runAtStart: true,
    async run({ signal }) {
      const start = performance.now();
      await new Promise((resolve) => setTimeout(resolve, ms));
      runs.push({ holder, start, end: performance.now() });
      return { aborted: signal.aborted };
    },
    ...overrides,
  };
}

// Long enough that a busy test machine never lets a lease lapse between renewals (every third of it).
/** A job 'long' that runs at start and until it is asked to stop. */
function untilAborted(): { job: PeriodicJob; readonly started: boolean } {
  let started = false;
  return {
    job: {
      name: 'long',
      actor: 'periodic',
      intervalMs: 60_000,
      jitterRatio: 0,
      runAtStart: true,
      async run({ signal }) {
        started = true;
        await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
        return { sawAbort: signal.aborted };
      },
    },
    get started() {
      return started;
    },
  };
}

const start = (t: ExecutionContext, store: Store, holder: string, jobs: PeriodicJob[]) => {
  const work = startPeriodicWork({ store, holder, leaseMs: 3_000, logger: silentLogger, now: () => new Date() }, jobs);
  t.teardown(() => work.stop());
  return work;
};

const overlapping = (runs: RunLog[]): RunLog[][] =>
  runs.flatMap((a, i) =>
    runs
      .slice(i + 1)
      .filter((b) => a.start < b.end && b.start < a.end)
      .map((b) => [a, b]),
  );

test('the wait before a run is the interval moved by at most the jitter share either way', (t) => {
  const cases: [number, number, number, number][] = [
    // interval, jitter ratio, random draw, expected wait
    [1000, 0.2, 0, 800],
    [1000, 0.2, 0.5, 1000],
    [1000, 0.2, 1, 1200],
    [1000, 0, 0.9, 1000],
    [21_600_000, 0.2, 0.25, 19_440_000],
  ];
  for (const [interval, ratio, random, expected] of cases)
    t.is(jitteredInterval(interval, ratio, random), expected, `${interval} ±${ratio} at ${random}`);
});

test('of two schedulers on one store only the lease holder runs a job, never twice at once, and the other takes over when it stops', async (t) => {
  const store = openStore(t);
  const runs: RunLog[] = [];
  const a = start(t, store, 'a', [recordingJob(runs, 'a')]);
  const b = start(t, store, 'b', [recordingJob(runs, 'b')]);
  await eventually(async () => runs.length >= 4, 10_000);
  const first = runs[0]?.holder ?? '';
  t.true(
    runs.every((run) => run.holder === first),
    'only the leader runs',
  );
  const [leader, follower] = first === 'a' ? [a, 'b'] : [b, 'a'];
  await leader.stop();
  t.deepEqual(await store.getLease('periodic:probe'), null, 'a stopping leader releases its lease');
  await eventually(async () => runs.filter((run) => run.holder === follower).length >= 3, 10_000);
  t.deepEqual(overlapping(runs), [], 'no two runs overlap');
  const records = await store.listAudit({ limit: 100, kind: 'periodic.probe' });
  t.true(records.length >= 4);
  t.true(
    records.every(
      (record) => ['completed', 'interrupted'].includes(record.decision) && record.source.type === 'periodic',
    ),
  );
  t.deepEqual(new Set(records.map((record) => (record.after as { holder: string }).holder)), new Set(['a', 'b']));
});

test('a failing job is logged and audited as failed and runs again at its next time', async (t) => {
  const store = openStore(t);
  let calls = 0;
  start(t, store, 'a', [
    {
      name: 'flaky',
      actor: 'periodic',
      intervalMs: 20,
      jitterRatio: 0,
      runAtStart: true,
      async run() {
        calls += 1;
        if (calls === 1) throw new Error('GitHub was down');
        return { calls };
      },
    },
  ]);
  const records = await eventually(async () => {
    const found = await store.listAudit({ limit: 10, kind: 'periodic.flaky' });
    return found.length >= 2 ? found : null;
  });
  t.like(records[0], { decision: 'failed', reason: 'GitHub was down', actor: 'periodic' });
  t.like(records[1], { decision: 'completed', reason: null, after: { report: { calls: 2 } } });
});

test('stopping asks a running job to end, waits for it, records it as interrupted and releases the lease', async (t) => {
  const store = openStore(t);
  const long = untilAborted();
  const work = start(t, store, 'a', [long.job]);
  await eventually(async () => long.started);
  await work.stop();
  const [record] = await store.listAudit({ limit: 10, kind: 'periodic.long' });
  t.like(record, { decision: 'interrupted', reason: 'the service is stopping', after: { report: { sawAbort: true } } });
  t.is(await store.getLease('periodic:long'), null);
});

test('a job with interval 0 is off, and a job not run at start waits for its interval', async (t) => {
  const store = openStore(t);
  const runs: RunLog[] = [];
  start(t, store, 'a', [
    recordingJob(runs, 'a', { name: 'off', intervalMs: 0 }),
    recordingJob(runs, 'a', { name: 'later', intervalMs: 3_600_000, runAtStart: false }),
  ]);
  // The 'later' job is led (its lease taken) but not due for an hour.
  await eventually(async () => (await store.getLease('periodic:later'))?.holder === 'a');
  t.is(await store.getLease('periodic:off'), null);
  t.deepEqual(runs, []);
});

test('a leader whose lease cannot be renewed stops leading and asks its run in hand to stop', async (t) => {
  const store = openStore(t);
  let storeAnswers = true;
  // The store stops answering lease renewals (an outage, or another replica took the lease).
  const flaky: Store = {
    ...store,
    acquireLease: (...args) =>
      storeAnswers ? store.acquireLease(...args) : Promise.reject(new Error('store unreachable')),
  };
  const long = untilAborted();
  start(t, flaky, 'a', [long.job]);
  await eventually(async () => long.started);
  storeAnswers = false;
  const [record] = await eventually(async () => {
    const found = await store.listAudit({ limit: 10, kind: 'periodic.long' });
    return found.length > 0 ? found : null;
  });
  t.like(record, { decision: 'interrupted', reason: 'this process lost the lease' });
});

async function openStoreOf(t: ExecutionContext, kind: StoreKind): Promise<Store> {
  if (kind === 'sqlite') return openStore(t);
  const env = await storeEnv(t, kind);
  const store = await openMongoStore({ uri: env.MONGODB_URI ?? '', database: env.MONGODB_DB ?? '' });
  t.teardown(() => store.close());
  return store;
}

for (const kind of STORE_KINDS)
  testOn(kind, test)(
    `${kind}: a replica whose clock runs an hour ahead does not take a lease that is current by the database's time`,
    async (t) => {
      const store = await openStoreOf(t, kind);
      const runs: RunLog[] = [];
      const schedule = (holder: string, skewMs: number) => {
        const work = startPeriodicWork(
          { store, holder, leaseMs: 1_500, logger: silentLogger, now: () => new Date(Date.now() + skewMs) },
          [recordingJob(runs, holder)],
        );
        t.teardown(() => work.stop());
      };
      schedule('on-time', 0);
      await eventually(async () => (await store.getLease('periodic:probe'))?.holder === 'on-time');
      schedule('ahead', 3_600_000);
      // Five of the skewed replica's lease checks (every third of the lease).
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      t.is((await store.getLease('periodic:probe'))?.holder, 'on-time');
      t.deepEqual(
        runs.filter((run) => run.holder === 'ahead'),
        [],
        'the skewed replica never led',
      );
      t.deepEqual(overlapping(runs), []);
    },
  );

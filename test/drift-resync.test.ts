import { join } from 'node:path';
import { Writable } from 'node:stream';
import test, { type ExecutionContext } from 'ava';
import type { AuditRecord } from '../src/domain/audit/index.js';
import { sparseInstallation } from '../src/domain/entities.js';
import { createOctokitGitHub } from '../src/github/octokit-github.js';
import { resyncInstallations } from '../src/reconcile/resync-installations.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import type { Store } from '../src/store/store.js';
import { createLogger } from '../src/telemetry/logger.js';
import { fakeRepos, startFakeGitHub, type FakeGitHub, type FakeRepo } from './support/fake-github.js';
import { eventually, json, startTestService, temporaryDir } from './support/test-service.js';

// Drift resync (issue 8): a change made on GitHub without a webhook is found and repaired by the
// periodic resync, audited as drift and counted; rate limits slow it down and it still completes.
// Serial: every test mints tokens for installation 11 (see fake-github.ts).

const API: FakeRepo = { id: 1, owner: 'octo-org', name: 'api' };
const WEB: FakeRepo = { id: 2, owner: 'octo-org', name: 'web' };
const DOCS: FakeRepo = { id: 3, owner: 'octo-org', name: 'docs' };

const appEnv = (fake: FakeGitHub) => ({
  GITHUB_API_URL: fake.url,
  GITHUB_APP_ID: String(fake.appId),
  GITHUB_APP_PRIVATE_KEY: fake.privateKey,
});

const driftMetric = async (url: string): Promise<Record<string, number>> => {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Object.fromEntries(
    [...text.matchAll(/^reconciler_drift_repairs_total\{decision="(\w+)"\} (\d+)$/gm)].map((m) => [m[1], Number(m[2])]),
  );
};

test.serial(
  'drift resync repairs a repo added, removed and renamed on GitHub without a webhook, audits it as drift and counts it',
  async (t) => {
    const fake = await startFakeGitHub(t);
    fake.installations.set(11, {
      id: 11,
      account: { id: 5, login: 'octo-org', type: 'Organization' },
      repos: [API, WEB],
    });
    const dataDir = temporaryDir(t);
    // The world as webhooks and a sync left it, with the resync off.
    const first = await startTestService(t, { dataDir, env: { ...appEnv(fake), RESYNC_INTERVAL_SECONDS: '0' } });
    await first.api('/api/users/u1', json('PUT', { githubUserId: 1, githubLogin: 'u1' }));
    await first.api('/api/users/u1/installations/11', { method: 'PUT' });
    t.is((await first.api('/api/users/u1/sync', json('POST', {}))).status, 200);
    await first.close();

    // On GitHub, with no webhook: docs added to the installation, web removed from it, api renamed.
    fake.installations.set(11, {
      id: 11,
      account: { id: 5, login: 'octo-org', type: 'Organization' },
      repos: [{ ...API, name: 'api-v2' }, DOCS],
    });
    const service = await startTestService(t, { dataDir, env: { ...appEnv(fake), RESYNC_INTERVAL_SECONDS: '1' } });
    t.deepEqual(await driftMetric(service.url), {
      created: 0,
      updated: 0,
      covered: 0,
      detached: 0,
      propagated: 0,
      rebound: 0,
    });
    const runs = async (): Promise<AuditRecord[]> => service.store.listAudit({ limit: 10, kind: 'periodic.resync' });
    const [run] = await eventually(async () => ((await runs()).length >= 1 ? runs() : null), 15_000);

    const repairs = await service.store.listAudit({ limit: 50, kind: 'sync.decision', order: 'oldest' });
    const byResync = repairs.filter((record) => record.actor === 'resync');
    t.deepEqual(byResync.map((record) => [record.subject.repoId, record.decision]).sort(), [
      [1, 'updated'],
      [2, 'detached'],
      [3, 'created'],
    ]);
    t.true(byResync.every((record) => record.source.type === 'periodic' && record.source.id === run?.source.id));
    t.like(await service.store.getRepoRow({ userId: 'u1', repoId: 1, rootDirectory: null }), {
      fullName: 'octo-org/api-v2',
      installationId: 11,
    });
    t.like(await service.store.getRepoRow({ userId: 'u1', repoId: 2, rootDirectory: null }), { installationId: null });
    t.like(run, {
      actor: 'resync',
      decision: 'completed',
      after: {
        report: {
          installations: [{ installationId: 11, status: 'completed', drift: { updated: 1, detached: 1, created: 1 } }],
          skipped: [],
          drift: { updated: 1, detached: 1, created: 1 },
          rateLimitWaits: [],
        },
      },
    });
    t.like(await driftMetric(service.url), { created: 1, updated: 1, detached: 1, covered: 0, rebound: 0 });

    // The next run finds GitHub and the store agreeing: no drift, nothing more counted.
    const [, second] = await eventually(async () => ((await runs()).length >= 2 ? runs() : null), 15_000);
    t.like(second, { decision: 'completed', after: { report: { drift: {} } } });
    t.like(await driftMetric(service.url), { created: 1, updated: 1, detached: 1 });
  },
);

/** A store holding u1 linked to installations 11 and 12, and installations 13 (deleted) and 14 (suspended). */
async function resyncWorld(t: ExecutionContext): Promise<{ fake: FakeGitHub; store: Store }> {
  const fake = await startFakeGitHub(t);
  const account = (login: string) => ({ id: 5, login, type: 'Organization' as const });
  fake.installations.set(11, { id: 11, account: account('octo-org'), repos: fakeRepos('octo-org', 150, 1) });
  fake.installations.set(12, { id: 12, account: account('octo-two'), repos: fakeRepos('octo-two', 3, 500) });
  const store = openSqliteStore({ path: join(temporaryDir(t), 'resync.sqlite') });
  t.teardown(() => store.close());
  const at = new Date().toISOString();
  await store.upsertUser({ id: 'u1', githubUserId: 1, githubLogin: 'u1', createdAt: at, updatedAt: at }, []);
  for (const id of [11, 12]) {
    await store.upsertInstallation(sparseInstallation(id, at));
    await store.linkInstallation('u1', id, at, []);
  }
  await store.upsertInstallation({ ...sparseInstallation(13, at), deletedAt: at });
  await store.upsertInstallation({ ...sparseInstallation(14, at), suspendedAt: at });
  return { fake, store };
}

function resync(fake: FakeGitHub, store: Store, maxRateLimitWaitMs: number, quotaReserve = 0) {
  const lines: string[] = [];
  const logger = createLogger({
    level: 'debug',
    destination: new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        callback();
      },
    }),
  });
  const waits: number[] = [];
  const github = createOctokitGitHub({
    app: { appId: fake.appId, privateKey: fake.privateKey },
    baseUrl: fake.url,
    logger,
  });
  const report = resyncInstallations(
    {
      store,
      github,
      now: () => new Date(),
      logger,
      // The waits asked for are recorded, not made.
      sleep: async (ms) => void waits.push(ms),
      maxRateLimitWaitMs,
      quotaReserve,
    },
    { runId: 'run-1', signal: new AbortController().signal },
  );
  return { report, waits, lines };
}

test.serial(
  'primary and secondary rate limits slow the resync down by what GitHub asks, and it still completes',
  async (t) => {
    const { fake, store } = await resyncWorld(t);
    fake.rateLimit({ kind: 'secondary', path: /^\/app\/installations\/11$/, retryAfterSeconds: 7 });
    fake.rateLimit({ kind: 'primary', path: /^\/installation\/repositories$/, page: 2, resetInSeconds: 30 });
    fake.rateLimit({
      kind: 'secondary',
      status: 429,
      path: /^\/app\/installations\/12\/access_tokens$/,
      retryAfterSeconds: 3,
    });
    const { report, waits, lines } = resync(fake, store, 10 * 60_000);
    const done = await report;

    t.is(waits.length, 3);
    t.is(waits[0], 7_000, 'Retry-After of the secondary limit');
    t.true((waits[1] ?? 0) > 27_000 && (waits[1] ?? 0) <= 30_000, `until the primary limit resets (${waits[1]} ms)`);
    t.is(waits[2], 3_000, 'Retry-After of a 429');
    t.like(done, {
      installations: [
        { installationId: 11, status: 'completed', drift: { created: 150 } },
        { installationId: 12, status: 'completed', drift: { created: 3 } },
      ],
      skipped: [
        { installationId: 13, reason: 'deleted' },
        { installationId: 14, reason: 'suspended' },
      ],
      drift: { created: 153 },
      stoppedBecause: null,
    });
    t.deepEqual(
      (done.rateLimitWaits as { operation: string; status: number }[]).map((w) => [w.operation, w.status]),
      [
        ['get installation', 403],
        ['list installation repositories', 403],
        ['list installation repositories', 429],
      ],
    );
    t.is(
      (await store.listRepoRowsByInstallation(11, { limit: 1000 })).length,
      150,
      'every page was read once into the store',
    );
    const logged = lines.map((line) => JSON.parse(line) as { msg: string; waitMs?: number });
    t.deepEqual(
      logged.filter((line) => line.msg === 'GitHub rate limit: waiting').map((line) => line.waitMs),
      waits,
    );
    t.is(logged.filter((line) => line.msg === 'resync: installation synced').length, 2);
  },
);

test.serial(
  'a rate limit longer than the wait budget ends the run early and leaves the rest for the next one',
  async (t) => {
    const { fake, store } = await resyncWorld(t);
    fake.rateLimit({ kind: 'secondary', path: /^\/app\/installations\/11$/, retryAfterSeconds: 3600 });
    const { report, waits } = resync(fake, store, 60_000);
    const done = await report;
    t.deepEqual(waits, []);
    t.like(done, { installations: [{ installationId: 11, status: 'failed' }], drift: {} });
    t.is((done.installations as unknown[]).length, 1, 'installation 12 waits for the next run');
    t.regex(String(done.stoppedBecause), /rate limits needed more than 60000 ms/);
    t.deepEqual(await store.listRepoRowsByInstallation(12, { limit: 1000 }), []);
  },
);

test.serial('near the end of the hourly quota the resync waits for the reset before it reads on', async (t) => {
  const { fake, store } = await resyncWorld(t);
  // Six requests left this hour, reset in 40 s; the resync keeps 4 for requests a user waits for.
  fake.quota = { remaining: 6, resetInSeconds: 40 };
  const { report, waits, lines } = resync(fake, store, 120_000, 4);
  const done = await report;
  t.like(done, {
    installations: [
      { installationId: 11, status: 'completed' },
      { installationId: 12, status: 'completed' },
    ],
  });
  t.true(waits.length >= 1, 'it waited');
  t.true(
    waits.every((ms) => ms > 30_000 && ms <= 40_000),
    `each wait lasts until the reset: ${waits.join(', ')}`,
  );
  t.true(lines.some((line) => /GitHub rate limit: waiting/.test(line) && /quota reserve/.test(line)));
  t.is((await store.listRepoRowsByInstallation(11, { limit: 1000 })).length, 150);
});

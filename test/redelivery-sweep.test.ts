import anyTest, { type ExecutionContext } from 'ava';
import { DEFAULT_REDELIVERY_POLICY } from '../src/domain/decide-redelivery-sweep.js';
import type { RedeliverySweepReport } from '../src/inbox/sweep-redeliveries.js';
import { appWorld } from './support/app-world.js';
import type { FakeGitHub, FakeRepo } from './support/fake-github.js';
import { pushPayload, rowsView, scopePayload } from './support/github-payloads.js';
import { STORE_KINDS, storeEnv, testOn } from './support/mongo-server.js';
import { eventually, startTestService, TEST_SECRET, type TestService } from './support/test-service.js';

// Issue 8, item 1: the redelivery sweeper against the fake GitHub, which keeps a delivery log and
// really redelivers (same GUID, signed) to a real service. A delivery GitHub failed to hand us,
// or one we gave up on, is redelivered and then applied once; back-off and bounds hold.

// Serial: every world uses installation 11 (see test/support/fake-github.ts on auth-app).
const test = anyTest.serial;

const repoA: FakeRepo = { id: 1001, owner: 'octo-org', name: 'api' };
const repoB: FakeRepo = { id: 1002, owner: 'octo-org', name: 'web' };

const minutesAgo = (minutes: number): string =>
  new Date(Date.now() - minutes * 60_000).toISOString().replace(/\.\d+Z$/, 'Z');

async function finished(service: TestService, guid: string) {
  return eventually(async () => {
    const delivery = await service.store.getDelivery(guid);
    return delivery !== null && ['applied', 'ignored'].includes(delivery.state) ? delivery : null;
  }, 15_000);
}

/**
 * The outcome records of a delivery, once there are at least `count` (MongoDB without
 * transactions copies a finished delivery's audit records out just after it ends).
 */
async function outcomes(service: TestService, guid: string, count: number): Promise<string[]> {
  return eventually(async () => {
    const records = await service.store.listAudit({ limit: 100, deliveryId: guid, kind: 'delivery.outcome' });
    return records.length >= count ? records.map((r) => r.decision) : null;
  });
}

const requested = (report: RedeliverySweepReport) => report.requested.map((r) => `${r.guid}:${r.reason}:${r.result}`);

async function redeliveryMetric(service: TestService, reason: string, result: string): Promise<number> {
  const body = await (await fetch(`${service.url}/metrics`)).text();
  const line = body
    .split('\n')
    .find((l) => l.startsWith(`reconciler_redelivery_requests_total{reason="${reason}",result="${result}"}`));
  return Number(line?.split(' ').at(-1));
}

const posted = (fake: FakeGitHub) =>
  fake.requests.filter((r) => r.method === 'POST' && r.path.startsWith('/app/hook/deliveries/')).map((r) => r.path);

for (const storeKind of STORE_KINDS) {
  testOn(storeKind, test)(
    `${storeKind}: a delivery GitHub reports as failed is redelivered with its GUID, applied once, and not requested again`,
    async (t) => {
      const { fake, service } = await appWorld(t, [repoA, repoB], { env: await storeEnv(t, storeKind) });
      // Reached us and was applied: GitHub's log says 202.
      const ok = await fake.sendHookDelivery({
        guid: 'guid-ok',
        event: 'push',
        payload: pushPayload(repoA, 11, ['README.md']),
        installationId: 11,
        repositoryId: repoA.id,
      });
      t.is(ok.item.status_code, 202);
      await finished(service, 'guid-ok');
      // Never reached us: GitHub gave up with a 502 (our proxy was down).
      const lost = fake.recordHookDelivery({
        guid: 'guid-lost',
        event: 'installation_repositories',
        action: 'added',
        payload: scopePayload('added', 11, [repoB]),
        installationId: 11,
        statusCode: 502,
        deliveredAt: minutesAgo(20),
      });
      t.is(await service.store.getDelivery('guid-lost'), null);

      const first = await service.sweepRedeliveries();
      t.like(first, { available: true, considered: 2, failures: 0 });
      t.deepEqual(requested(first), ['guid-lost:failed_at_github:accepted']);
      t.like(first.skipped, { ok: 1, backing_off: 0, over_run_limit: 0 });
      t.deepEqual(posted(fake), [`/app/hook/deliveries/${String(lost.item.id)}/attempts`]);

      await fake.redeliveriesSettled();
      const redelivered = await finished(service, 'guid-lost');
      t.is(redelivered.state, 'applied', redelivered.reason ?? '');
      t.like(fake.hookDeliveries.at(-1)?.item, { guid: 'guid-lost', redelivery: true, status_code: 202 });
      t.deepEqual(rowsView(await service.store.listRepoRows('u1', { limit: 10 })), [
        'octo-org/api@11',
        'octo-org/web@11',
      ]);
      t.deepEqual(await outcomes(service, 'guid-lost', 1), ['applied']);
      const audit = await service.store.listAudit({ limit: 10, deliveryId: 'guid-lost', kind: 'redelivery.requested' });
      t.is(audit.length, 1);
      t.like(audit[0], {
        decision: 'accepted',
        reason: 'failed_at_github',
        subject: { installationId: 11 },
        before: { githubStatusCode: 502, storedState: null },
        after: { hookDeliveryId: Number(lost.item.id), sweepId: first.sweepId, event: 'installation_repositories' },
      });
      t.is(await redeliveryMetric(service, 'failed_at_github', 'accepted'), 1);

      const second = await service.sweepRedeliveries();
      t.deepEqual(second.requested, []);
      t.like(second.skipped, { ok: 2 });
      t.is(posted(fake).length, 1, 'GitHub was asked once');
      t.deepEqual(await outcomes(service, 'guid-lost', 1), ['applied']);
    },
  );

  testOn(storeKind, test)(
    `${storeKind}: a delivery whose processing failed here is redelivered, requeued by the inbox and applied once`,
    async (t) => {
      const { fake, service } = await appWorld(t, [repoA, repoB], {
        env: await storeEnv(t, storeKind),
        overrides: { retryPolicy: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 } },
      });
      // The installation resync this event triggers fails once: with one attempt allowed, given up.
      fake.fail({ path: /^\/installation\/repositories$/, status: 500 });
      const sent = await fake.sendHookDelivery({
        guid: 'guid-ours',
        event: 'installation_repositories',
        action: 'added',
        payload: scopePayload('added', 11, [repoB]),
        installationId: 11,
      });
      t.is(sent.item.status_code, 202, 'GitHub saw it delivered');
      const gaveUp = await eventually(async () => {
        const delivery = await service.store.getDelivery('guid-ours');
        return delivery?.state === 'failed' ? delivery : null;
      }, 15_000);
      t.like(gaveUp, { nextAttemptAt: null, attempts: 1 });

      const report = await service.sweepRedeliveries();
      t.deepEqual(requested(report), ['guid-ours:failed_in_store:accepted']);
      await fake.redeliveriesSettled();
      const applied = await finished(service, 'guid-ours');
      t.like(applied, { state: 'applied', attempts: 2 });
      t.deepEqual(rowsView(await service.store.listRepoRows('u1', { limit: 10 })), [
        'octo-org/api@11',
        'octo-org/web@11',
      ]);
      t.deepEqual(await outcomes(service, 'guid-ours', 2), ['failed', 'applied']);
      const [audit] = await service.store.listAudit({
        limit: 10,
        deliveryId: 'guid-ours',
        kind: 'redelivery.requested',
      });
      t.like(audit, { reason: 'failed_in_store', before: { storedState: 'failed', storedAttempts: 1 } });
      t.is(await redeliveryMetric(service, 'failed_in_store', 'accepted'), 1);

      t.deepEqual((await service.sweepRedeliveries()).requested, []);
      t.deepEqual(await outcomes(service, 'guid-ours', 2), ['failed', 'applied']);
    },
  );
}

test('back-off and the per-run bound hold, the log is not read past the window, ok deliveries are left alone', async (t) => {
  let offsetMs = 0;
  const { fake, service } = await appWorld(t, [repoA], {
    overrides: {
      now: () => new Date(Date.now() + offsetMs),
      redeliveryPolicy: { ...DEFAULT_REDELIVERY_POLICY, maxRequestsPerRun: 2 },
    },
  });
  const serviceWebhook = fake.webhook;
  // 120 deliveries from four days ago, outside GitHub's redelivery window.
  for (let i = 0; i < 120; i++)
    fake.recordHookDelivery({
      guid: `guid-old-${i}`,
      event: 'push',
      payload: pushPayload(repoA, 11, []),
      statusCode: 502,
      deliveredAt: minutesAgo(4 * 24 * 60 + 120 - i),
    });
  ['guid-1', 'guid-2', 'guid-3'].forEach((guid, i) =>
    fake.recordHookDelivery({
      guid,
      event: 'push',
      payload: pushPayload(repoA, 11, [`file-${i}`]),
      installationId: 11,
      repositoryId: repoA.id,
      statusCode: 502,
      deliveredAt: minutesAgo(30 - i),
    }),
  );
  const ok = await fake.sendHookDelivery({ guid: 'guid-ok', event: 'push', payload: pushPayload(repoA, 11, []) });
  await finished(service, 'guid-ok');
  // Redeliveries go nowhere for now: GitHub will log them as failed (no answer).
  fake.webhook = { url: 'http://127.0.0.1:9/webhooks/github', secret: TEST_SECRET };

  const first = await service.sweepRedeliveries();
  t.deepEqual(requested(first), ['guid-1:failed_at_github:accepted', 'guid-2:failed_at_github:accepted']);
  t.like(first, { considered: 4, attemptsListed: 4, pagesRead: 1 });
  t.like(first.skipped, { ok: 1, over_run_limit: 1, backing_off: 0 });
  t.is(
    fake.requests.filter((r) => r.path === '/app/hook/deliveries').length,
    1,
    'one page: it reaches past the window',
  );
  await fake.redeliveriesSettled();
  t.like(fake.hookDeliveries.at(-1)?.item, { redelivery: true, status_code: 0 });

  // Within the back-off: guid-1 and guid-2 wait; guid-3 is asked for, and GitHub refuses once.
  fake.fail({ path: /^\/app\/hook\/deliveries\/\d+\/attempts$/, status: 500 });
  const second = await service.sweepRedeliveries();
  t.deepEqual(requested(second), ['guid-3:failed_at_github:failed']);
  t.like(second, { failures: 1 });
  t.like(second.skipped, { ok: 1, backing_off: 2 });

  // After the back-off, with the service reachable again: redelivered and applied once each.
  fake.webhook = serviceWebhook;
  offsetMs = DEFAULT_REDELIVERY_POLICY.backOffMs + 60_000;
  const third = await service.sweepRedeliveries();
  t.deepEqual(requested(third), ['guid-1:failed_at_github:accepted', 'guid-2:failed_at_github:accepted']);
  t.like(third.skipped, { over_run_limit: 1 });
  await fake.redeliveriesSettled();
  for (const guid of ['guid-1', 'guid-2']) {
    await finished(service, guid);
    t.is((await outcomes(service, guid, 1)).length, 1, `${guid} finished once`);
  }

  t.false(
    posted(fake).some((path) => path.includes(`/${String(ok.item.id)}/`)),
    'the delivery that reached us is never asked for',
  );
  t.false(posted(fake).some((path) => fake.hookDeliveries.slice(0, 120).some((e) => path.includes(`/${e.item.id}/`))));
  const audit = await service.store.listAudit({ limit: 100, kind: 'redelivery.requested' });
  t.deepEqual(
    audit.map((r) => `${r.deliveryId ?? ''}:${r.decision}`),
    ['guid-1:accepted', 'guid-2:accepted', 'guid-3:failed', 'guid-1:accepted', 'guid-2:accepted'],
  );
  t.is(await redeliveryMetric(service, 'failed_at_github', 'accepted'), 4);
  t.is(await redeliveryMetric(service, 'failed_at_github', 'failed'), 1);
  t.is(await redeliveryMetric(service, 'not_in_store', 'accepted'), 0, 'labels start at zero');
});

test('without App credentials the sweep reports that and asks GitHub nothing', async (t: ExecutionContext) => {
  const service = await startTestService(t);
  const report = await service.sweepRedeliveries();
  t.like(report, { available: false, since: null, considered: 0, requested: [] });
  t.regex(report.unavailableReason ?? '', /GITHUB_APP_ID/);
});

test('the service runs the sweep on its own every REDELIVERY_INTERVAL_SECONDS, under the periodic lease', async (t) => {
  const { fake, service } = await appWorld(t, [repoA, repoB], { env: { REDELIVERY_INTERVAL_SECONDS: '1' } });
  fake.recordHookDelivery({
    guid: 'guid-scheduled',
    event: 'installation_repositories',
    action: 'added',
    payload: scopePayload('added', 11, [repoB]),
    installationId: 11,
    statusCode: 504,
    deliveredAt: minutesAgo(5),
  });
  const redelivered = await finished(service, 'guid-scheduled');
  t.is(redelivered.state, 'applied', redelivered.reason ?? '');
  const runs = await eventually(async () => {
    const records = await service.store.listAudit({ limit: 100, kind: 'periodic.redelivery' });
    return records.some((r) => (r.after as { report?: { requested?: number } } | null)?.report?.requested === 1)
      ? records
      : null;
  });
  t.true(
    runs.every((r) => r.decision === 'completed'),
    runs.map((r) => r.decision).join(','),
  );
  t.deepEqual(await outcomes(service, 'guid-scheduled', 1), ['applied']);
});

test('a sweep reads only the part of the log not yet settled, and the whole window again when it is due', async (t) => {
  let offsetMs = 0;
  const { fake, service } = await appWorld(t, [repoA], { overrides: { now: () => new Date(Date.now() + offsetMs) } });
  // 150 deliveries five hours ago, all applied here: two pages of GitHub's log.
  const settled = Array.from({ length: 150 }, (_, i) => `guid-settled-${i}`);
  for (const [i, guid] of settled.entries())
    await fake.sendHookDelivery({
      guid,
      event: 'push',
      payload: pushPayload(repoA, 11, [`file-${i}`]),
      deliveredAt: minutesAgo(300 - i / 60),
    });
  for (const guid of settled) await finished(service, guid);
  const lostAt = minutesAgo(20);
  fake.recordHookDelivery({
    guid: 'guid-lost',
    event: 'push',
    payload: pushPayload(repoA, 11, []),
    statusCode: 502,
    deliveredAt: lostAt,
  });
  const time = (iso: string | null) => Date.parse(iso ?? '');

  const first = await service.sweepRedeliveries();
  t.like(first, { wholeWindow: true, attemptsListed: 151, pagesRead: 2 });
  t.deepEqual(requested(first), ['guid-lost:failed_at_github:accepted']);
  t.is(
    time(first.nextReadFrom),
    time(lostAt),
    'the GUID just asked for keeps the horizon back until its redelivery is seen',
  );
  await fake.redeliveriesSettled();
  await finished(service, 'guid-lost');

  const second = await service.sweepRedeliveries();
  t.like(second, { wholeWindow: false, attemptsListed: 2, pagesRead: 1 });
  t.is(time(second.since), time(lostAt));
  t.deepEqual(second.requested, []);
  t.like(second.skipped, { ok: 1 });
  t.true(time(second.nextReadFrom) > time(minutesAgo(11)), 'all settled: the next sweep reads the last minutes only');

  offsetMs = DEFAULT_REDELIVERY_POLICY.wholeWindowEveryMs + 60_000;
  const third = await service.sweepRedeliveries();
  t.like(third, { wholeWindow: true, attemptsListed: 152, pagesRead: 2 });
  t.like(third.skipped, { ok: 151 });
  t.deepEqual(third.requested, []);
});

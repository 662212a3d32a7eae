import test, { type ExecutionContext } from 'ava';
import {
  OCTO_API,
  coveredRepoWorld,
  deliver,
  installationPayload,
  pullRequestPayload,
  pushPayload,
} from './support/github-payloads.js';
import { eventually, json, startTestService, type TestService } from './support/test-service.js';

// What a runner gets (issue: wakes that can be acted on, re-test is safe): a wake carries the
// repo's name and the push or pull request facts from the real payload, a dry-run re-test
// answers then and now and writes nothing, and a real replay's wakes say they are a replay's.

interface WakeJson {
  id: string;
  deliveryId: string;
  repoFullName: string | null;
  push: Record<string, unknown> | null;
  pullRequest: Record<string, unknown> | null;
  replay: boolean;
  replayOf: string | null;
}

async function ok(response: Promise<Response>): Promise<Response> {
  const answered = await response;
  if (answered.status >= 300) throw new Error(`${answered.status}: ${await answered.text()}`);
  return answered;
}

async function wakes(service: TestService): Promise<WakeJson[]> {
  return ((await (await ok(service.api('/api/wakes'))).json()) as { wakes: WakeJson[] }).wakes;
}

async function world(t: ExecutionContext, boundTo: number): Promise<TestService> {
  const service = await startTestService(t);
  await coveredRepoWorld(service);
  await ok(
    service.api(
      '/api/triggers/t1',
      json('PUT', { userId: 'u1', installationId: boundTo, repoId: OCTO_API.id, events: ['push', 'pull_request'] }),
    ),
  );
  return service;
}

test('a push wake carries the repo name, ref, both shas and the head commit from the payload', async (t) => {
  const service = await world(t, 22);
  const payload = pushPayload(OCTO_API, 22, ['src/index.ts']);
  const delivery = await deliver(service, 'push', payload);
  const [wake] = await wakes(service);
  const head = payload.head_commit as Record<string, unknown>;
  t.like(wake, {
    deliveryId: delivery.id,
    repoFullName: 'octo-org/api',
    pullRequest: null,
    replay: false,
    replayOf: null,
  });
  t.deepEqual(wake?.push, {
    ref: payload.ref,
    before: payload.before,
    after: payload.after,
    headCommit: { id: head.id, timestamp: head.timestamp, url: head.url },
  });
  t.is(typeof payload.ref, 'string', 'the example payload gives a ref');
});

test('a pull_request wake carries the number and both ends', async (t) => {
  const service = await world(t, 22);
  const payload = pullRequestPayload('opened', OCTO_API, 22);
  await deliver(service, 'pull_request', payload);
  const [wake] = await wakes(service);
  const pull = payload.pull_request as {
    number: number;
    head: { sha: string; ref: string };
    base: { sha: string; ref: string };
  };
  t.is(wake?.push, null);
  t.deepEqual(wake?.pullRequest, {
    number: pull.number,
    headSha: pull.head.sha,
    headRef: pull.head.ref,
    baseSha: pull.base.sha,
    baseRef: pull.base.ref,
  });
});

test('a dry-run re-test answers what would wake now next to what woke then, and writes nothing', async (t) => {
  // Bound to installation 11, the push comes from 22: it woke nothing.
  const service = await world(t, 11);
  const original = await deliver(service, 'push', pushPayload(OCTO_API, 22, ['a.ts']));
  t.deepEqual(await wakes(service), []);
  await ok(
    service.api(
      '/api/triggers/t1',
      json('PUT', { userId: 'u1', installationId: 22, repoId: OCTO_API.id, events: ['push', 'pull_request'] }),
    ),
  );
  const auditBefore = ((await (await ok(service.api('/api/audit?limit=1000'))).json()) as { records: unknown[] })
    .records.length;
  const answer = (await (
    await ok(service.api(`/api/deliveries/${original.id}/replay?dryRun=true`, { method: 'POST' }))
  ).json()) as {
    dryRun: boolean;
    deliveryId: string;
    then: { outcome: string; woke: string[]; candidates: { triggerId: string; reason: string | null }[] };
    now: { outcome: string; woke: string[]; summary: string };
    changed: unknown[];
  };
  t.true(answer.dryRun);
  t.is(answer.deliveryId, original.id);
  t.like(answer.then, { outcome: 'woke_none', woke: [] });
  t.is(answer.then.candidates[0]?.reason, 'installation_mismatch');
  t.like(answer.now, { outcome: 'woke', woke: ['t1'] });
  t.deepEqual(answer.changed, [{ triggerId: 't1', then: 'not_woken', now: 'woken' }]);

  t.deepEqual(await wakes(service), [], 'no wake written');
  const deliveries = (await (await ok(service.api('/api/deliveries'))).json()) as { deliveries: unknown[] };
  t.is(deliveries.deliveries.length, 2, 'the installation and the push: no replay delivery stored');
  const auditAfter = ((await (await ok(service.api('/api/audit?limit=1000'))).json()) as { records: unknown[] }).records
    .length;
  t.is(auditAfter, auditBefore, 'no audit record written');

  // A real replay wakes, and its wakes say so.
  const replay = (await (
    await ok(service.api(`/api/deliveries/${original.id}/replay`, { method: 'POST' }))
  ).json()) as {
    deliveryId: string;
    dryRun: boolean;
  };
  t.false(replay.dryRun);
  const [wake] = await eventually(async () => {
    const now = await wakes(service);
    return now.length > 0 ? now : null;
  }, 10_000);
  t.like(wake, { deliveryId: replay.deliveryId, replay: true, replayOf: original.id });
});

test('a re-test is refused with what is wrong: a bad dryRun, an unknown parameter, an event without a repo', async (t) => {
  const service = await world(t, 22);
  const push = await deliver(service, 'push', pushPayload(OCTO_API, 22, ['a.ts']));
  t.is((await service.api(`/api/deliveries/${push.id}/replay?dryRun=maybe`, { method: 'POST' })).status, 400);
  t.is((await service.api(`/api/deliveries/${push.id}/replay?dry=true`, { method: 'POST' })).status, 400);
  const installation = await deliver(service, 'installation', installationPayload('created', 23, []));
  const refused = await service.api(`/api/deliveries/${installation.id}/replay?dryRun=true`, { method: 'POST' });
  t.is(refused.status, 409);
  t.like(await refused.json(), { error: { code: 'not_replayable' } });
  t.is((await service.api('/api/deliveries/nope/replay?dryRun=true', { method: 'POST' })).status, 404);
});

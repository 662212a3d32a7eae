import anyTest, { type ExecutionContext } from 'ava';
import type { DiagnosisStep } from '../src/domain/diagnose.js';
import { diagnose as diagnoseRepoOf } from '../src/explain/diagnose-repo.js';
import { startFakeGitHub, type FakeGitHub, type FakeRepo } from './support/fake-github.js';
import { deliver, pushPayload } from './support/github-payloads.js';
import { json, startTestService, type TestService } from './support/test-service.js';

// The stale-binding scenario of the product document, and the troubleshooting order answered
// in the situations an operator meets, against the fake GitHub with App credentials.

// Serial: see test/support/fake-github.ts (auth-app shares in-flight tokens per installation id).
const test = anyTest.serial;

const API: FakeRepo = { id: 7, owner: 'octo-org', name: 'api' };

interface Story {
  delivery: { id: string; replayOf: string | null; state: string };
  outcome: string;
  summary: string;
  candidates: { triggerId: string; outcome: string; reason: string | null; fix: string | null }[];
}

async function ok(response: Promise<Response>): Promise<Response> {
  const answered = await response;
  if (answered.status >= 300) throw new Error(`${answered.status}: ${await answered.text()}`);
  return answered;
}

async function world(t: ExecutionContext): Promise<{ fake: FakeGitHub; service: TestService }> {
  const fake = await startFakeGitHub(t);
  const service = await startTestService(t, {
    env: { GITHUB_API_URL: fake.url, GITHUB_APP_ID: String(fake.appId), GITHUB_APP_PRIVATE_KEY: fake.privateKey },
  });
  await ok(service.api('/api/users/u1', json('PUT', { githubUserId: 1, githubLogin: 'u1' })));
  return { fake, service };
}

const link = (service: TestService, id: number) =>
  ok(service.api(`/api/users/u1/installations/${id}`, { method: 'PUT' }));
const sync = async (service: TestService, body: object = {}) =>
  (await (await ok(service.api('/api/users/u1/sync', json('POST', body)))).json()) as {
    rebind: { outcome: string; reason?: string }[];
  };
const story = async (service: TestService, id: string) =>
  (await (await ok(service.api(`/api/deliveries/${id}`))).json()) as Story;
const diagnose = async (service: TestService, repo = 'octo-org/api') =>
  ((await (await ok(service.api(`/api/diagnose?userId=u1&repo=${repo}`))).json()) as { steps: DiagnosisStep[] }).steps;
const statuses = (steps: DiagnosisStep[]) => steps.map((s) => s.status);

test('stale binding: rebind skipped while the user holds two installations, explained, fixed by the explicit rebind diagnose offers, proven by replay', async (t) => {
  const { fake, service } = await world(t);
  // The repo moved from octo-old (installation 11) to octo-org (installation 22); the user holds both.
  fake.installations.set(11, { id: 11, account: { id: 4, login: 'octo-old', type: 'Organization' }, repos: [] });
  fake.installations.set(22, { id: 22, account: { id: 5, login: 'octo-org', type: 'Organization' }, repos: [API] });
  await link(service, 11);
  await link(service, 22);
  await ok(service.api('/api/automations/a1', json('PUT', { userId: 'u1', installationId: 11, name: 'review' })));
  await ok(
    service.api(
      '/api/triggers/t1',
      json('PUT', { userId: 'u1', automationId: 'a1', installationId: 11, repoId: API.id, events: ['push'] }),
    ),
  );

  const first = await sync(service);
  t.deepEqual(
    first.rebind.map((r) => [r.outcome, r.reason]),
    [
      ['skipped', 'several_installations'],
      ['skipped', 'several_installations'],
    ],
  );

  const push = await deliver(service, 'push', pushPayload(API, 22, ['src/main.go']));
  const told = await story(service, push.id);
  t.is(told.outcome, 'woke_none');
  t.is(
    told.summary,
    'woke 0 of 1 trigger: trigger t1 is bound to installation 11 but the event came from 22 — rebind was skipped because the user has 2 installations (11, 22)',
  );
  t.like(told.candidates[0], { triggerId: 't1', reason: 'installation_mismatch' });
  t.regex(told.candidates[0]?.fix ?? '', /rebind trigger t1 and automation a1 to installation 22 explicitly/);
  t.false((told.candidates[0]?.fix ?? '').includes('DELETE'), 'installation 11 carries bindings: it is not to be unlinked');

  const before = await diagnose(service);
  t.deepEqual(statuses(before), ['ok', 'ok', 'ok', 'problem', 'problem']);
  t.regex(
    before[3]?.evidence ?? '',
    /holds 2 installations \(11, 22\).*several_installations.*trigger t1 is bound to installation 11/,
  );
  t.regex(before[3]?.next ?? '', /rebind explicitly to installation 22 \(octo-org\), which covers octo-org\/api today/);
  t.deepEqual(
    before[3]?.actions.map((a) => [a.method, a.path, (a.body as { installationId?: number } | null)?.installationId]),
    [
      ['PUT', '/api/triggers/t1', 22],
      ['PUT', '/api/automations/a1', 22],
    ],
  );
  t.deepEqual(before[3]?.action, before[3]?.actions[0]);
  t.regex(before[3]?.action?.command ?? '', /^curl -sS -X PUT "\$RECONCILER_URL\/api\/triggers\/t1" .*"installationId":22/);
  t.regex(before[4]?.evidence ?? '', /t1 not woken \(installation_mismatch\)/);
  t.regex(before[4]?.next ?? '', new RegExp(`POST /api/deliveries/${push.id}/replay`));

  for (const action of before[3]?.actions ?? []) await ok(service.api(action.path, json(action.method, action.body)));
  t.is((await service.store.listLinkedInstallationIds('u1')).length, 2, 'both installations stay linked');
  t.is((await service.store.getTrigger('t1'))?.installationId, 22);
  t.is((await service.store.getAutomation('a1'))?.installationId, 22);

  const replay = await ok(service.api(`/api/deliveries/${push.id}/replay`, { method: 'POST' }));
  t.is(replay.status, 202);
  const { deliveryId, replayOf } = (await replay.json()) as { deliveryId: string; replayOf: string };
  t.is(replayOf, push.id);
  t.not(deliveryId, push.id);
  const replayed = await (async () => {
    for (;;) {
      const current = await story(service, deliveryId);
      if (current.outcome !== 'not_routed') return current;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  t.is(replayed.outcome, 'woke');
  t.is(replayed.summary, `replay of ${push.id}: woke 1 of 1 trigger`);
  t.is(replayed.delivery.replayOf, push.id);
  t.is((await story(service, push.id)).outcome, 'woke_none', 'the original keeps its own story');
  const wakes = (await (await service.api('/api/wakes')).json()) as { wakes: { deliveryId: string }[] };
  t.deepEqual(
    wakes.wakes.map((w) => w.deliveryId),
    [deliveryId],
  );
  t.deepEqual(statuses(await diagnose(service)), ['ok', 'ok', 'ok', 'ok', 'ok']);
});

test('diagnose: a healthy repo answers ok at every step', async (t) => {
  const { fake, service } = await world(t);
  fake.installations.set(22, { id: 22, account: { id: 5, login: 'octo-org', type: 'Organization' }, repos: [API] });
  await link(service, 22);
  await ok(
    service.api(
      '/api/triggers/t1',
      json('PUT', { userId: 'u1', installationId: 22, repoId: API.id, events: ['push'] }),
    ),
  );
  await sync(service);
  await deliver(service, 'push', pushPayload(API, 22, ['a']));
  const steps = await diagnose(service, 'Octo-Org/API');
  t.deepEqual(
    steps.map((s) => [s.step, s.status]),
    [
      [1, 'ok'],
      [2, 'ok'],
      [3, 'ok'],
      [4, 'ok'],
      [5, 'ok'],
    ],
  );
  t.regex(steps[0]?.evidence ?? '', /installation 22 \(Organization octo-org\) is active/);
  t.regex(steps[1]?.evidence ?? '', /covered by installation 22/);
  t.regex(steps[2]?.evidence ?? '', /installation 22 was last synced at .* \(completed\)/);
  t.regex(steps[4]?.evidence ?? '', /woke this user's trigger/);
});

test('diagnose: no installation for the owner', async (t) => {
  const { fake, service } = await world(t);
  fake.installations.set(33, { id: 33, account: { id: 6, login: 'someone-else', type: 'User' }, repos: [] });
  await link(service, 33);
  const steps = await diagnose(service);
  t.deepEqual(statuses(steps), ['problem', 'problem', 'unknown', 'ok', 'unknown']);
  t.regex(steps[0]?.evidence ?? '', /none of user u1's installations \(33\) belongs to octo-org/);
  t.regex(steps[0]?.next ?? '', /install the App on octo-org/);
  t.regex(steps[1]?.evidence ?? '', /no project row for octo-org\/api/);
  t.regex(steps[4]?.evidence ?? '', /no delivery for octo-org\/api has been received/);
});

test('diagnose: a repo visible through OAuth only is not App-covered', async (t) => {
  const { fake, service } = await world(t);
  fake.installations.set(22, { id: 22, account: { id: 5, login: 'octo-org', type: 'Organization' }, repos: [] });
  fake.userRepos.set('gho_u1', [API]);
  await link(service, 22);
  await sync(service, { oauthToken: 'gho_u1' });
  const steps = await diagnose(service);
  t.deepEqual(statuses(steps).slice(0, 3), ['ok', 'problem', 'ok']);
  t.regex(steps[1]?.evidence ?? '', /visible only \(found by oauth sync\), not covered/);
  t.regex(steps[1]?.next ?? '', /add octo-org\/api to the owner's installation/);
});

test('diagnose: a suspended installation', async (t) => {
  const { fake, service } = await world(t);
  fake.installations.set(22, { id: 22, account: { id: 5, login: 'octo-org', type: 'Organization' }, repos: [API] });
  await link(service, 22);
  await sync(service);
  const installation = fake.installations.get(22);
  if (installation) installation.suspended = true;
  await sync(service);
  const steps = await diagnose(service);
  t.deepEqual(statuses(steps).slice(0, 3), ['problem', 'problem', 'problem']);
  t.regex(steps[0]?.evidence ?? '', /installation 22 for octo-org is suspended since/);
  t.regex(steps[0]?.next ?? '', /unsuspend installation 22/);
  t.regex(steps[2]?.evidence ?? '', /ended suspended/);
});

test('diagnose: ambiguous installations without a stale binding are reported, not flagged', async (t) => {
  const { fake, service } = await world(t);
  fake.installations.set(22, { id: 22, account: { id: 5, login: 'octo-org', type: 'Organization' }, repos: [API] });
  fake.installations.set(33, { id: 33, account: { id: 6, login: 'octo-labs', type: 'Organization' }, repos: [] });
  await link(service, 22);
  await link(service, 33);
  await ok(
    service.api(
      '/api/triggers/t1',
      json('PUT', { userId: 'u1', installationId: 22, repoId: API.id, events: ['push'] }),
    ),
  );
  await sync(service);
  const [, , , inventory] = await diagnose(service);
  t.is(inventory?.status, 'ok');
  t.regex(
    inventory?.evidence ?? '',
    /holds 2 installations \(22, 33\).*skipped.*already bound to the covering installation/,
  );
});

test('diagnose refuses a bad repo name and an unknown user with JSON errors', async (t) => {
  const { service } = await world(t);
  const bad = await service.api('/api/diagnose?userId=u1&repo=not-a-repo');
  t.is(bad.status, 400);
  t.like(await bad.json(), { error: { code: 'invalid_query' } });
  const missing = await service.api('/api/diagnose?userId=u1');
  t.is(missing.status, 400);
  const extra = await service.api('/api/diagnose?userId=u1&repo=o/r&verbose=1');
  t.is(extra.status, 400);
  t.regex(((await extra.json()) as { error: { message: string } }).error.message, /unknown filter verbose; use userId, repo/);
  const unknown = await service.api('/api/diagnose?userId=nobody&repo=o/r');
  t.is(unknown.status, 404);
});

test('diagnose fills missing installation metadata as a step of its own and reports it; the diagnosis itself only reads', async (t) => {
  const { fake, service } = await world(t);
  fake.installations.set(22, { id: 22, account: { id: 5, login: 'octo-org', type: 'Organization' }, repos: [API] });
  // Linked before any webhook told the service about it: nothing but the id is stored.
  await link(service, 22);
  t.is((await service.store.getInstallation(22))?.accountLogin ?? null, null);
  const ask = async () =>
    (await (await ok(service.api('/api/diagnose?userId=u1&repo=octo-org/api'))).json()) as {
      steps: DiagnosisStep[];
      metadataRefresh: { installationId: number; status: string; filled: string[] }[];
    };
  const first = await ask();
  t.deepEqual(
    first.metadataRefresh.map((r) => [r.installationId, r.status, r.filled.includes('accountLogin')]),
    [[22, 'refreshed', true]],
  );
  t.is(first.steps[0]?.status, 'ok', 'the owner is known once the login is filled');
  t.deepEqual(
    (await ask()).metadataRefresh.map((r) => [r.installationId, r.status]),
    [[22, 'complete']],
  );

  // The read model on its own: any write the store offers fails the test.
  const readOnly = new Proxy(service.store, {
    get(store, name: string) {
      const member = Reflect.get(store, name) as unknown;
      if (typeof member !== 'function') return member;
      if (
        /^(put|upsert|write|append|link|unlink|delete|record|receive|finish|fail|claim|prune|acquire|release)/.test(
          name,
        )
      )
        return () => Promise.reject(new Error(`diagnose wrote: ${name}`));
      return (member as (...args: unknown[]) => unknown).bind(store);
    },
  });
  const steps = await diagnoseRepoOf({ store: readOnly, appCredentials: true }, 'u1', 'octo-org/api');
  t.is(steps.length, 5);
});

import test, { type ExecutionContext } from 'ava';
import type { Delivery } from '../src/domain/delivery.js';
import { NOT_WOKEN_REASONS, type NotWokenReason } from '../src/domain/route-event.js';
import type { FakeRepo } from './support/fake-github.js';
import {
  coveredRepoWorld,
  deliver,
  installationPayload,
  pullRequestPayload,
  pushPayload,
  repositoryPayload,
} from './support/github-payloads.js';
import { eventually, json, startTestService, type TestService } from './support/test-service.js';

// Routing end to end (R9, R10), built only through the public API and signed webhooks with real
// payloads. No App credentials: coverage comes from the installation webhook itself.

const API: FakeRepo = { id: 7, owner: 'octo-org', name: 'api' };
const OTHER: FakeRepo = { id: 8, owner: 'octo-org', name: 'docs' };

interface Story {
  delivery: { id: string; state: string; replayOf: string | null };
  traceId: string | null;
  summary: string;
  outcome: string;
  candidates: { triggerId: string; outcome: string; reason: string | null; fix: string | null; detail: string }[];
  audit: { kind: string; decision: string; deliveryId: string }[];
}

async function ok(response: Promise<Response>): Promise<Response> {
  const answered = await response;
  if (answered.status >= 300) throw new Error(`${answered.status}: ${await answered.text()}`);
  return answered;
}

/** User u1 linked to installation 22 (account octo-org), which covers octo-org/api and octo-org/docs. */
async function world(t: ExecutionContext): Promise<TestService> {
  const service = await startTestService(t);
  await coveredRepoWorld(service, [API, OTHER]);
  return service;
}

async function putTrigger(service: TestService, id: string, body: Record<string, unknown>): Promise<void> {
  await ok(
    service.api(
      `/api/triggers/${id}`,
      json('PUT', { userId: 'u1', installationId: 22, repoId: API.id, events: ['push'], ...body }),
    ),
  );
}

export async function storyOf(service: TestService, deliveryId: string): Promise<Story> {
  return (await (await ok(service.api(`/api/deliveries/${deliveryId}`))).json()) as Story;
}

const pushApi = (service: TestService, installationId = 22, paths = ['api/main.go']): Promise<Delivery> =>
  deliver(service, 'push', pushPayload(API, installationId, paths));

interface Scenario {
  reason: NotWokenReason;
  /** Builds the world around trigger t1 and sends the delivery to explain. */
  run: (service: TestService) => Promise<Delivery>;
  summary: RegExp;
}

const scenarios: Scenario[] = [
  {
    reason: 'trigger_disabled',
    run: async (service) => {
      await putTrigger(service, 't1', { enabled: false });
      return pushApi(service);
    },
    summary: /trigger t1 is disabled/,
  },
  {
    reason: 'event_not_subscribed',
    run: async (service) => {
      await putTrigger(service, 't1', { events: ['issues'] });
      return pushApi(service);
    },
    summary: /listens to issues, not push/,
  },
  {
    reason: 'action_not_subscribed',
    run: async (service) => {
      await putTrigger(service, 't1', { events: ['pull_request.closed'] });
      return deliver(service, 'pull_request', pullRequestPayload('opened', API, 22));
    },
    summary: /not pull_request\.opened/,
  },
  {
    reason: 'installation_mismatch',
    run: async (service) => {
      await putTrigger(service, 't1', { installationId: 11 });
      return pushApi(service);
    },
    summary: /bound to installation 11 but the event came from 22/,
  },
  {
    reason: 'installation_unknown',
    run: async (service) => {
      await putTrigger(service, 't1', { installationId: 44 });
      return pushApi(service, 44);
    },
    summary: /installation 44 is not known/,
  },
  {
    reason: 'installation_deleted',
    run: async (service) => {
      await putTrigger(service, 't1', {});
      await deliver(service, 'installation', installationPayload('deleted', 22));
      return pushApi(service);
    },
    summary: /installation 22 was deleted/,
  },
  {
    reason: 'installation_suspended',
    run: async (service) => {
      await putTrigger(service, 't1', {});
      await deliver(service, 'installation', installationPayload('suspend', 22));
      return pushApi(service);
    },
    summary: /installation 22 is suspended/,
  },
  {
    reason: 'repo_unknown',
    run: async (service) => {
      await ok(service.api('/api/users/u2', json('PUT', { githubUserId: 2, githubLogin: 'u2' })));
      await putTrigger(service, 't1', { userId: 'u2' });
      return pushApi(service);
    },
    summary: /user u2 has no project row for repo 7/,
  },
  {
    reason: 'repo_not_covered',
    run: async (service) => {
      // Installation 33 is linked and live, but the repo is covered by 22.
      await ok(service.api('/api/users/u1/installations/33', { method: 'PUT' }));
      await putTrigger(service, 't1', { installationId: 33 });
      return pushApi(service, 33);
    },
    summary: /octo-org\/api is covered by installation 22 for user u1, not by 33/,
  },
  {
    reason: 'automation_binding_mismatch',
    run: async (service) => {
      await ok(service.api('/api/automations/a1', json('PUT', { userId: 'u1', installationId: 11, name: 'review' })));
      await putTrigger(service, 't1', { automationId: 'a1' });
      return pushApi(service);
    },
    summary: /automation a1 is bound to installation 11 but the event came from 22/,
  },
  {
    reason: 'outside_root_directory',
    run: async (service) => {
      await ok(service.api('/api/users/u1/projects', json('PUT', { repoId: API.id, rootDirectory: 'web' })));
      await putTrigger(service, 't1', { rootDirectory: 'web' });
      return pushApi(service, 22, ['api/main.go', 'README.md']);
    },
    summary: /none under web/,
  },
];

for (const scenario of scenarios) {
  test(`the story of a push that did not wake names ${scenario.reason} for the trigger`, async (t) => {
    const service = await world(t);
    const delivery = await scenario.run(service);
    t.is(delivery.state, 'applied');
    const story = await storyOf(service, delivery.id);
    t.is(story.outcome, 'woke_none');
    t.regex(story.summary, /^woke 0 of 1 trigger: /);
    t.regex(story.summary, scenario.summary);
    t.is(story.candidates.length, 1);
    t.like(story.candidates[0], { triggerId: 't1', outcome: 'not_woken', reason: scenario.reason });
    t.true(
      story.audit.some((r) => r.kind === 'routing.decision' && r.decision === 'not_woken'),
      'the decision is in the delivery audit',
    );
    const wakes = (await (await service.api('/api/wakes')).json()) as { wakes: unknown[] };
    t.deepEqual(wakes.wakes, []);
  });
}

test('every reason code has an end-to-end scenario', (t) => {
  t.deepEqual(new Set(scenarios.map((s) => s.reason)), new Set(NOT_WOKEN_REASONS));
});

test('a push under the root directory wakes the trigger once, writes a wake and says so', async (t) => {
  const service = await world(t);
  await ok(service.api('/api/automations/a1', json('PUT', { userId: 'u1', installationId: 22, name: 'review' })));
  await ok(service.api('/api/users/u1/projects', json('PUT', { repoId: API.id, rootDirectory: 'web' })));
  await putTrigger(service, 't1', {
    automationId: 'a1',
    rootDirectory: 'web',
    events: ['push', 'pull_request.opened'],
  });
  await putTrigger(service, 't2', { events: ['issues'] });
  const delivery = await pushApi(service, 22, ['web/index.ts']);
  const story = await storyOf(service, delivery.id);
  t.is(story.outcome, 'woke');
  t.is(story.summary, 'woke 1 of 2 triggers: trigger t2 listens to issues, not push');
  t.deepEqual(
    story.candidates.map((c) => [c.triggerId, c.outcome, c.reason]),
    [
      ['t1', 'woken', null],
      ['t2', 'not_woken', 'event_not_subscribed'],
    ],
  );
  t.is(story.delivery.state, 'applied');
  const page = (await (await service.api('/api/wakes')).json()) as {
    wakes: Record<string, unknown>[];
    nextCursor: string;
  };
  t.is(page.wakes.length, 1);
  t.like(page.wakes[0], {
    id: `${delivery.id}:t1`,
    deliveryId: delivery.id,
    triggerId: 't1',
    automationId: 'a1',
    userId: 'u1',
    repoId: 7,
    installationId: 22,
    event: 'push',
  });
  const after = (await (await service.api(`/api/wakes?cursor=${page.nextCursor}`)).json()) as {
    wakes: unknown[];
    nextCursor: string;
  };
  t.deepEqual(after, { wakes: [], nextCursor: page.nextCursor }, 'the cursor stays put when nothing is new');

  const pr = await deliver(service, 'pull_request', pullRequestPayload('opened', API, 22));
  t.is((await storyOf(service, pr.id)).outcome, 'woke', 'a root directory does not filter events other than push');
});

test('a push to a repo no trigger names records no_candidates with what was looked up', async (t) => {
  const service = await world(t);
  await putTrigger(service, 't1', {});
  const delivery = await deliver(service, 'push', pushPayload(OTHER, 22, ['x']));
  t.is(delivery.state, 'ignored');
  const story = await storyOf(service, delivery.id);
  t.is(story.outcome, 'no_candidates');
  t.deepEqual(story.candidates, []);
  t.is(story.summary, 'no trigger is registered for octo-org/docs (repo id 8), so nothing could wake');
  const [outcome] = await service.store.listAudit({ limit: 1, deliveryId: delivery.id, kind: 'routing.outcome' });
  t.like(outcome?.after, { lookedUp: { repoId: 8, fullName: 'octo-org/docs' } });
});

test('a renamed repo still matches its triggers by id', async (t) => {
  const service = await world(t);
  await putTrigger(service, 't1', { repoFullName: 'octo-org/api' });
  const renamed = await deliver(service, 'push', pushPayload({ ...API, name: 'api-v2' }, 22, ['a']));
  t.is((await storyOf(service, renamed.id)).outcome, 'woke');
});

test('a replay re-tests routing only, and is refused while the delivery is pending or names no repo', async (t) => {
  const service = await world(t);
  await putTrigger(service, 't1', {});
  const renamed = await deliver(service, 'repository', repositoryPayload('renamed', { ...API, name: 'api-v2' }, 22));
  await deliver(service, 'repository', repositoryPayload('renamed', { ...API, name: 'api-v3' }, 22));
  const replay = await ok(service.api(`/api/deliveries/${renamed.id}/replay`, { method: 'POST' }));
  const { deliveryId } = (await replay.json()) as { deliveryId: string };
  const replayed = await eventually(async () => {
    const story = await storyOf(service, deliveryId);
    return story.outcome === 'not_routed' ? null : story;
  });
  t.is(replayed.outcome, 'woke_none', 'routed again (t1 listens to push only)');
  t.is(
    (await service.store.getRepoRow({ userId: 'u1', repoId: API.id, rootDirectory: null }))?.fullName,
    'octo-org/api-v3',
    'the old rename was not applied again',
  );

  const installationCreated = (await service.store.listDeliveries({ limit: 50 })).find(
    (d) => d.event === 'installation',
  );
  const notRoutable = await service.api(`/api/deliveries/${installationCreated?.id ?? ''}/replay`, { method: 'POST' });
  t.is(notRoutable.status, 409);
  t.like(await notRoutable.json(), { error: { code: 'not_replayable' } });

  await service.store.recordDelivery(
    {
      id: 'waiting',
      event: 'push',
      action: null,
      installationId: 22,
      repoId: 7,
      receivedAt: new Date().toISOString(),
      payload: '{}',
      headers: {},
    },
    new Date().toISOString(),
  );
  await service.store
    .claimNextDelivery({ workerId: 'elsewhere', now: new Date().toISOString(), leaseUntil: '2999-01-01T00:00:00.000Z' })
    .catch(() => null);
  const pending = await service.api('/api/deliveries/waiting/replay', { method: 'POST' });
  t.is(pending.status, 409);
  t.like(await pending.json(), { error: { code: 'delivery_pending' } });
});

test('an installation event is not routed, and its story says what it did', async (t) => {
  const service = await world(t);
  const [created] = await service.store.listDeliveries({ limit: 1 });
  const story = await storyOf(service, created?.id ?? '');
  t.is(story.outcome, 'not_routed');
  t.regex(story.summary, /^applied: installation created; .*not routed/);
  t.true(story.audit.some((r) => r.kind === 'webhook.installation'));
});

test('the story of an unknown delivery is a 404 with a JSON error', async (t) => {
  const service = await startTestService(t);
  const response = await service.api('/api/deliveries/nope');
  t.is(response.status, 404);
  t.like(await response.json(), { error: { code: 'delivery_not_found' } });
});

import test from 'ava';
import { newDelivery } from '../src/domain/delivery.js';
import { webhookRouter } from '../src/reconcile/apply-delivery.js';
import type { WebhookDeps } from '../src/reconcile/webhooks/apply-repo-changes.js';
import { incomingFixture } from './support/fixtures.js';
import {
  coveredRepoWorld,
  deliver,
  installationPayload,
  OCTO_API,
  repositoryPayload,
  scopePayload,
} from './support/github-payloads.js';
import { startTestService } from './support/test-service.js';
import { examplePayload } from './support/webhook-samples.js';

// R7 as a table: every handled event.action has its own handler, and anything else of those
// events is ignored with the reason.

const INSTALLATION_ID = 22;

const HANDLED: Record<string, (action: string) => Record<string, unknown>> = {
  'installation.created': (action) => installationPayload(action, INSTALLATION_ID, [OCTO_API]),
  'installation.deleted': (action) => installationPayload(action, INSTALLATION_ID),
  'installation.suspend': (action) => installationPayload(action, INSTALLATION_ID),
  'installation.unsuspend': (action) => installationPayload(action, INSTALLATION_ID),
  'installation.new_permissions_accepted': (action) => installationPayload(action, INSTALLATION_ID),
  'installation_repositories.added': () => scopePayload('added', INSTALLATION_ID, [OCTO_API]),
  'installation_repositories.removed': () => scopePayload('removed', INSTALLATION_ID, [OCTO_API]),
  ...Object.fromEntries(
    [
      'created',
      'renamed',
      'transferred',
      'publicized',
      'privatized',
      'edited',
      'archived',
      'unarchived',
      'deleted',
    ].map((action) => [`repository.${action}`, () => repositoryPayload(action, OCTO_API, INSTALLATION_ID)]),
  ),
  // @octokit/webhooks-examples has no installation_target example: this is the documented shape.
  'installation_target.renamed': () => ({
    action: 'renamed',
    account: { id: 5, login: 'octo-renamed', type: 'Organization', node_id: 'O_5' },
    changes: { login: { from: 'octo-org' } },
    installation: { id: INSTALLATION_ID, node_id: 'I_22' },
    target_type: 'Organization',
    sender: { id: 1, login: 'octocat', type: 'User' },
  }),
  ping: () => examplePayload('ping'),
};

// Registering handlers reads nothing: the table needs no store or GitHub behind them.
const router = webhookRouter({} as WebhookDeps);

const deliveryOf = (name: string) => {
  const [event = '', action = null] = name.split('.');
  return newDelivery(incomingFixture(`table-${name}`, { event, action }), 1);
};

for (const name of Object.keys(HANDLED)) {
  test(`${name} has a registered handler`, (t) => {
    t.like(
      router.dispatch(deliveryOf(name), () => new Date()),
      { kind: 'handler', name },
    );
  });
}

test('no handler is registered beyond the R7 table', (t) => {
  t.deepEqual(router.names().sort(), Object.keys(HANDLED).sort());
});

for (const name of ['repository.something_new', 'installation.unknown', 'installation_repositories.moved']) {
  test(`${name} is ignored, and says it is not handled`, (t) => {
    t.like(
      router.dispatch(deliveryOf(name), () => new Date()),
      {
        kind: 'unhandled_action',
        outcome: { state: 'ignored', reason: `${name} is not handled` },
      },
    );
  });
}

test('an event no handler knows is left to routing', (t) => {
  t.like(
    router.dispatch(deliveryOf('push'), () => new Date()),
    { kind: 'none' },
  );
  t.like(
    router.dispatch(deliveryOf('constructor'), () => new Date()),
    { kind: 'none' },
  );
});

test('each handled event.action, delivered for real, reaches its handler and ends with a reason', async (t) => {
  t.timeout(60_000);
  const service = await startTestService(t);
  await coveredRepoWorld(service);
  for (const [name, payloadOf] of Object.entries(HANDLED)) {
    const [event = '', action = ''] = name.split('.');
    const delivery = await deliver(service, event, payloadOf(action));
    t.not(delivery.state, 'failed', `${name}: ${delivery.error}`);
    t.truthy(delivery.reason, name);
    t.notRegex(delivery.reason ?? '', /is not handled|no handler for event/, name);
  }
});

test('repository.something_new is ignored with its reason and changes nothing', async (t) => {
  const service = await startTestService(t);
  await coveredRepoWorld(service);
  const rows = await service.store.listRepoRowsByRepoId(OCTO_API.id);
  const delivery = await deliver(service, 'repository', repositoryPayload('something_new', OCTO_API, INSTALLATION_ID));
  t.is(delivery.state, 'ignored');
  t.regex(delivery.reason ?? '', /^repository\.something_new is not handled; /);
  t.deepEqual(await service.store.listRepoRowsByRepoId(OCTO_API.id), rows);
});

test('installation.unknown is ignored with its reason', async (t) => {
  const service = await startTestService(t);
  const delivery = await deliver(service, 'installation', {
    ...installationPayload('created', INSTALLATION_ID),
    action: 'unknown',
  });
  t.like(delivery, { state: 'ignored', reason: 'installation.unknown is not handled' });
  t.is(await service.store.getInstallation(INSTALLATION_ID), null);
});

test('a signed repository.renamed whose repository is not an object is ignored with the reason, not failed', async (t) => {
  const service = await startTestService(t);
  await coveredRepoWorld(service);
  const delivery = await deliver(service, 'repository', {
    ...repositoryPayload('renamed', OCTO_API, INSTALLATION_ID),
    repository: 'octo-org/api',
  });
  t.like(delivery, { state: 'ignored', reason: 'the payload has no usable repository' });
});

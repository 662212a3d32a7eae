import test, { type ExecutionContext } from 'ava';
import fc from 'fast-check';
import { startFakeGitHub, type FakeRepo } from './support/fake-github.js';
import {
  deliver,
  installationPayload,
  repositoryPayload,
  rowsView,
  scopePayload,
  transferredPayload,
} from './support/github-payloads.js';
import { json, startTestService, type TestService } from './support/test-service.js';

// GitHub does not guarantee order and may deliver twice (GITHUB-FACTS.md, Deliveries). Whatever
// order the same events arrive in, with duplicates, and wherever the user's own link changes fall
// among them, the routing model must end the same.

const a: FakeRepo = { id: 3001, owner: 'octo-org', name: 'api' };
const aRenamed: FakeRepo = { ...a, name: 'api-v2' };
const b: FakeRepo = { id: 3002, owner: 'octo-org', name: 'web' };
const c: FakeRepo = { id: 3003, owner: 'octo-org', name: 'docs' };
const d: FakeRepo = { id: 3004, owner: 'octo-org', name: 'old' };
// other-org's installation 22 covers all its repositories; e moves from it to octo-org's 11.
const e: FakeRepo = { id: 3005, owner: 'other-org', name: 'tools' };
const eMoved: FakeRepo = { ...e, owner: 'octo-org' };
const f: FakeRepo = { id: 3006, owner: 'other-org', name: 'site' };
// third-org's installation 33, which u1 unlinks and links again (a link alone syncs nothing).
const g: FakeRepo = { id: 3007, owner: 'third-org', name: 'lab' };

type Step =
  { kind: 'webhook'; event: string; payload: Record<string, unknown> } | { kind: 'api'; method: string; path: string };

/**
 * What happened, in GitHub's order: installed with a, b, d; c added; b removed; a renamed; d
 * deleted; suspended and back; e transferred from other-org (whose installation covers all
 * repositories, so it is told nothing) to octo-org and added to 11. Then u1's own changes.
 */
const WEBHOOKS: Step[] = [
  { kind: 'webhook', event: 'installation', payload: installationPayload('created', 11, [a, b, d]) },
  { kind: 'webhook', event: 'installation_repositories', payload: scopePayload('added', 11, [c]) },
  { kind: 'webhook', event: 'installation_repositories', payload: scopePayload('removed', 11, [b]) },
  { kind: 'webhook', event: 'repository', payload: repositoryPayload('renamed', aRenamed, 11) },
  { kind: 'webhook', event: 'repository', payload: repositoryPayload('deleted', d, 11) },
  { kind: 'webhook', event: 'installation', payload: installationPayload('suspend', 11) },
  { kind: 'webhook', event: 'installation', payload: installationPayload('unsuspend', 11) },
  { kind: 'webhook', event: 'repository', payload: transferredPayload(eMoved, 11, 'other-org') },
  { kind: 'webhook', event: 'installation_repositories', payload: scopePayload('added', 11, [eMoved]) },
];
const UNLINK_33 = WEBHOOKS.length;
const LINK_33 = UNLINK_33 + 1;
const STEPS: Step[] = [
  ...WEBHOOKS,
  { kind: 'api', method: 'DELETE', path: '/api/users/u1/installations/33' },
  { kind: 'api', method: 'PUT', path: '/api/users/u1/installations/33' },
];

async function answered(response: Promise<Response>): Promise<void> {
  const done = await response;
  if (done.status >= 300) throw new Error(`${done.status}: ${await done.text()}`);
}

async function take(service: TestService, step: Step): Promise<void> {
  if (step.kind === 'api') return answered(service.api(step.path, { method: step.method }));
  const delivery = await deliver(service, step.event, step.payload);
  if (delivery.state !== 'applied')
    throw new Error(`${step.event} ended ${delivery.state}: ${delivery.reason ?? delivery.error}`);
}

interface FinalState {
  u1: string[];
  u2: string[];
  u1Links: number[];
  suspended: boolean;
  deleted: boolean;
}

async function finalState(t: ExecutionContext, order: number[]): Promise<FinalState> {
  const fake = await startFakeGitHub(t);
  fake.installations.set(11, { id: 11, account: { id: 5, login: 'octo-org', type: 'Organization' }, repos: [] });
  fake.installations.set(22, {
    id: 22,
    account: { id: 6, login: 'other-org', type: 'Organization' },
    repos: [e, f],
    repositorySelection: 'all',
  });
  fake.installations.set(33, { id: 33, account: { id: 7, login: 'third-org', type: 'Organization' }, repos: [g] });
  const service = await startTestService(t, {
    env: { GITHUB_API_URL: fake.url, GITHUB_APP_ID: String(fake.appId), GITHUB_APP_PRIVATE_KEY: fake.privateKey },
  });
  // Before: u1 holds 11, 22 and 33; u2 holds 22 only; both synced while e was other-org's.
  await answered(service.api('/api/users/u1', json('PUT', { githubUserId: 1, githubLogin: 'octocat' })));
  await answered(service.api('/api/users/u2', json('PUT', { githubUserId: 2, githubLogin: 'hubot' })));
  for (const id of [11, 22, 33]) await answered(service.api(`/api/users/u1/installations/${id}`, { method: 'PUT' }));
  await answered(service.api('/api/users/u2/installations/22', { method: 'PUT' }));
  await answered(service.api('/api/users/u1/sync', json('POST', {})));
  await answered(service.api('/api/users/u2/sync', json('POST', {})));
  // GitHub's state after all of it: what every resync reads, whatever delivery it follows.
  fake.installations.get(11)!.repos = [aRenamed, c, eMoved];
  fake.installations.get(22)!.repos = [f];
  for (const index of order) {
    const step = STEPS[index];
    if (step !== undefined) await take(service, step);
  }
  const installation = await service.store.getInstallation(11);
  const state = {
    u1: rowsView(await service.store.listRepoRows('u1', { limit: 100 })),
    u2: rowsView(await service.store.listRepoRows('u2', { limit: 100 })),
    u1Links: await service.store.listLinkedInstallationIds('u1'),
    suspended: installation?.suspendedAt !== null,
    deleted: installation?.deletedAt !== null,
  };
  await service.close();
  return state;
}

test('the same events in any order, with duplicates and link changes among them, end in the same routing model', async (t) => {
  t.timeout(600_000);
  const expected = await finalState(
    t,
    STEPS.map((_, i) => i),
  );
  t.deepEqual(expected, {
    // e moved to 11 and is covered there; g lost 33's coverage when u1 unlinked it, and linking
    // again alone does not sync it back.
    u1: ['octo-org/api-v2@11', 'octo-org/docs@11', 'octo-org/tools@11', 'other-org/site@22', 'third-org/lab@-'],
    // u2 holds only other-org's installation: the transfer took e's coverage away although
    // GitHub told that installation nothing.
    u2: ['octo-org/tools@-', 'other-org/site@22'],
    u1Links: [11, 22, 33],
    suspended: false,
    deleted: false,
  });

  const indices = STEPS.map((_, i) => i);
  const webhookIndices = WEBHOOKS.map((_, i) => i);
  const orders = fc
    .tuple(
      fc.shuffledSubarray(indices, { minLength: indices.length, maxLength: indices.length }),
      fc.array(fc.tuple(fc.constantFrom(...webhookIndices), fc.nat({ max: indices.length })), { maxLength: 3 }),
    )
    .map(([permutation, duplicates]) => {
      const order = [...permutation];
      // The user unlinks before linking again: only GitHub's deliveries come in any order.
      const unlink = order.indexOf(UNLINK_33);
      const link = order.indexOf(LINK_33);
      if (link < unlink) [order[link], order[unlink]] = [UNLINK_33, LINK_33];
      for (const [event, position] of duplicates) order.splice(position, 0, event);
      return order;
    });
  let checked = 0;
  await fc.assert(
    fc.asyncProperty(orders, async (order) => {
      const state = await finalState(t, order);
      checked += 1;
      return JSON.stringify(state) === JSON.stringify(expected);
    }),
    { numRuns: 8, seed: 20261125 },
  );
  t.is(checked, 8, 'every generated order was delivered and compared');
});

import test, { type ExecutionContext } from 'ava';
import fc from 'fast-check';
import { startFakeGitHub, type FakeRepo } from './support/fake-github.js';
import { deliver, installationPayload, repositoryPayload, rowsView, scopePayload } from './support/github-payloads.js';
import { json, startTestService } from './support/test-service.js';

// GitHub does not guarantee order and may deliver twice (GITHUB-FACTS.md, Deliveries). Whatever
// order the same events arrive in, with duplicates, the routing model must end the same.

const a: FakeRepo = { id: 3001, owner: 'octo-org', name: 'api' };
const aRenamed: FakeRepo = { ...a, name: 'api-v2' };
const b: FakeRepo = { id: 3002, owner: 'octo-org', name: 'web' };
const c: FakeRepo = { id: 3003, owner: 'octo-org', name: 'docs' };
const d: FakeRepo = { id: 3004, owner: 'octo-org', name: 'old' };

/** What happened, in GitHub's order: installed with a, b, d; c added; b removed; a renamed; d deleted; suspended and back. */
const EVENTS: [string, Record<string, unknown>][] = [
  ['installation', installationPayload('created', 11, [a, b, d])],
  ['installation_repositories', scopePayload('added', 11, [c])],
  ['installation_repositories', scopePayload('removed', 11, [b])],
  ['repository', repositoryPayload('renamed', aRenamed, 11)],
  ['repository', repositoryPayload('deleted', d, 11)],
  ['installation', installationPayload('suspend', 11)],
  ['installation', installationPayload('unsuspend', 11)],
];

async function finalState(
  t: ExecutionContext,
  order: number[],
): Promise<{ rows: string[]; suspended: boolean; deleted: boolean }> {
  const fake = await startFakeGitHub(t);
  // GitHub's state after all of it: what every resync reads, whatever delivery it follows.
  fake.installations.set(11, {
    id: 11,
    account: { id: 5, login: 'octo-org', type: 'Organization' },
    repos: [aRenamed, c],
  });
  const service = await startTestService(t, {
    env: { GITHUB_API_URL: fake.url, GITHUB_APP_ID: String(fake.appId), GITHUB_APP_PRIVATE_KEY: fake.privateKey },
  });
  await service.api('/api/users/u1', json('PUT', { githubUserId: 1, githubLogin: 'octocat' }));
  await service.api('/api/users/u1/installations/11', { method: 'PUT' });
  for (const index of order) {
    const [event, payload] = EVENTS[index] ?? [];
    if (event === undefined || payload === undefined) continue;
    const delivery = await deliver(service, event, payload);
    if (delivery.state !== 'applied')
      throw new Error(`${event} ended ${delivery.state}: ${delivery.reason ?? delivery.error}`);
  }
  const installation = await service.store.getInstallation(11);
  const state = {
    rows: rowsView(await service.store.listRepoRows('u1', { limit: 100 })),
    suspended: installation?.suspendedAt !== null,
    deleted: installation?.deletedAt !== null,
  };
  await service.close();
  return state;
}

test('the same events in any order, with duplicates, end in the same routing model', async (t) => {
  t.timeout(240_000);
  const expected = await finalState(
    t,
    EVENTS.map((_, i) => i),
  );
  t.deepEqual(expected, { rows: ['octo-org/api-v2@11', 'octo-org/docs@11'], suspended: false, deleted: false });

  const indices = EVENTS.map((_, i) => i);
  const orders = fc
    .tuple(
      fc.shuffledSubarray(indices, { minLength: indices.length, maxLength: indices.length }),
      fc.array(fc.tuple(fc.constantFrom(...indices), fc.nat({ max: indices.length })), { maxLength: 3 }),
    )
    .map(([permutation, duplicates]) => {
      const order = [...permutation];
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

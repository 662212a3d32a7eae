import test from 'ava';
import type { DeliveriesPage, DeliveryPayloadJson, SearchAnswer } from '../src/http/api-shapes.js';
import {
  coveredRepoWorld,
  deliver,
  OCTO_API,
  pushPayload,
  pushTrigger,
  repositoryPayload,
} from './support/github-payloads.js';
import { startTestService } from './support/test-service.js';

// The investigation API (issue 15): find deliveries by a repo's former name, by trigger, by
// problem; resolve the search box; read a delivery's payload and headers as GitHub sent them.

interface ErrorBody {
  error: { code: string; message: string };
}

const RENAMED = { ...OCTO_API, name: 'billing-api' };

/** u1's trigger t1 on repo 7 (octo-org/api, renamed to octo-org/billing-api) woke once under each name;
 * a push from installation 23, which t1 is not bound to, woke nothing: a problem. */
async function renamedRepoWorld(t: Parameters<typeof startTestService>[0]) {
  const service = await startTestService(t);
  await coveredRepoWorld(service);
  await pushTrigger(service, 22);
  const before = await deliver(service, 'push', pushPayload(OCTO_API, 22, ['README.md']));
  const renamed = await deliver(service, 'repository', repositoryPayload('renamed', RENAMED, 22));
  const after = await deliver(service, 'push', pushPayload(RENAMED, 22, ['README.md']));
  const refused = await deliver(service, 'push', pushPayload(RENAMED, 23, ['README.md']));
  const page = async (query: string) => {
    const response = await service.api(`/api/deliveries?${query}`);
    t.is(response.status, 200, query);
    return ((await response.json()) as DeliveriesPage).deliveries;
  };
  return { service, page, ids: { before: before.id, renamed: renamed.id, after: after.id, refused: refused.id } };
}

test('deliveries are found by the name a repo had before a rename, in any case, and carry its name today', async (t) => {
  const { page, ids } = await renamedRepoWorld(t);
  const byFormerName = await page('repo=OCTO-ORG/API');
  t.deepEqual(
    byFormerName.map((d) => d.id),
    [ids.refused, ids.after, ids.renamed, ids.before],
  );
  t.true(byFormerName.every((d) => d.repoFullName === 'octo-org/billing-api'));
  t.deepEqual(
    (await page('repo=octo-org/billing-api&event=push')).map((d) => d.id),
    [ids.refused, ids.after, ids.before],
  );
  t.deepEqual(await page('repo=octo-org/never-was'), []);
  t.deepEqual(
    (await page('repoId=7&repo=octo-org/api&limit=1')).map((d) => d.id),
    [ids.refused],
  );
});

test('deliveries are found by trigger and installation, and problems apart from expected non-matches', async (t) => {
  const { page, ids } = await renamedRepoWorld(t);
  t.deepEqual(
    (await page('trigger=t1')).map((d) => d.id),
    [ids.refused, ids.after, ids.renamed, ids.before],
    'the rename was routed too: t1 does not subscribe to repository events',
  );
  t.like((await page('trigger=t1&event=repository'))[0], { problem: false, reasons: ['event_not_subscribed'] });
  const [refused, ...others] = await page('outcome=woke_nothing&problems=1');
  t.is(others.length, 0);
  t.like(refused, { id: ids.refused, outcome: 'woke_none', problem: true });
  t.true((refused?.reasons.length ?? 0) > 0);
  const reason = refused?.reasons[0] ?? '';
  t.deepEqual(
    (await page(`reason=${reason}`)).map((d) => d.id),
    [ids.refused],
  );
  const woke = (await page(`trigger=t1&outcome=woke`)).map((d) => ({
    id: d.id,
    problem: d.problem,
    reasons: d.reasons,
  }));
  t.deepEqual(woke, [
    { id: ids.after, problem: false, reasons: [] },
    { id: ids.before, problem: false, reasons: [] },
  ]);
  t.deepEqual(
    (await page('installation=23')).map((d) => d.id),
    [ids.refused],
  );
  t.deepEqual(
    (await page('installation=octo-org&event=push')).map((d) => d.id),
    [ids.after, ids.before],
  );
});

test('the search box resolves a former repo name, a delivery id, a trigger, a login and a trace id', async (t) => {
  const { service, ids } = await renamedRepoWorld(t);
  const search = async (q: string) => {
    const response = await service.api(`/api/search?q=${encodeURIComponent(q)}`);
    t.is(response.status, 200, q);
    return (await response.json()) as SearchAnswer;
  };
  t.deepEqual((await search('Octo-Org/API')).matches, [
    {
      kind: 'repo',
      id: '7',
      label: 'octo-org/billing-api',
      detail: 'repo 7, called Octo-Org/API before',
      formerName: 'Octo-Org/API',
    },
  ]);
  t.like((await search('octo-org/billing-api')).matches, [{ kind: 'repo', id: '7', label: 'octo-org/billing-api' }]);
  t.like((await search(ids.before)).matches, [{ kind: 'delivery', id: ids.before, label: 'push' }]);
  t.like((await search('t1')).matches, [{ kind: 'trigger', id: 't1' }]);
  t.like((await search('u1')).matches, [{ kind: 'user', id: 'u1', label: 'u1' }]);
  t.deepEqual(
    (await search('7')).matches.map((m) => m.kind),
    ['repo'],
  );
  const trace = 'a'.repeat(32);
  t.deepEqual((await search(trace)).matches, [{ kind: 'trace', id: trace, label: `trace ${trace}`, detail: null }]);
  t.deepEqual((await search('nothing-here/at-all')).matches, []);
  // A delivery list narrowed by the search box text: the repo it names.
  const listed = (await (await service.api('/api/deliveries?q=octo-org/api&event=push')).json()) as DeliveriesPage;
  t.is(listed.deliveries.length, 3);
});

test('a delivery payload is served as signed, with the headers GitHub sent minus the signatures', async (t) => {
  const { service, ids } = await renamedRepoWorld(t);
  const response = await service.api(`/api/deliveries/${ids.after}/payload`);
  t.is(response.status, 200);
  const body = (await response.json()) as DeliveryPayloadJson;
  t.like(body, { deliveryId: ids.after, event: 'push', action: null });
  t.deepEqual(body.payload, JSON.parse((await service.store.getDeliveryPayload(ids.after)) ?? 'null'));
  t.like(body.headers, {
    'x-github-event': 'push',
    'x-github-delivery': ids.after,
    'user-agent': 'GitHub-Hookshot/test',
  });
  t.false(
    Object.keys(body.headers).some((name) => name.startsWith('x-hub-signature')),
    'no signature kept',
  );
  t.false('authorization' in body.headers);
  const missing = await service.api('/api/deliveries/no-such-delivery/payload');
  t.is(missing.status, 404);
  t.is(((await missing.json()) as ErrorBody).error.code, 'delivery_not_found');
});

test('delivery search and the search box refuse unknown and malformed parameters, naming them', async (t) => {
  const service = await startTestService(t, { env: { INBOX_PAUSED: 'true' } });
  for (const [query, named] of [
    ['/api/deliveries?color=red', /unknown filter color/],
    ['/api/deliveries?repo=not-a-name', /^repo /],
    ['/api/deliveries?repoId=x', /^repoId /],
    ['/api/deliveries?since=2026-02-30T00:00:00Z', /^since /],
    ['/api/deliveries?problems=yes', /^problems /],
    ['/api/deliveries?outcome=sleepy', /^outcome /],
    ['/api/deliveries?event=push&event=issues', /^event must be given once/],
    ['/api/deliveries?limit=201', /^limit /],
    ['/api/search', /^q /],
    ['/api/search?q=x&kind=repo', /unknown filter kind/],
  ] as const) {
    const response = await service.api(query);
    t.is(response.status, 400, query);
    const { error } = (await response.json()) as ErrorBody;
    t.is(error.code, 'invalid_query', query);
    t.regex(error.message, named, query);
  }
});

import test from 'ava';
import type { AuditRecord } from '../src/domain/audit/index.js';
import { coveredRepoWorld, deliver, pushPayload, pushTrigger } from './support/github-payloads.js';
import { startTestService, type TestService } from './support/test-service.js';

interface AuditPage {
  records: AuditRecord[];
  nextCursor: string | null;
}

const page = async (service: TestService, query: string): Promise<AuditPage> => {
  const response = await service.api(`/api/audit${query}`);
  if (response.status !== 200) throw new Error(`${response.status}: ${await response.text()}`);
  return (await response.json()) as AuditPage;
};

async function world(t: Parameters<typeof startTestService>[0]): Promise<TestService> {
  const service = await startTestService(t);
  await coveredRepoWorld(service);
  await pushTrigger(service, 22);
  return service;
}

test('audit search lists newest first and pages with a cursor until the end', async (t) => {
  const service = await world(t);
  const all = await page(service, '?limit=1000');
  t.true(all.records.length >= 5);
  t.is(all.nextCursor, null);
  const seqs = all.records.map((r) => r.seq);
  t.deepEqual(
    seqs,
    [...seqs].sort((a, b) => b - a),
    'newest first',
  );
  const seen: number[] = [];
  let cursor: string | null = '';
  while (cursor !== null) {
    const next: AuditPage = await page(service, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
    seen.push(...next.records.map((r) => r.seq));
    cursor = next.nextCursor;
  }
  t.deepEqual(seen, seqs, 'pages cover every record once, in order');
});

test('audit search filters by user, kind, delivery, repo (id or name, any case) and time', async (t) => {
  const service = await world(t);
  const push = await deliver(service, 'push', pushPayload({ id: 7, owner: 'octo-org', name: 'api' }, 22, ['a']));
  const byKind = await page(service, '?kind=routing.decision');
  t.deepEqual(
    byKind.records.map((r) => [r.kind, r.decision, r.subject.triggerId]),
    [['routing.decision', 'woken', 't1']],
  );
  const byDelivery = await page(service, `?deliveryId=${push.id}`);
  t.deepEqual(byDelivery.records.map((r) => r.kind).sort(), [
    'delivery.outcome',
    'routing.decision',
    'routing.outcome',
  ]);
  const byUser = (await page(service, '?userId=u1')).records;
  t.true(byUser.length >= 3);
  t.true(byUser.every((r) => r.subject.userId === 'u1'));
  const byName = await page(service, '?repo=Octo-Org/API');
  const byId = await page(service, '?repo=7');
  t.true(byName.records.length >= 3);
  t.deepEqual(
    byName.records.map((r) => r.seq),
    byId.records.map((r) => r.seq),
  );
  t.true(byId.records.every((r) => r.subject.repoId === 7));
  t.deepEqual((await page(service, '?since=2999-01-01T00:00:00Z')).records, []);
  t.deepEqual((await page(service, '?repo=nobody/nothing')).records, []);
  const combined = await page(service, `?kind=routing.outcome&repo=7&deliveryId=${push.id}`);
  t.is(combined.records.length, 1);
});

for (const [query, problem] of [
  ['?limit=0', /limit/],
  ['?limit=1001', /limit/],
  ['?cursor=abc', /cursor/],
  ['?cursor=9999999999999999', /cursor/],
  ['?since=2026-02-30T00:00:00Z', /since/],
  ['?since=yesterday', /since/],
  ['?repo=not a repo', /repo/],
  ['?kind=DROP TABLE', /kind/],
  ['?userId=u1&userId=u2', /userId must be given once/],
  ['?traceId=xyz', /traceId/],
  ['?colour=red', /unknown filter colour/],
] as const) {
  test(`audit search refuses ${query} with a 400 that says why`, async (t) => {
    const service = await startTestService(t);
    const response = await service.api(`/api/audit${query.replace(' ', '%20')}`);
    t.is(response.status, 400);
    const body = (await response.json()) as { error: { message: string } };
    t.regex(body.error.message, problem);
  });
}

test('audit search and the wake outbox need the API token', async (t) => {
  const service = await startTestService(t);
  t.is((await fetch(`${service.url}/api/audit`)).status, 401);
  t.is((await fetch(`${service.url}/api/wakes`)).status, 401);
  t.is((await service.api('/api/wakes?cursor=x')).status, 400);
});

test('a replay of an unknown delivery is a 404, and a replay is audited under the new delivery', async (t) => {
  const service = await world(t);
  const missing = await service.api('/api/deliveries/nope/replay', { method: 'POST' });
  t.is(missing.status, 404);
  t.like(await missing.json(), { error: { code: 'delivery_not_found' } });
  const push = await deliver(service, 'push', pushPayload({ id: 7, owner: 'octo-org', name: 'api' }, 22, ['a']));
  const replay = await service.api(`/api/deliveries/${push.id}/replay`, { method: 'POST' });
  t.is(replay.status, 202);
  const { deliveryId } = (await replay.json()) as { deliveryId: string };
  const [record] = (await page(service, `?deliveryId=${deliveryId}&kind=delivery.replayed`)).records;
  t.like(record, { actor: 'api', before: { deliveryId: push.id }, after: { deliveryId } });
  t.is(await service.store.getDeliveryPayload(deliveryId), await service.store.getDeliveryPayload(push.id));
});

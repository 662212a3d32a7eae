import test from 'ava';
import { examplePayload, postDelivery, signedDelivery } from './support/webhook-samples.js';
import { eventually, startTestService, TEST_SECRET } from './support/test-service.js';

interface ErrorBody {
  error: { code: string; message: string };
}

for (const [what, headers] of [
  ['no token', {}],
  ['a wrong token', { authorization: 'Bearer wrong-token' }],
  ['a token without the Bearer scheme', { authorization: 'test-api-token-0123456789' }],
] as const) {
  test(`/api refuses ${what} with 401 and a JSON error`, async (t) => {
    const service = await startTestService(t);
    const response = await fetch(`${service.url}/api/deliveries/anything`, { headers });
    t.is(response.status, 401);
    t.is(response.headers.get('www-authenticate'), 'Bearer realm="reconciler"');
    t.is(((await response.json()) as ErrorBody).error.code, 'unauthorized');
  });
}

test('GET /api/deliveries/:id returns the stored delivery and its state', async (t) => {
  const service = await startTestService(t);
  const payload = examplePayload('installation', 'created');
  await postDelivery(service.url, await signedDelivery(TEST_SECRET, 'installation', 'guid-api', payload));
  await eventually(async () => (await service.store.getDelivery('guid-api'))?.state === 'applied');
  const response = await service.api('/api/deliveries/guid-api');
  t.is(response.status, 200);
  const body = (await response.json()) as { delivery: Record<string, unknown> };
  t.like(body.delivery, {
    id: 'guid-api',
    event: 'installation',
    action: 'created',
    installationId: (payload.installation as { id: number }).id,
    state: 'applied',
    attempts: 1,
    error: null,
  });
  t.regex(String(body.delivery.receivedAt), /^\d{4}-\d\d-\d\dT/);
  t.regex(String(body.delivery.processedAt), /^\d{4}-\d\d-\d\dT/);
});

test('an unknown delivery id is a 404 JSON error', async (t) => {
  const service = await startTestService(t);
  const response = await service.api('/api/deliveries/nope');
  t.is(response.status, 404);
  t.is(((await response.json()) as ErrorBody).error.code, 'delivery_not_found');
});

test('GET /api/deliveries pages newest first and validates its query', async (t) => {
  const service = await startTestService(t, { env: { INBOX_PAUSED: 'true' } });
  for (const id of ['g1', 'g2', 'g3']) {
    await postDelivery(service.url, await signedDelivery(TEST_SECRET, 'push', id, examplePayload('push')));
  }
  const first = (await (await service.api('/api/deliveries?limit=2')).json()) as {
    deliveries: { id: string }[];
    nextCursor: string | null;
  };
  t.deepEqual(
    first.deliveries.map((d) => d.id),
    ['g3', 'g2'],
  );
  t.truthy(first.nextCursor);
  const second = (await (await service.api(`/api/deliveries?limit=2&cursor=${first.nextCursor}`)).json()) as {
    deliveries: { id: string }[];
    nextCursor: string | null;
  };
  t.deepEqual(
    second.deliveries.map((d) => d.id),
    ['g1'],
  );
  t.is(second.nextCursor, null);
  for (const bad of ['limit=0', 'limit=abc', 'state=done', 'cursor=-1', 'limit=1&limit=2']) {
    const response = await service.api(`/api/deliveries?${bad}`);
    t.is(response.status, 400, bad);
    t.is(((await response.json()) as ErrorBody).error.code, 'invalid_query');
  }
});

test('unknown routes answer 404 with the JSON error shape, inside and outside /api', async (t) => {
  const service = await startTestService(t);
  for (const response of [await fetch(`${service.url}/nowhere`), await service.uncheckedApi('/api/nowhere?x=1')]) {
    t.is(response.status, 404);
    t.regex(response.headers.get('content-type') ?? '', /application\/json/);
    const body = (await response.json()) as ErrorBody;
    t.is(body.error.code, 'not_found');
    t.regex(body.error.message, /nowhere$/);
  }
});

test('a malformed JSON body on /api is a 400 JSON error', async (t) => {
  const service = await startTestService(t);
  const response = await service.api('/api/users/u1', {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: '{"broken":',
  });
  t.is(response.status, 400);
  t.is(((await response.json()) as ErrorBody).error.code, 'malformed_json');
});

test('healthz says the process is up and readyz that the store and worker are', async (t) => {
  const service = await startTestService(t);
  t.deepEqual(await (await fetch(`${service.url}/healthz`)).json(), { status: 'ok' });
  const ready = await fetch(`${service.url}/readyz`);
  t.is(ready.status, 200);
  t.deepEqual(await ready.json(), {
    status: 'ready',
    store: 'ok',
    worker: 'running',
    ingress: { bodyBytesInFlight: 0, bodyBytesBudget: 128 * 1024 * 1024 },
  });
});

test('readyz reports a paused inbox as ready and an unreachable store as 503', async (t) => {
  const service = await startTestService(t, { env: { INBOX_PAUSED: 'yes' } });
  t.like(await (await fetch(`${service.url}/readyz`)).json(), { status: 'ready', worker: 'paused' });
  await service.store.close();
  const response = await fetch(`${service.url}/readyz`);
  t.is(response.status, 503);
  t.is(((await response.json()) as ErrorBody).error.code, 'store_unreachable');
});

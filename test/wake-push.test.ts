import test, { type ExecutionContext } from 'ava';
import { Webhook } from 'standardwebhooks';
import { OCTO_API, coveredRepoWorld, deliver, pushPayload, pushTrigger } from './support/github-payloads.js';
import { eventually, json, startTestService, type TestService } from './support/test-service.js';
import { RUNNER_SECRET, startWakeReceiver, type WakeReceiver } from './support/wake-receiver.js';

// Pushed wakes end to end (docs/wake-push.md): a signed push from GitHub wakes a trigger, and the
// wake reaches a runner endpoint over real HTTP, signed in the Standard Webhooks format, with
// retries, a pause for an endpoint that keeps failing, and requeueing of what was given up.

interface EndpointJson {
  id: string;
  condition: string;
  pending: number;
  consecutiveFailures: number;
  pausedUntil: string | null;
  secretSet: boolean;
}

interface SendJson {
  id: string;
  state: string;
  attempts: number;
  attemptLog: { status: number | null }[];
  wake: { id: string };
}

async function ok(response: Promise<Response>): Promise<Response> {
  const answered = await response;
  if (answered.status >= 300) throw new Error(`${answered.status}: ${await answered.text()}`);
  return answered;
}

async function world(t: ExecutionContext, env: Record<string, string> = {}): Promise<TestService> {
  const service = await startTestService(t, {
    env: { WAKE_PUSH_FIRST_RETRY_MS: '20', WAKE_PUSH_PAUSE_SECONDS: '1', ...env },
  });
  await coveredRepoWorld(service);
  await pushTrigger(service, 22);
  return service;
}

const register = (service: TestService, receiver: WakeReceiver, extra: Record<string, unknown> = {}) =>
  ok(service.api('/api/endpoints/runner', json('PUT', { url: receiver.url, secret: RUNNER_SECRET, ...extra })));

const push = (service: TestService) => deliver(service, 'push', pushPayload(OCTO_API, 22, ['README.md']));

async function sends(service: TestService, query = ''): Promise<SendJson[]> {
  return ((await (await ok(service.api(`/api/endpoints/runner/sends${query}`))).json()) as { sends: SendJson[] }).sends;
}

async function endpoint(service: TestService): Promise<EndpointJson> {
  return ((await (await ok(service.api('/api/endpoints/runner'))).json()) as { endpoint: EndpointJson }).endpoint;
}

test('a woken trigger is pushed to the endpoint, signed, with the wake as its data', async (t) => {
  const service = await world(t);
  const receiver = await startWakeReceiver(t);
  const registered = (await (await register(service, receiver)).json()) as { endpoint: EndpointJson };
  t.like(registered.endpoint, { id: 'runner', secretSet: true, condition: 'healthy' });
  t.false(JSON.stringify(registered).includes(RUNNER_SECRET), 'the secret is never shown');
  const delivery = await push(service);
  const [request] = await eventually(async () => (receiver.received.length > 0 ? receiver.received : null), 10_000);
  const message = new Webhook(RUNNER_SECRET).verify(request!.body, request!.headers as Record<string, string>) as {
    type: string;
    data: { id: string; deliveryId: string; repoFullName: string; push: { ref: string } };
  };
  t.is(message.type, 'wake.created');
  t.like(message.data, { id: `${delivery.id}:t1`, deliveryId: delivery.id, repoFullName: 'octo-org/api' });
  t.is(request!.headers['webhook-id'], `${delivery.id}:t1`, 'a receiver dedupes on the wake id');
  const [sent] = await eventually(async () => {
    const all = await sends(service);
    return all[0]?.state === 'delivered' ? all : null;
  });
  t.like(sent, { state: 'delivered', attempts: 1 });
  t.deepEqual(
    sent?.attemptLog.map((a) => a.status),
    [204],
  );
  const metrics = await (await fetch(`${service.url}/metrics`)).text();
  t.regex(metrics, /reconciler_wake_sends_total\{endpoint="runner",result="delivered"\} 1/);
  t.regex(metrics, /reconciler_wake_send_queue\{endpoint="runner"\} 0/);
});

test('failed attempts are retried with their statuses kept, and Retry-After is honoured', async (t) => {
  const service = await world(t);
  const receiver = await startWakeReceiver(t);
  receiver.answer = (n) => (n === 0 ? { status: 500 } : n === 1 ? { status: 503, retryAfter: '1' } : { status: 200 });
  await register(service, receiver);
  await push(service);
  const [sent] = await eventually(async () => {
    const all = await sends(service);
    return all[0]?.state === 'delivered' ? all : null;
  }, 10_000);
  t.deepEqual(
    sent?.attemptLog.map((a) => a.status),
    [500, 503, 200],
  );
  t.is(receiver.received.length, 3);
  const [, second, third] = receiver.received;
  const gap = Number(third?.headers['webhook-timestamp']) - Number(second?.headers['webhook-timestamp']);
  t.true(gap >= 1, 'the third attempt came no sooner than Retry-After asked');
  t.is(new Set(receiver.received.map((r) => r.headers['webhook-id'])).size, 1, 'one webhook-id for every attempt');
  const metrics = await (await fetch(`${service.url}/metrics`)).text();
  t.regex(metrics, /reconciler_wake_sends_total\{endpoint="runner",result="failed"\} 2/);
});

test('an endpoint that keeps failing is paused and says so, then receives everything once it answers', async (t) => {
  const service = await world(t, { WAKE_PUSH_PAUSE_SECONDS: '2' });
  const receiver = await startWakeReceiver(t);
  let down = true;
  receiver.answer = () => ({ status: down ? 502 : 204 });
  await register(service, receiver);
  const pushes = [];
  for (let i = 0; i < 10; i++) pushes.push(await push(service));
  const paused = await eventually(async () => {
    const now = await endpoint(service);
    return now.condition === 'paused' ? now : null;
  }, 15_000);
  t.true(paused.consecutiveFailures >= 10);
  t.truthy(paused.pausedUntil);
  const metrics = await (await fetch(`${service.url}/metrics`)).text();
  t.regex(metrics, /reconciler_wake_endpoint_paused\{endpoint="runner"\} 1/);
  down = false;
  await eventually(async () => {
    const all = await sends(service, '?state=delivered');
    return all.length === 10 ? all : null;
  }, 20_000);
  t.like(await endpoint(service), { condition: 'healthy', consecutiveFailures: 0, pending: 0 });
  const delivered = new Set(receiver.received.map((r) => r.headers['webhook-id']));
  t.deepEqual([...delivered].sort(), pushes.map((p) => `${p.id}:t1`).sort());
});

test('a given-up send is kept and requeued, one by one or everything given up since a time', async (t) => {
  const service = await world(t, { WAKE_PUSH_MAX_ATTEMPTS: '2' });
  const receiver = await startWakeReceiver(t);
  let failing = true;
  receiver.answer = () => ({ status: failing ? 500 : 204 });
  await register(service, receiver);
  await push(service);
  await push(service);
  const given = await eventually(async () => {
    const all = await sends(service, '?state=given_up');
    return all.length === 2 ? all : null;
  }, 10_000);
  t.true(given.every((s) => s.attempts === 2));
  failing = false;
  const one = await ok(service.api('/api/endpoints/runner/requeue', json('POST', { sendId: given[0]?.id })));
  t.deepEqual(await one.json(), { requeued: 1 });
  await eventually(async () => ((await sends(service, '?state=delivered')).length === 1 ? true : null), 10_000);
  const rest = await ok(service.api('/api/endpoints/runner/requeue', json('POST', { since: '2000-01-01T00:00:00Z' })));
  t.deepEqual(await rest.json(), { requeued: 1 });
  await eventually(async () => ((await sends(service, '?state=delivered')).length === 2 ? true : null), 10_000);
  const audit = (await (await ok(service.api('/api/audit?kind=endpoint.requeued'))).json()) as { records: unknown[] };
  t.is(audit.records.length, 2);
});

test('an endpoint receives only what its filter names', async (t) => {
  const service = await world(t);
  const receiver = await startWakeReceiver(t);
  await register(service, receiver, { filter: { events: ['pull_request'] } });
  const other = await startWakeReceiver(t);
  await ok(service.api('/api/endpoints/all', json('PUT', { url: other.url, secret: RUNNER_SECRET })));
  await push(service);
  await eventually(async () => (other.received.length === 1 ? true : null), 10_000);
  t.is(receiver.received.length, 0);
  t.deepEqual(await sends(service), []);
});

test('endpoint input is refused with the field named, and the configured endpoint is not the API’s to change', async (t) => {
  const receiver = await startWakeReceiver(t);
  const service = await startTestService(t, {
    env: { WAKE_ENDPOINT_URL: receiver.url, WAKE_ENDPOINT_SECRET: RUNNER_SECRET },
  });
  const refusals: [unknown, RegExp][] = [
    [{ url: 'ftp://x', secret: RUNNER_SECRET }, /url: must be an http\(s\) URL/],
    [{ url: receiver.url, secret: 'hunter2' }, /secret: must start with whsec_/],
    [{ url: receiver.url }, /secret: is required for a new endpoint/],
    [{ url: receiver.url, secret: RUNNER_SECRET, colour: 'red' }, /colour: is not a known field/],
    [{ url: receiver.url, secret: RUNNER_SECRET, filter: { events: ['push!'] } }, /events\[0\]/],
    [
      { url: receiver.url, secret: RUNNER_SECRET, filter: { events: ['pushh'] } },
      /filter.events\[0\]: "pushh" is not a GitHub/,
    ],
  ];
  for (const [body, message] of refusals) {
    const answer = await service.api('/api/endpoints/x', json('PUT', body));
    t.is(answer.status, 400, JSON.stringify(body));
    t.regex(((await answer.json()) as { error: { message: string } }).error.message, message);
  }
  const listed = (await (await ok(service.api('/api/endpoints'))).json()) as {
    endpoints: { id: string; source: string }[];
  };
  t.deepEqual(
    listed.endpoints.map((e) => [e.id, e.source]),
    [['default', 'config']],
  );
  t.is(
    (await service.api('/api/endpoints/default', json('PUT', { url: receiver.url, secret: RUNNER_SECRET }))).status,
    409,
  );
  t.is((await service.api('/api/endpoints/default', { method: 'DELETE' })).status, 409);
  t.is((await service.api('/api/endpoints/nope')).status, 404);
  await coveredRepoWorld(service);
  await pushTrigger(service, 22);
  await push(service);
  await eventually(async () => (receiver.received.length === 1 ? true : null), 10_000);
});

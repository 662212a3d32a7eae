import { connect, type Socket } from 'node:net';
import test, { type ExecutionContext } from 'ava';
import { GITHUB_PAYLOAD_CAP_BYTES } from '../src/http/routes/webhook.js';
import { IngressActivity } from '../src/inbox/ingress-gate.js';
import { eventually, startTestService, TEST_SECRET, type TestService } from './support/test-service.js';
import { postDelivery, signedDelivery } from './support/webhook-samples.js';

// Issue 19, finding 1: unauthenticated clients that declare 25 MB bodies and stall must not close
// the webhook endpoint. Readiness (finding 6) reports an exhausted budget.

interface Readiness {
  status: number;
  body: { status?: string; ingress?: { bodyBytesInFlight: number }; error?: { code: string } };
}

async function readiness(service: TestService): Promise<Readiness> {
  const response = await fetch(`${service.url}/readyz`);
  return { status: response.status, body: (await response.json()) as Readiness['body'] };
}

interface StalledUpload {
  socket: Socket;
  /** Everything the server sent, once it closed the connection. */
  closed: Promise<string>;
  /** What the server sent before it closed, or null while the connection is open. */
  answer(): string | null;
}

/**
 * A client from `localAddress` that declares a body at GitHub's cap, sends a few bytes of it and
 * then sends nothing more; unless it `reads`, it does not read either (its socket is paused).
 */
async function stalledUpload(
  t: ExecutionContext,
  service: TestService,
  localAddress: string,
  reads: boolean,
): Promise<StalledUpload> {
  const { port } = new URL(service.url);
  const socket = connect({ port: Number(port), host: '127.0.0.1', localAddress });
  t.teardown(() => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  let received = '';
  let isClosed = false;
  const closed = new Promise<string>((resolve) => {
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.once('close', () => {
      isClosed = true;
      resolve(received);
    });
    socket.on('error', () => undefined);
  });
  socket.write(
    `POST /webhooks/github HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n` +
      `content-length: ${GITHUB_PAYLOAD_CAP_BYTES}\r\nx-github-event: push\r\nx-github-delivery: stall\r\n` +
      `x-hub-signature-256: sha256=${'0'.repeat(64)}\r\n\r\n{"zen":"`,
  );
  if (!reads) socket.pause();
  return { socket, closed, answer: () => (isClosed ? received : null) };
}

const genuine = (id: string) => signedDelivery(TEST_SECRET, 'ping', id, { zen: 'still here', hook_id: 1 });

test('six stalled 25 MB uploads from one address hold no more than its share, and signed deliveries from elsewhere get 202', async (t) => {
  // The stall timeout is out of the way: only the shares protect here.
  const service = await startTestService(t, { overrides: { webhookBodyStallMs: 120_000 } });
  const uploads = await Promise.all([1, 2, 3, 4, 5, 6].map(() => stalledUpload(t, service, '127.0.0.2', true)));
  // Two fit in the address's half of the budget; the other four are refused at once and closed.
  const refused = await eventually(async () => {
    const answers = uploads.map((upload) => upload.answer()).filter((answer) => answer !== null);
    return answers.length >= 4 ? answers : null;
  });
  t.is(refused.length, 4);
  for (const answer of refused) {
    t.regex(answer, /^HTTP\/1\.1 503 /);
    t.regex(answer, /"code":"busy"/);
  }
  t.is((await readiness(service)).body.ingress?.bodyBytesInFlight, 2 * GITHUB_PAYLOAD_CAP_BYTES);

  for (const id of ['genuine-1', 'genuine-2', 'genuine-3', 'genuine-4', 'genuine-5']) {
    t.is((await postDelivery(service.url, await genuine(id))).status, 202);
  }
  t.is((await readiness(service)).status, 200, 'half the budget is free: the service is ready');

  for (const upload of uploads) upload.socket.destroy();
  await eventually(async () => (await readiness(service)).body.ingress?.bodyBytesInFlight === 0);
});

test('stalled uploads are answered 408 and closed although they never read, and the budget returns to 0', async (t) => {
  const service = await startTestService(t, { overrides: { webhookBodyStallMs: 300 } });
  const addresses = ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5', '127.0.0.6', '127.0.0.7'];
  const uploads = await Promise.all(addresses.map((address) => stalledUpload(t, service, address, false)));
  // The server closes every one of them on its own; the client reads only to see what it was told.
  const answers = await Promise.all(
    uploads.map(async (upload) => {
      const closed = upload.closed;
      await new Promise((resolve) => setTimeout(resolve, 500));
      upload.socket.resume();
      return closed;
    }),
  );
  const statuses = answers.map((answer) => /^HTTP\/1\.1 (\d+)/.exec(answer)?.[1]);
  // Five fit in the 128 MB budget and stall (408); the sixth fits only if one of them has been
  // given up already (408), else it is refused at once (503).
  const timedOut = statuses.filter((status) => status === '408').length;
  t.true(timedOut >= 5, statuses.join(' '));
  t.true(
    statuses.every((status) => status === '408' || status === '503'),
    statuses.join(' '),
  );
  t.true(answers.filter((a) => a.startsWith('HTTP/1.1 408')).every((a) => a.includes('"code":"request_timeout"')));
  await eventually(async () => (await readiness(service)).body.ingress?.bodyBytesInFlight === 0);
  t.is((await postDelivery(service.url, await genuine('after-the-stall'))).status, 202);
  const metrics = await (await fetch(`${service.url}/metrics`)).text();
  t.regex(
    metrics,
    new RegExp(`^reconciler_webhook_requests_total\\{event="push",result="timeout"\\} ${timedOut}$`, 'm'),
  );
});

test('readyz is 503 while the body budget is exhausted and ready again once it is released', async (t) => {
  const budget = 2 * GITHUB_PAYLOAD_CAP_BYTES;
  const service = await startTestService(t, {
    overrides: {
      webhookBodyStallMs: 120_000,
      webhookBodyBudget: { totalBytes: budget, perSourceBytes: GITHUB_PAYLOAD_CAP_BYTES },
    },
  });
  t.is((await readiness(service)).status, 200);
  const uploads = [
    await stalledUpload(t, service, '127.0.0.2', false),
    await stalledUpload(t, service, '127.0.0.3', false),
  ];
  const exhausted = await eventually(async () => {
    const ready = await readiness(service);
    return ready.status === 503 ? ready : null;
  });
  t.is(exhausted.body.error?.code, 'ingress_exhausted');
  t.is((await postDelivery(service.url, await genuine('while-exhausted'))).status, 503);
  for (const upload of uploads) upload.socket.destroy();
  await eventually(async () => (await readiness(service)).status === 200);
  t.is((await postDelivery(service.url, await genuine('after-release'))).status, 202);
});

test('a reservation is released once, per request and per address, however often release is called', (t) => {
  const activity = new IngressActivity({ totalBytes: 100, perSourceBytes: 60 });
  const first = activity.open('a');
  t.is(first.reserve(50), null);
  t.is(activity.open('a').reserve(20), 'over_source_share');
  const other = activity.open('b');
  t.is(other.reserve(51), 'over_budget');
  t.is(activity.open('b').reserve(50), null);
  t.is(activity.bodyBytesInFlight(), 100);
  t.true(activity.isExhausted());
  first.release();
  first.release();
  t.is(activity.bodyBytesInFlight(), 50);
  t.is(first.reserve(1), 'over_budget', 'a released reservation takes nothing more');
  t.is(activity.open('a').reserve(50), null, 'the address has its share back');
});

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import test from 'ava';
import { verify } from '@octokit/webhooks-methods';
import type { HookDeliveryAttempt } from '../src/domain/decide-redelivery-sweep.js';
import { GitHubError } from '../src/github/github-port.js';
import { createOctokitGitHub } from '../src/github/octokit-github.js';
import { silentLogger } from '../src/telemetry/logger.js';
import { startFakeGitHub, type FakeGitHub } from './support/fake-github.js';

// The App's webhook delivery log and redelivery requests through the Octokit adapter, against the
// fake GitHub over HTTP. No installation tokens are minted here (App JWT only), so tests may run
// concurrently.

const adapterFor = (fake: FakeGitHub, app: { appId: number; privateKey: string } | null = fake) =>
  createOctokitGitHub({
    app: app && { appId: app.appId, privateKey: app.privateKey },
    baseUrl: fake.url,
    logger: silentLogger,
  });

const minutesAgo = (minutes: number): string =>
  new Date(Date.now() - minutes * 60_000).toISOString().replace(/\.\d+Z$/, 'Z');

async function listAll(fake: FakeGitHub, since: Date): Promise<HookDeliveryAttempt[][]> {
  const pages: HookDeliveryAttempt[][] = [];
  for await (const page of adapterFor(fake).listHookDeliveries(since)) pages.push(page);
  return pages;
}

test('deliveries are read newest first, a cursor page at a time, and not past the time asked for', async (t) => {
  const fake = await startFakeGitHub(t);
  for (let i = 0; i < 250; i++)
    fake.recordHookDelivery({
      guid: `guid-${i}`,
      event: 'push',
      payload: { n: i },
      deliveredAt: minutesAgo(250 - i),
      statusCode: i % 2 === 0 ? 202 : 502,
      installationId: 11,
      repositoryId: 7,
    });
  const pages = await listAll(fake, new Date(Date.now() - 150.5 * 60_000));

  t.deepEqual(
    pages.map((page) => page.length),
    [100, 50],
  );
  const read = pages.flat();
  t.is(read[0]?.guid, 'guid-249', 'newest first');
  t.is(read.at(-1)?.guid, 'guid-100');
  const listed = fake.requests.filter((r) => r.path === '/app/hook/deliveries');
  t.is(listed.length, 2, 'the third page, all older than the window, is never asked for');
  t.true(listed.every((r) => r.auth === 'jwt'));
  const original = fake.hookDeliveries[249]?.item;
  t.deepEqual(read[0], {
    id: Number(original?.id),
    guid: 'guid-249',
    deliveredAt: new Date(original?.delivered_at ?? '').toISOString(),
    redelivery: false,
    statusCode: 502,
    event: 'push',
    action: null,
    installationId: 11,
    repositoryId: 7,
  });
});

test('an empty delivery log is no pages', async (t) => {
  const fake = await startFakeGitHub(t);
  t.deepEqual(await listAll(fake, new Date(Date.now() - 60_000)), []);
});

test('a redelivery is sent again under the same GUID, signed, and logged as a redelivery with its answer', async (t) => {
  const fake = await startFakeGitHub(t);
  const received: { headers: Record<string, string | string[] | undefined>; body: string }[] = [];
  const endpoint = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => endpoint.close(() => resolve())));
  fake.webhook = { url: `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}/hook`, secret: 's3cret' };

  const failed = fake.recordHookDelivery({ guid: 'guid-1', event: 'issues', action: 'opened', payload: { a: 1 } });
  await adapterFor(fake).redeliverHookDelivery(Number(failed.item.id));
  await fake.redeliveriesSettled();

  t.is(received.length, 1);
  t.is(received[0]?.body, '{"a":1}');
  t.like(received[0]?.headers, { 'x-github-delivery': 'guid-1', 'x-github-event': 'issues' });
  t.true(await verify('s3cret', received[0]?.body ?? '', String(received[0]?.headers['x-hub-signature-256'])));
  t.like(fake.hookDeliveries.at(-1)?.item, { guid: 'guid-1', redelivery: true, status_code: 202, action: 'opened' });
  t.like(
    fake.requests.find((r) => r.method === 'POST'),
    { path: `/app/hook/deliveries/${String(failed.item.id)}/attempts`, auth: 'jwt' },
  );
});

test('GitHub failures are typed: unknown delivery, server error, no credentials', async (t) => {
  const fake = await startFakeGitHub(t);
  t.like(await t.throwsAsync(adapterFor(fake).redeliverHookDelivery(12345), { instanceOf: GitHubError }), {
    kind: 'not_found',
    retryable: false,
  });
  fake.fail({ path: /^\/app\/hook\/deliveries$/, status: 503 });
  t.like(await t.throwsAsync(listAll(fake, new Date(0)), { instanceOf: GitHubError }), {
    kind: 'unavailable',
    retryable: true,
  });
  const withoutApp = adapterFor(fake, null);
  t.like(await t.throwsAsync(withoutApp.redeliverHookDelivery(1), { instanceOf: GitHubError }), {
    kind: 'unauthorized',
  });
  const iterate = async () => {
    for await (const _ of withoutApp.listHookDeliveries(new Date(0))) t.fail('nothing is listed without credentials');
  };
  t.like(await t.throwsAsync(iterate(), { instanceOf: GitHubError }), { kind: 'unauthorized' });
});

import { connect } from 'node:net';
import { join } from 'node:path';
import test from 'ava';
import Database from 'better-sqlite3';
import { sign } from '@octokit/webhooks-methods';
import type { ApplyDelivery } from '../src/inbox/worker-contract.js';
import { GITHUB_PAYLOAD_CAP_BYTES } from '../src/http/routes/webhook.js';
import {
  examplePayload,
  postDelivery,
  postSeeingEarlyAnswer,
  sendLargeBody,
  signedDelivery,
} from './support/webhook-samples.js';
import { eventually, ROTATED_SECRET, startTestService, temporaryDir, TEST_SECRET } from './support/test-service.js';

function countingApplier(): { apply: ApplyDelivery; calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    apply: async (delivery) => {
      calls.push(delivery.id);
      return { state: 'applied', reason: null, audit: [] };
    },
  };
}

test('a signed real payload is answered 202 and is committed before the response', async (t) => {
  const dataDir = temporaryDir(t);
  const service = await startTestService(t, { dataDir, env: { INBOX_PAUSED: 'true' } });
  const payload = examplePayload('installation', 'created');
  const response = await postDelivery(
    service.url,
    await signedDelivery(TEST_SECRET, 'installation', 'guid-1', payload),
  );
  t.is(response.status, 202);
  t.deepEqual(await response.json(), { status: 'accepted', deliveryId: 'guid-1', state: 'received' });

  // A second, independent connection sees the row: it was committed, not only queued in memory.
  const reader = new Database(join(dataDir, 'reconciler.sqlite'), { readonly: true });
  t.teardown(() => reader.close());
  const row = reader
    .prepare('SELECT d.*, p.payload FROM deliveries d JOIN delivery_payloads p ON p.seq = d.seq WHERE d.id = ?')
    .get('guid-1') as Record<string, unknown>;
  t.like(row, {
    event: 'installation',
    action: 'created',
    installation_id: (payload.installation as { id: number }).id,
    state: 'received',
    payload: JSON.stringify(payload),
  });
  t.like(JSON.parse(row.headers as string), { 'x-github-hook-id': '1', 'user-agent': 'GitHub-Hookshot/test' });
});

test('the same delivery sent again is acknowledged as a duplicate and not applied twice', async (t) => {
  const { apply, calls } = countingApplier();
  const service = await startTestService(t, { overrides: { apply } });
  const delivery = await signedDelivery(TEST_SECRET, 'push', 'guid-dup', examplePayload('push'));
  t.is((await postDelivery(service.url, delivery)).status, 202);
  await eventually(async () => (await service.store.getDelivery('guid-dup'))?.state === 'applied');
  const again = await postDelivery(service.url, delivery);
  t.is(again.status, 200);
  t.deepEqual(await again.json(), { status: 'duplicate', deliveryId: 'guid-dup', state: 'applied' });
  await new Promise((resolve) => setTimeout(resolve, 100));
  t.deepEqual(calls, ['guid-dup']);
});

test('repository events index their installation and repository ids', async (t) => {
  const service = await startTestService(t, { env: { INBOX_PAUSED: '1' } });
  const payload = examplePayload('repository', 'renamed');
  await postDelivery(service.url, await signedDelivery(TEST_SECRET, 'repository', 'guid-repo', payload));
  t.like(await service.store.getDelivery('guid-repo'), {
    event: 'repository',
    action: 'renamed',
    installationId: (payload.installation as { id: number } | undefined)?.id ?? null,
    repoId: (payload.repository as { id: number }).id,
  });
});

const forgeries: [string, (body: string) => Promise<Record<string, string>>, (body: string) => string][] = [
  ['a wrong secret', async (body) => ({ 'x-hub-signature-256': await sign('not-the-secret', body) }), (b) => b],
  ['no signature', async () => ({}), (b) => b],
  ['a sha1 signature only', async () => ({ 'x-hub-signature': 'sha1=0000' }), (b) => b],
  [
    'a tampered body',
    async (body) => ({ 'x-hub-signature-256': await sign(TEST_SECRET, body) }),
    (b) => b.replace('FORGERY-MARKER', 'FORGERY-MARKES'),
  ],
];

for (const [what, signatureHeaders, tamper] of forgeries) {
  test(`${what} is refused with 401, nothing is stored and the body is not logged`, async (t) => {
    const service = await startTestService(t);
    const body = JSON.stringify({ action: 'created', marker: 'FORGERY-MARKER', installation: { id: 1 } });
    const response = await fetch(`${service.url}/webhooks/github`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'installation',
        'x-github-delivery': 'guid-forged',
        ...(await signatureHeaders(body)),
      },
      body: tamper(body),
    });
    t.is(response.status, 401);
    t.is(((await response.json()) as { error: { code: string } }).error.code, 'bad_signature');
    t.deepEqual(await service.store.listDeliveries({ limit: 10 }), []);
    const logs = service.logLines().join('\n');
    t.regex(logs, /webhook refused: bad signature/);
    t.notRegex(logs, /FORGERY-MARKE/);
  });
}

test('a delivery signed with the second secret of a rotation is accepted', async (t) => {
  const service = await startTestService(t);
  const response = await postDelivery(
    service.url,
    await signedDelivery(ROTATED_SECRET, 'ping', 'guid-rot', { zen: 'x' }),
  );
  t.is(response.status, 202);
  t.not(await service.store.getDelivery('guid-rot'), null);
});

const malformed: [string, string, Record<string, string | undefined>, string][] = [
  ['a body that is not JSON', 'not json at all', {}, 'malformed_body'],
  ['a JSON array', '[1,2,3]', {}, 'malformed_body'],
  ['a JSON string', '"push"', {}, 'malformed_body'],
  ['a missing X-GitHub-Event', '{}', { 'x-github-event': undefined }, 'missing_header'],
  ['a missing X-GitHub-Delivery', '{}', { 'x-github-delivery': undefined }, 'missing_header'],
];

for (const [what, body, headerChanges, code] of malformed) {
  test(`${what} with a valid signature is refused with 400 and a JSON error`, async (t) => {
    const service = await startTestService(t);
    const signed = await signedDelivery(TEST_SECRET, 'push', 'guid-bad', body);
    const headers: Record<string, string> = { ...signed.headers };
    for (const [name, value] of Object.entries(headerChanges)) {
      if (value === undefined) delete headers[name];
      else headers[name] = value;
    }
    const response = await fetch(`${service.url}/webhooks/github`, { method: 'POST', headers, body });
    t.is(response.status, 400);
    t.is(((await response.json()) as { error: { code: string } }).error.code, code);
    t.deepEqual(await service.store.listDeliveries({ limit: 10 }), []);
  });
}

for (const declareLength of [true, false]) {
  test(`a 26 MB body is refused with 413 (${declareLength ? 'declared length' : 'chunked'})`, async (t) => {
    const service = await startTestService(t);
    const size = 26 * 1024 * 1024;
    t.true(size > GITHUB_PAYLOAD_CAP_BYTES);
    const response = await sendLargeBody(service.url, size, declareLength);
    t.is(response.status, 413);
    t.is((JSON.parse(response.body) as { error: { code: string } }).error.code, 'payload_too_large');
    t.deepEqual(await service.store.listDeliveries({ limit: 10 }), []);
  });
}

test('a delivery the store cannot take is answered 500 and counted as an error on /metrics', async (t) => {
  const service = await startTestService(t);
  await service.store.close();
  const response = await postDelivery(
    service.url,
    await signedDelivery(TEST_SECRET, 'push', 'guid-down', { zen: 'x' }),
  );
  t.is(response.status, 500);
  const metrics = await (await fetch(`${service.url}/metrics`)).text();
  t.regex(metrics, /^reconciler_webhook_requests_total\{event="push",result="error"\} 1$/m);
  t.regex(metrics, /^reconciler_inbox_pending nan$/im, 'a gauge the store cannot answer reads unknown, not a 500');
  t.notRegex(metrics, /^reconciler_repos\{/m);
});

test('a client that closes the connection mid-body gets nothing stored, is counted as aborted and is not logged as an error', async (t) => {
  const service = await startTestService(t);
  const { port } = new URL(service.url);
  await new Promise<void>((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => {
      socket.write(
        'POST /webhooks/github HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 5000\r\n' +
          'x-github-event: push\r\nx-github-delivery: guid-cut\r\nx-hub-signature-256: sha256=00\r\n\r\n{"zen":',
      );
      setTimeout(() => {
        socket.destroy();
        resolve();
      }, 100);
    });
    socket.once('error', reject);
  });
  const metrics = await eventually(async () => {
    const text = await (await fetch(`${service.url}/metrics`)).text();
    return /result="aborted"\} 1$/m.test(text) ? text : null;
  });
  t.regex(metrics, /^reconciler_webhook_requests_total\{event="push",result="aborted"\} 1$/m);
  t.notRegex(metrics, /result="error"\} [1-9]/);
  t.deepEqual(await service.store.listDeliveries({ limit: 10 }), []);
  const lines = service.logLines().map((line) => JSON.parse(line) as { level: string | number; msg: string });
  t.true(lines.some((line) => /closed the connection mid-body/.test(line.msg)));
  t.false(
    lines.some((line) => line.level === 'error' || line.level === 50),
    'a client going away is not our error',
  );
});

test('webhook bodies held in memory at once are bounded: over the budget a request is refused with 503 and the others go on', async (t) => {
  // One address may take the whole budget here: the shares per address are tested in ingress-budget.test.ts.
  const service = await startTestService(t, {
    // The slow upload pauses on purpose: it must not be given up as stalled on a loaded machine.
    overrides: {
      webhookBodyBudget: { totalBytes: 1_000_000, perSourceBytes: 1_000_000 },
      webhookBodyStallMs: 120_000,
    },
  });
  const { port } = new URL(service.url);
  const big = async (id: string) =>
    signedDelivery(TEST_SECRET, 'star', id, { action: 'created', zen: 'x'.repeat(700_000) });

  // A slow upload holds 600 KB of the budget while it is still arriving.
  const slow = await big('guid-slow');
  const raw = Buffer.from(slow.body);
  const socket = connect(Number(port), '127.0.0.1');
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  const head = Object.entries({ ...slow.headers, host: 'x', 'content-length': String(raw.length) })
    .map(([name, value]) => `${name}: ${value}`)
    .join('\r\n');
  const answer = new Promise<string>((resolve) => {
    let text = '';
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
      if (text.includes('\r\n\r\n')) resolve(text);
    });
  });
  socket.write(`POST /webhooks/github HTTP/1.1\r\n${head}\r\n\r\n`);
  socket.write(raw.subarray(0, 600_000));
  // Received and reserved before the next request comes in.
  await new Promise((resolve) => setTimeout(resolve, 300));

  const refused = await postSeeingEarlyAnswer(service.url, await big('guid-crowded'));
  t.is(refused.status, 503);
  t.is(refused.headers['retry-after'], '1');
  t.is((JSON.parse(refused.body) as { error: { code: string } }).error.code, 'busy');

  // The slow one finishes within the budget; once it is done, the budget is free again.
  socket.write(raw.subarray(600_000));
  t.regex(await answer, /^HTTP\/1\.1 202 /);
  socket.destroy();
  t.is((await postDelivery(service.url, await big('guid-later'))).status, 202);
  t.deepEqual(
    (await service.store.getDeliveriesByIds(['guid-slow', 'guid-crowded', 'guid-later'])).map((d) => d.id).sort(),
    ['guid-later', 'guid-slow'],
  );
  const metrics = await (await fetch(`${service.url}/metrics`)).text();
  t.regex(metrics, /^reconciler_webhook_requests_total\{event="other",result="busy"\} 1$/m);
});

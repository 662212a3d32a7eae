import { createHmac } from 'node:crypto';
import { request } from 'node:http';
import { connect } from 'node:net';
import test from 'ava';
import fc from 'fast-check';
import { KEPT_ACTION_CHARS } from '../src/domain/delivery.js';
import { ANSWER_FIELD_CHARS } from '../src/http/create-app.js';
import { TOKEN_FAILURE_LIMIT, TokenFailures } from '../src/http/api-auth.js';
import { verifySignature } from '../src/inbox/verify-signature.js';
import { eventually, startTestService, TEST_SECRET, TEST_TOKEN } from './support/test-service.js';
import { examplePayload, postDelivery, signedDelivery } from './support/webhook-samples.js';

// Issue 19, findings 5, 7, 8 and 11, and the limit on failed API tokens.

interface ErrorBody {
  error: { code: string; message: string };
}

/** Sends `raw` as it stands and resolves with everything the server answered before closing. */
function rawExchange(url: string, raw: string | Buffer): Promise<string> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => socket.end(raw));
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    socket.once('close', () => resolve(text));
    socket.once('error', reject);
  });
}

const hmac = (secret: string, body: Buffer): string =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

test('a correctly signed body that is not valid UTF-8 passes the signature and is refused as malformed (400)', async (t) => {
  const service = await startTestService(t);
  const body = Buffer.concat([Buffer.from('{"zen":"'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}')]);
  const send = (signature: string) =>
    fetch(`${service.url}/webhooks/github`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'ping',
        'x-github-delivery': 'guid-latin',
        'x-hub-signature-256': signature,
      },
      body,
    });
  const signed = await send(hmac(TEST_SECRET, body));
  t.is(signed.status, 400);
  t.is(((await signed.json()) as ErrorBody).error.code, 'malformed_body');
  // The same bytes under a signature of their decoding (what a text-based check would accept) are forged.
  const decodedSignature = hmac(TEST_SECRET, Buffer.from(body.toString('utf8')));
  t.is((await send(decodedSignature)).status, 401);
  t.is(await service.store.getDelivery('guid-latin'), null);
});

test('signatures are checked over the bytes, for every secret of a rotation, and only in the sha256=<64 hex> form', (t) => {
  const body = Buffer.from([0x7b, 0x80, 0x7d]);
  t.true(verifySignature(['old', 'new'], body, hmac('new', body)));
  t.true(verifySignature(['old', 'new'], body, hmac('old', body)));
  t.false(verifySignature(['old'], body, hmac('new', body)));
  t.false(verifySignature(['old'], body, hmac('old', body).toUpperCase()));
  t.false(verifySignature(['old'], body, `${hmac('old', body)}00`));
  t.false(verifySignature(['old'], body, undefined));
  t.false(verifySignature(['old'], Buffer.alloc(0), hmac('old', Buffer.alloc(0))));
});

for (const id of ['.', '..', '...', 'a.b', 'a/b', '%2e%2e', 'a:b', 'x y', '']) {
  test(`delivery id ${JSON.stringify(id)} is refused with 400 before it is stored`, async (t) => {
    const service = await startTestService(t);
    const delivery = await signedDelivery(TEST_SECRET, 'ping', 'placeholder', { zen: 'x' });
    const response = await fetch(`${service.url}/webhooks/github`, {
      method: 'POST',
      headers: { ...delivery.headers, 'x-github-delivery': id },
      body: delivery.body,
    });
    t.is(response.status, 400);
    t.is(((await response.json()) as ErrorBody).error.code, 'missing_header');
    t.deepEqual(await service.store.listDeliveries({ limit: 10 }), []);
  });
}

test('the story of every delivery id the ingress accepts can be opened', async (t) => {
  const service = await startTestService(t, { env: { INBOX_PAUSED: 'true' } });
  let accepted = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(
        fc.constantFrom('.', '..', '...', '%2E', '.hidden'),
        fc.string({ minLength: 1, maxLength: 40 }),
        fc.stringMatching(/^[A-Za-z0-9._:%-]{1,40}$/),
        fc.uuid(),
      ),
      async (id) => {
        const delivery = await signedDelivery(TEST_SECRET, 'ping', 'placeholder', { zen: id });
        let response: Response;
        try {
          response = await fetch(`${service.url}/webhooks/github`, {
            method: 'POST',
            headers: { ...delivery.headers, 'x-github-delivery': id },
            body: delivery.body,
          });
        } catch {
          return; // not a header value fetch can send
        }
        if (response.status === 400) return;
        t.true(response.status === 202 || response.status === 200, `${JSON.stringify(id)}: ${response.status}`);
        accepted += 1;
        // A header value travels without its leading and trailing whitespace (fetch strips it).
        const sent = id.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, '');
        const story = await service.api(`/api/deliveries/${sent}`);
        t.is(story.status, 200, `the story of ${JSON.stringify(sent)} opens`);
        t.is(((await story.json()) as { delivery: { id: string } }).delivery.id, sent);
      },
    ),
    { numRuns: 60 },
  );
  t.true(accepted > 10, 'ordinary ids were accepted');
});

test('a signed delivery with a 5 MB action is stored with a 64-character prefix, ignored, and every read stays small', async (t) => {
  const service = await startTestService(t);
  const payload = { ...examplePayload('push'), action: `opened${'x'.repeat(5 * 1024 * 1024)}` };
  t.is((await postDelivery(service.url, await signedDelivery(TEST_SECRET, 'push', 'guid-huge', payload))).status, 202);
  const delivery = await eventually(async () => {
    const stored = await service.store.getDelivery('guid-huge');
    return stored?.state === 'ignored' || stored?.state === 'applied' ? stored : null;
  });
  t.is(delivery.action, `opened${'x'.repeat(KEPT_ACTION_CHARS - 'opened'.length)}…`);
  for (const path of ['/api/deliveries', '/api/deliveries/guid-huge', '/api/audit?deliveryId=guid-huge']) {
    const response = await service.api(path);
    t.is(response.status, 200, path);
    t.true((await response.text()).length < 64 * 1024, `${path} answers a few KB`);
  }
});

test('no answer carries a stored string longer than the field cap (a record stored before actions were bounded)', async (t) => {
  const service = await startTestService(t, { env: { INBOX_PAUSED: 'true' } });
  const huge = 'y'.repeat(3 * 1024 * 1024);
  await service.store.recordDelivery(
    {
      id: 'guid-old',
      event: 'push',
      action: huge,
      installationId: null,
      repoId: null,
      receivedAt: new Date().toISOString(),
      payload: '{}',
      headers: {},
    },
    new Date().toISOString(),
  );
  for (const path of ['/api/deliveries', '/api/deliveries/guid-old']) {
    const response = await service.api(path);
    t.is(response.status, 200);
    const text = await response.text();
    t.true(text.length < ANSWER_FIELD_CHARS * 4, `${path} answers ${text.length} characters`);
    t.regex(text, new RegExp(`y… \\(${huge.length - ANSWER_FIELD_CHARS} more characters\\)`));
  }
});

test('a request without Host gets 400 with the JSON error shape', async (t) => {
  const service = await startTestService(t);
  const answer = await rawExchange(service.url, 'GET /healthz HTTP/1.1\r\nconnection: close\r\n\r\n');
  t.regex(answer, /^HTTP\/1\.1 400 /);
  t.regex(answer, /content-type: application\/json/i);
  const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as ErrorBody;
  t.is(body.error.code, 'missing_host');
  // HTTP/1.0 has no Host requirement.
  t.regex(await rawExchange(service.url, 'GET /healthz HTTP/1.0\r\n\r\n'), /^HTTP\/1\.1 200 /);
});

/** GET from a chosen local address (fetch cannot choose one). */
function getFrom(
  url: string,
  localAddress: string,
  authorization: string,
): Promise<{ status: number; retryAfter?: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { localAddress, headers: { authorization } }, (res) => {
      res.resume();
      res.on('end', () => {
        const retryAfter = res.headers['retry-after'];
        resolve({ status: res.statusCode ?? 0, ...(retryAfter !== undefined ? { retryAfter } : {}) });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

test('wrong API tokens from one address are limited: past the limit it gets 429 with Retry-After, other addresses do not', async (t) => {
  const service = await startTestService(t);
  const url = `${service.url}/api/summary`;
  for (let i = 0; i < TOKEN_FAILURE_LIMIT.failures; i += 1) {
    t.is((await getFrom(url, '127.0.0.2', `Bearer wrong-${i}`)).status, 401);
  }
  const limited = await getFrom(url, '127.0.0.2', 'Bearer wrong-again');
  t.is(limited.status, 429);
  t.true(Number(limited.retryAfter) > 0 && Number(limited.retryAfter) <= TOKEN_FAILURE_LIMIT.windowMs / 1000);
  t.is(
    (await getFrom(url, '127.0.0.2', `Bearer ${TEST_TOKEN}`)).status,
    429,
    'a right token does not reopen the address',
  );
  t.is((await getFrom(url, '127.0.0.3', `Bearer ${TEST_TOKEN}`)).status, 200);
  t.true(service.logLines().some((line) => /too many wrong tokens from one address/.test(line)));
});

test('a failure window ends: the address may try again, and the count starts over', (t) => {
  const failures = new TokenFailures({ failures: 2, windowMs: 1000 });
  t.false(failures.recordFailure('a', 0));
  t.true(failures.recordFailure('a', 10));
  t.is(failures.blockedFor('a', 10), 990);
  t.is(failures.blockedFor('b', 10), 0);
  t.is(failures.blockedFor('a', 1000), 0);
  t.false(failures.recordFailure('a', 1000));
  t.is(failures.blockedFor('a', 1001), 0);
});

import { Writable } from 'node:stream';
import test from 'ava';
import { createLogger } from '../src/telemetry/logger.js';
import { appWorld } from './support/app-world.js';
import { fakeRepos } from './support/fake-github.js';
import { deliver, installationPayload, scopePayload } from './support/github-payloads.js';
import { json, ROTATED_SECRET, TEST_SECRET, TEST_TOKEN } from './support/test-service.js';
import { postDelivery, signedDelivery } from './support/webhook-samples.js';

// Secrets never reach the logs (issue 8, item 4): a scenario that makes the service handle every
// secret it knows, right and wrong, at debug level, then every captured line is searched.

const OAUTH_TOKEN = 'gho_oauthsecret0123456789abcdef';
const REJECTED_OAUTH_TOKEN = 'gho_rejectedsecret0123456789';
const WRONG_API_TOKENS = ['wrong-api-token-5f3a9c', `${TEST_TOKEN}-tail`, 'x'.repeat(64)];

test.serial(
  'no API token, webhook secret, App private key, JWT, installation or OAuth token appears in any log line',
  async (t) => {
    const repos = fakeRepos('octo-org', 3, 700);
    const { fake, service } = await appWorld(t, repos);
    fake.userRepos.set(OAUTH_TOKEN, repos);

    // API tokens, right and wrong, in the Authorization header and where they do not belong.
    const authorizations = [
      `Bearer ${TEST_TOKEN}`,
      ...WRONG_API_TOKENS.map((token) => `Bearer ${token}`),
      `Basic ${Buffer.from(`user:${TEST_TOKEN}`).toString('base64')}`,
      `token ${TEST_TOKEN}`,
    ];
    for (const authorization of authorizations) {
      await fetch(`${service.url}/api/users/u1`, { headers: { authorization } });
      await fetch(`${service.url}/api/no-such-route`, { headers: { authorization } });
      await fetch(`${service.url}/api/users/u1/sync`, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/json' },
        body: '{"oauthToken": "not json',
      });
    }
    await fetch(`${service.url}/api/users/u1?access_token=${TEST_TOKEN}`);

    // Webhooks signed with each secret (installation tokens are minted for the resyncs), and forged ones.
    t.is((await deliver(service, 'installation', installationPayload('created', 11, repos))).state, 'applied');
    const added = await signedDelivery(
      ROTATED_SECRET,
      'installation_repositories',
      'secret-rotated',
      scopePayload('added', 11, repos),
    );
    t.is((await postDelivery(service.url, added)).status, 202);
    const forged = await signedDelivery(
      `${TEST_SECRET}-forged`,
      'installation',
      'secret-forged',
      installationPayload('created', 11),
    );
    t.is((await postDelivery(service.url, forged)).status, 401);

    // OAuth tokens: one GitHub accepts, one it rejects, in a body the validation refuses.
    const synced = await service.api('/api/users/u1/sync', json('POST', { oauthToken: OAUTH_TOKEN }));
    t.is(synced.status, 200, await synced.text());
    await service.api('/api/users/u1/sync', json('POST', { oauthToken: REJECTED_OAUTH_TOKEN }));
    await service.api('/api/users/u1/sync', json('POST', { oauthToken: `${OAUTH_TOKEN} with spaces` }));
    // GitHub failing while the tokens are in use: error paths log too.
    fake.fail({ path: /\/access_tokens$/, status: 500, times: 3 });
    fake.fail({ path: /^\/user\/repos$/, status: 401 });
    await service.api('/api/users/u1/sync', json('POST', { oauthToken: OAUTH_TOKEN }));
    await service.api('/api/users/u1/installations');

    const credentials = fake.credentialsSeen();
    t.true(
      credentials.some((c) => c.startsWith('ghs_')),
      'installation tokens were minted and used',
    );
    t.true(credentials.includes(OAUTH_TOKEN), 'the OAuth token was used');
    t.true(
      credentials.some((c) => c.split('.').length === 3),
      'App JWTs were used',
    );

    const secrets = [
      TEST_TOKEN,
      ...WRONG_API_TOKENS,
      ...authorizations,
      TEST_SECRET,
      ROTATED_SECRET,
      OAUTH_TOKEN,
      REJECTED_OAUTH_TOKEN,
      ...credentials,
      // Any line of the private key's body is enough to give it away.
      ...fake.privateKey.split('\n').filter((line) => line.length > 0 && !line.startsWith('-----')),
    ];
    const lines = service.logLines();
    t.true(
      lines.some((line) => line.includes('"level":"debug"') && line.includes('"component":"github"')),
      'GitHub requests were logged at debug level',
    );
    const leaks = secrets.flatMap((secret) =>
      lines.filter((line) => line.includes(secret)).map((line) => `${secret.slice(0, 12)}… in ${line.slice(0, 300)}`),
    );
    t.deepEqual(leaks, []);
  },
);

test('an object logged whole has its credentials redacted, wherever a request keeps them', (t) => {
  const lines: string[] = [];
  const logger = createLogger({
    level: 'debug',
    destination: new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(chunk.toString('utf8'));
        callback();
      },
    }),
  });
  logger.debug(
    {
      request: { method: 'GET', headers: { authorization: `token ${OAUTH_TOKEN}` } },
      options: { request: { headers: { authorization: `Bearer ${TEST_TOKEN}` } } },
      oauthToken: OAUTH_TOKEN,
      app: { privateKey: '-----BEGIN RSA PRIVATE KEY-----', token: 'ghs_minted' },
    },
    'request',
  );
  const [line] = lines;
  t.truthy(line);
  for (const secret of [OAUTH_TOKEN, TEST_TOKEN, 'PRIVATE KEY', 'ghs_minted']) t.false(line?.includes(secret), secret);
  t.regex(line ?? '', /"method":"GET"/, 'what is not a credential is kept');
});

import { join } from 'node:path';
import test from 'ava';
import { examplePayload, postDelivery, signedDelivery } from './support/webhook-samples.js';
import { spawnService } from './support/spawned-service.js';
import { eventually, temporaryDir } from './support/test-service.js';

// The real server process, started the way an operator starts it.

const SECRET = 'process-webhook-secret';
const TOKEN = 'process-api-token-0123';

test('with no configuration it starts in development mode and prints URL, token and secret', async (t) => {
  const cwd = temporaryDir(t);
  // PORT=0 only so that parallel test runs never collide on 3000; everything else is default.
  const first = spawnService(t, { PORT: '0' }, cwd);
  const url = await first.ready;
  const banner = first.output();
  t.regex(banner, /development mode/);
  t.true(banner.includes(`URL:            ${url}`));
  const token = /API token: +(\S+)/.exec(banner)?.[1];
  const secret = /Webhook secret: +(\S+)/.exec(banner)?.[1];
  t.truthy(token);
  t.truthy(secret);
  t.true(banner.includes(join(cwd, 'data', 'dev-credentials.json')));

  const authorized = await fetch(`${url}/api/deliveries`, { headers: { authorization: `Bearer ${token}` } });
  t.is(authorized.status, 200);
  const accepted = await postDelivery(
    url,
    await signedDelivery(secret ?? '', 'ping', 'dev-ping', examplePayload('ping')),
  );
  t.is(accepted.status, 202);

  first.child.kill('SIGTERM');
  t.is(await first.exited, 0);
  const second = spawnService(t, { PORT: '0' }, cwd);
  await second.ready;
  t.true(second.output().includes(`API token:      ${token}`), 'a restart reuses the kept token');
  t.true(second.output().includes(`Webhook secret: ${secret}`), 'a restart reuses the kept secret');
});

for (const [what, env, expected] of [
  ['production without API_TOKEN', { NODE_ENV: 'production', GITHUB_WEBHOOK_SECRET: 's' }, /API_TOKEN: is required/],
  ['a non-numeric PORT', { PORT: 'abc' }, /PORT: "abc" is not a port number/],
] as const) {
  test(`${what} stops start-up with exit code 1 and a message naming the variable`, async (t) => {
    const service = spawnService(t, { DATA_DIR: temporaryDir(t), ...env });
    t.is(await service.exited, 1);
    t.regex(service.output(), expected);
    t.regex(service.output(), /^reconciler cannot start: /m);
  });
}

test('a delivery acknowledged before a SIGKILL is processed after the restart', async (t) => {
  const env = {
    NODE_ENV: 'production',
    DATA_DIR: temporaryDir(t),
    PORT: '0',
    API_TOKEN: TOKEN,
    GITHUB_WEBHOOK_SECRET: SECRET,
  };
  // Paused: the worker cannot touch it, so the kill lands between the 202 and the apply for certain.
  const doomed = spawnService(t, { ...env, INBOX_PAUSED: 'true' });
  const url = await doomed.ready;
  const response = await postDelivery(url, await signedDelivery(SECRET, 'ping', 'crash-1', examplePayload('ping')));
  t.is(response.status, 202);
  doomed.child.kill('SIGKILL');
  await doomed.exited;

  const restarted = spawnService(t, env);
  const restartedUrl = await restarted.ready;
  const story = await eventually(async () => {
    const r = await fetch(`${restartedUrl}/api/deliveries/crash-1`, { headers: { authorization: `Bearer ${TOKEN}` } });
    const body = (await r.json()) as { delivery?: { state: string; attempts: number } };
    return body.delivery?.state === 'applied' ? body.delivery : null;
  });
  t.is(story.attempts, 1);
  restarted.child.kill('SIGTERM');
  t.is(await restarted.exited, 0);
  t.regex(restarted.output(), /"msg":"stopped"/);
});

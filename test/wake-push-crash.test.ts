import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test, { type ExecutionContext } from 'ava';
import { installationPayload, pushPayload, OCTO_API } from './support/github-payloads.js';
import { freePort } from './support/free-port.js';
import { spawnService } from './support/spawned-service.js';
import { eventually, temporaryDir } from './support/test-service.js';
import { RUNNER_SECRET } from './support/wake-receiver.js';
import { postDelivery, signedDelivery } from './support/webhook-samples.js';

// The acceptance run for pushed wakes: the service as an operator runs it, the example runner
// (examples/runner) as a separate process, 500 woken deliveries. The runner fails its first
// attempts and is down for a while; the service is SIGKILLed once in the middle. Every wake is
// received, each webhook-id handled once, every signature checked, and nothing is left pending.

const RUNNER_JS = fileURLToPath(new URL('../examples/runner/runner.js', import.meta.url));
const SECRET = 'wake-push-crash-webhook-secret-0123456789';
const TOKEN = 'wake-push-crash-api-token-0123456789abcdef';
const DELIVERIES = 500;

interface Runner {
  child: ChildProcess;
  lines: string[];
  stopped: Promise<unknown>;
}

function startRunner(t: ExecutionContext, port: number, handledFile: string, failFirst: number): Promise<Runner> {
  const child = spawn(process.execPath, [RUNNER_JS], {
    env: {
      PATH: process.env.PATH ?? '',
      PORT: String(port),
      RUNNER_SECRET,
      RUNNER_HANDLED_FILE: handledFile,
      RUNNER_FAIL_FIRST: String(failFirst),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.teardown(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const lines: string[] = [];
  let buffered = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    lines.push(...parts.filter(Boolean));
  });
  const stopped = new Promise((resolve) => child.once('exit', resolve));
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      if (chunk.toString('utf8').includes('"listening"')) resolve({ child, lines, stopped });
      if (chunk.toString('utf8').includes('"refused"')) lines.push(`REFUSED ${chunk.toString('utf8')}`);
    });
    void stopped.then(() => reject(new Error('the runner exited before listening')));
  });
}

const api = (url: string, path: string, init: RequestInit = {}) =>
  fetch(`${url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...(init.headers ?? {}) },
  });

async function put(url: string, path: string, body: unknown): Promise<void> {
  const answer = await api(url, path, { method: 'PUT', body: JSON.stringify(body) });
  if (answer.status >= 300) throw new Error(`${path}: ${answer.status} ${await answer.text()}`);
}

/** Posts until GitHub would stop: a delivery not acknowledged (the service was down) is sent again. */
async function deliverUntilAcknowledged(
  url: () => string,
  event: string,
  id: string,
  payload: Record<string, unknown>,
) {
  const signed = await signedDelivery(SECRET, event, id, payload);
  for (;;) {
    const answer = await postDelivery(url(), signed).catch(() => null);
    if (answer !== null && answer.status < 300) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('500 woken deliveries reach a flaky runner once each across a SIGKILL of the service', async (t) => {
  t.timeout(180_000);
  const dataDir = temporaryDir(t);
  const runnerPort = await freePort();
  const handledFile = join(temporaryDir(t), 'handled.txt');
  const env = {
    NODE_ENV: 'production',
    DATA_DIR: dataDir,
    PORT: '0',
    API_TOKEN: TOKEN,
    GITHUB_WEBHOOK_SECRET: SECRET,
    WAKE_ENDPOINT_URL: `http://127.0.0.1:${runnerPort}/wakes`,
    WAKE_ENDPOINT_SECRET: RUNNER_SECRET,
    WAKE_PUSH_FIRST_RETRY_MS: '50',
    WAKE_PUSH_PAUSE_SECONDS: '1',
  };
  let service = spawnService(t, env);
  let url = await service.ready;
  await put(url, '/api/users/u1', { githubUserId: 1, githubLogin: 'u1' });
  await put(url, '/api/users/u1/installations/22', {});
  await deliverUntilAcknowledged(
    () => url,
    'installation',
    'install-22',
    installationPayload('created', 22, [OCTO_API]),
  );
  await eventually(
    async () =>
      (await api(url, '/api/deliveries/install-22')).ok &&
      ((await (await api(url, '/api/deliveries/install-22')).json()) as { delivery: { state: string } }).delivery
        .state === 'applied',
  );
  await put(url, '/api/triggers/t1', { userId: 'u1', installationId: 22, repoId: OCTO_API.id, events: ['push'] });

  const runners = [await startRunner(t, runnerPort, handledFile, 20)];
  const payload = pushPayload(OCTO_API, 22, ['README.md']);
  for (let i = 0; i < DELIVERIES; i++) {
    if (i === 150) {
      // The runner goes down for a while, then comes back with what it handled.
      runners[0]!.child.kill('SIGKILL');
      await runners[0]!.stopped;
      setTimeout(() => void startRunner(t, runnerPort, handledFile, 0).then((r) => runners.push(r)), 2_000);
    }
    if (i === 300) {
      service.child.kill('SIGKILL');
      await service.exited;
      service = spawnService(t, env);
      url = await service.ready;
    }
    await deliverUntilAcknowledged(() => url, 'push', `push-${i}`, payload);
  }

  const expected = new Set(Array.from({ length: DELIVERIES }, (_, i) => `push-${i}:t1`));
  await eventually(async () => {
    const handled = new Set(
      runners.flatMap((r) => r.lines).map((line) => (JSON.parse(line) as { webhookId: string }).webhookId),
    );
    return [...expected].every((id) => handled.has(id));
  }, 120_000);
  const all = runners.flatMap((r) => r.lines);
  t.false(
    all.some((line) => line.startsWith('REFUSED')),
    'every signature verified',
  );
  const ids = all.map((line) => (JSON.parse(line) as { webhookId: string }).webhookId);
  t.is(ids.length, DELIVERIES, 'each webhook-id handled once after dedupe');
  t.deepEqual([...new Set(ids)].sort(), [...expected].sort());
  // A send the killed service had in an attempt is taken over once its claim lapses; the runner,
  // which handled it already, acknowledges it without handling it again.
  const pending = await eventually(async () => {
    const answer = (await (await api(url, '/api/endpoints/default')).json()) as { endpoint: { pending: number } };
    return answer.endpoint.pending === 0 ? 0 : null;
  }, 60_000).catch(() => -1);
  t.is(pending, 0, 'nothing pending');
  const sends = (await (await api(url, '/api/endpoints/default/sends?limit=500')).json()) as {
    sends: { attemptLog: { status: number | null }[] }[];
  };
  const failedFirst = sends.sends.filter((s) => s.attemptLog.some((a) => a.status === 500)).length;
  t.true(failedFirst >= 1, `the runner's 500s were retried (${failedFirst} sends)`);
  t.true(
    sends.sends.some((s) => s.attemptLog.some((a) => a.status === null)),
    'sends to the runner while it was down were retried',
  );
  const wakes = (await (await api(url, '/api/wakes?limit=1000')).json()) as { wakes: unknown[] };
  t.is(wakes.wakes.length, DELIVERIES, 'one wake per delivery: none lost or doubled by the kill');
});

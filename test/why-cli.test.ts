import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { coveredRepoWorld, deliver, pushPayload, pushTrigger } from './support/github-payloads.js';
import { startTestService, TEST_TOKEN, type TestService } from './support/test-service.js';

// The `why` command against a running service: the same answers as the API, as text.

const WHY = fileURLToPath(new URL('../src/cli/why.js', import.meta.url));

function why(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [WHY, ...args],
      { env: { PATH: process.env.PATH ?? '', ...env } },
      (error, stdout, stderr) => {
        resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr });
      },
    );
  });
}

async function world(t: Parameters<typeof startTestService>[0]): Promise<{ service: TestService; deliveryId: string }> {
  const service = await startTestService(t);
  await coveredRepoWorld(service);
  await pushTrigger(service, 11);
  const push = await deliver(service, 'push', pushPayload({ id: 7, owner: 'octo-org', name: 'api' }, 22, ['a']));
  return { service, deliveryId: push.id };
}

test('why <deliveryId> prints the story: summary, each candidate with its reason and fix, the audit', async (t) => {
  const { service, deliveryId } = await world(t);
  const result = await why([deliveryId, '--url', service.url, '--token', TEST_TOKEN]);
  t.is(result.code, 0, result.stderr);
  t.regex(result.stdout, new RegExp(`^delivery ${deliveryId}: push\\n`));
  t.regex(result.stdout, /woke 0 of 1 trigger: trigger t1 is bound to installation 11 but the event came from 22/);
  t.regex(result.stdout, /✘ t1: installation_mismatch/);
  t.regex(result.stdout, /fix: sync \(POST \/api\/users\/u1\/sync\): rebind moves trigger t1 to installation 22/);
  t.regex(result.stdout, /#\d+ routing\.outcome woke_none/);
});

test('why --repo --user prints the five troubleshooting answers, token from API_TOKEN', async (t) => {
  const { service } = await world(t);
  const result = await why(['--repo', 'octo-org/api', '--user', 'u1', '--url', service.url], { API_TOKEN: TEST_TOKEN });
  t.is(result.code, 0, result.stderr);
  for (const step of [1, 2, 3, 4, 5]) t.regex(result.stdout, new RegExp(`\\n[✔✘?] ${step}\\. `));
  t.regex(result.stdout, /✘ 5\. the latest events reached the expected trigger: problem/);
  const asJson = await why(['--repo', 'octo-org/api', '--user', 'u1', '--url', service.url, '--json'], {
    API_TOKEN: TEST_TOKEN,
  });
  t.is((JSON.parse(asJson.stdout) as { steps: unknown[] }).steps.length, 5);
});

test('why says what went wrong: unknown delivery, bad usage, no service', async (t) => {
  const service = await startTestService(t);
  const unknown = await why(['nope', '--url', service.url, '--token', TEST_TOKEN]);
  t.is(unknown.code, 1);
  t.regex(unknown.stderr, /404 delivery_not_found: no delivery with id nope/);
  const usage = await why(['--repo', 'o/r', '--token', 'x']);
  t.is(usage.code, 2);
  t.regex(usage.stderr, /give either a delivery id, or both --repo owner\/name and --user U/);
  const badOption = await why(['--colour']);
  t.is(badOption.code, 2);
  t.regex(badOption.stderr, /usage:/);
  const down = await why(['d1', '--url', 'http://127.0.0.1:1', '--token', 'x']);
  t.is(down.code, 2);
  t.regex(down.stderr, /cannot reach the reconciler at http:\/\/127\.0\.0\.1:1/);
});

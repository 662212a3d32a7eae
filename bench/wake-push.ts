import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { installationPayload, OCTO_API, pushPayload } from '../test/support/github-payloads.js';
import { RUNNER_SECRET } from '../test/support/wake-receiver.js';
import { postDelivery, signedDelivery } from '../test/support/webhook-samples.js';

// Pushed wakes as users run the service (`npm start`: the tracing preload on, the embedded
// store): the time from a webhook's 202 to the runner receiving the signed wake, at a steady
// rate, against the same delivery's wake read by a long-poll in the same run (the pull
// baseline); then the push throughput after a burst.
// Usage: npm run bench:wake-push -- [--rate 200] [--seconds 10] [--burst 2000]

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '10' },
    burst: { type: 'string', default: '2000' },
  },
});
const RATE = Number(values.rate);
const SECONDS = Number(values.seconds);
const BURST = Number(values.burst);
const SECRET = 'bench-wake-push-webhook-secret-0123456789';
const TOKEN = 'bench-wake-push-api-token-0123456789abcdef';
const MAIN_JS = fileURLToPath(new URL('../src/main.js', import.meta.url));
const INSTRUMENT_JS = fileURLToPath(new URL('../src/telemetry/instrument.js', import.meta.url));

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const ms = (n: number): string => `${n.toFixed(1)} ms`;

async function main(): Promise<void> {
  const received = new Map<string, number>();
  const receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received.set(String(req.headers['webhook-id']), performance.now());
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const dataDir = mkdtempSync(join(tmpdir(), 'reconciler-wake-push-bench-'));
  const child = spawn(process.execPath, ['--import', INSTRUMENT_JS, MAIN_JS], {
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      // The listening line is logged at info; every other line is drained unread.
      LOG_LEVEL: 'info',
      PORT: '0',
      DATA_DIR: dataDir,
      API_TOKEN: TOKEN,
      GITHUB_WEBHOOK_SECRET: SECRET,
      WAKE_ENDPOINT_URL: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/wakes`,
      WAKE_ENDPOINT_SECRET: RUNNER_SECRET,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output: string | null = '';
  const url = await new Promise<string>((resolve) =>
    child.stdout.on('data', (chunk: Buffer) => {
      if (output === null) return;
      output += chunk.toString('utf8');
      const match = /"url":"(http:\/\/[^"]+)".*"msg":"reconciler listening"/.exec(output);
      if (match?.[1] !== undefined) {
        output = null;
        resolve(match[1]);
      }
    }),
  );
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    });
  await api('/api/users/u1', { method: 'PUT', body: JSON.stringify({ githubUserId: 1, githubLogin: 'u1' }) });
  await api('/api/users/u1/installations/22', { method: 'PUT' });
  await postDelivery(
    url,
    await signedDelivery(SECRET, 'installation', 'setup', installationPayload('created', 22, [OCTO_API])),
  );
  await new Promise((resolve) => setTimeout(resolve, 500));
  await api('/api/triggers/t1', {
    method: 'PUT',
    body: JSON.stringify({ userId: 'u1', installationId: 22, repoId: OCTO_API.id, events: ['push'] }),
  });
  const body = await signedDelivery(SECRET, 'push', 'x', pushPayload(OCTO_API, 22, ['README.md']));
  const send = async (id: string): Promise<number> => {
    const signed = { ...body, headers: { ...body.headers, 'x-github-delivery': id } };
    // The signature covers the body only: the delivery id header may change.
    const answer = await postDelivery(url, signed);
    if (answer.status !== 202) throw new Error(`${id}: ${answer.status}`);
    return performance.now();
  };

  // The pull baseline, in the same run: a long-poll that follows the outbox.
  const polled = new Map<string, number>();
  let cursor: string | null = null;
  let polling = true;
  const poll = (async () => {
    while (polling) {
      const answer = await api(`/api/wakes?wait=5${cursor === null ? '' : `&cursor=${cursor}`}`);
      if (answer.status !== 200) throw new Error(`long-poll answered ${answer.status}: ${await answer.text()}`);
      const page = (await answer.json()) as { wakes: { id: string }[]; nextCursor: string | null };
      const at = performance.now();
      for (const wake of page.wakes) polled.set(wake.id, at);
      cursor = page.nextCursor;
    }
  })();

  const acked = new Map<string, number>();
  const started = performance.now();
  const total = RATE * SECONDS;
  const sends: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const id = `steady-${i}`;
    sends.push(send(id).then((at) => void acked.set(`${id}:t1`, at)));
  }
  await Promise.all(sends);
  const deadline = performance.now() + 60_000;
  while ([...acked.keys()].some((id) => !received.has(id) || !polled.has(id)) && performance.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 50));
  const pushLatency = [...acked].map(([id, at]) => (received.get(id) ?? NaN) - at).sort((a, b) => a - b);
  const pullLatency = [...acked].map(([id, at]) => (polled.get(id) ?? NaN) - at).sort((a, b) => a - b);

  // Throughput: a burst stored at once, then pushed.
  const burstStart = performance.now();
  const burstIds: string[] = [];
  for (let i = 0; i < BURST; i += 50) {
    const batch = Array.from({ length: Math.min(50, BURST - i) }, (_, k) => `burst-${i + k}`);
    burstIds.push(...batch.map((id) => `${id}:t1`));
    await Promise.all(batch.map((id) => send(id)));
  }
  const stored = performance.now();
  while (burstIds.some((id) => !received.has(id)) && performance.now() < stored + 120_000)
    await new Promise((resolve) => setTimeout(resolve, 20));
  const lastReceived = Math.max(...burstIds.map((id) => received.get(id) ?? NaN));
  polling = false;
  await poll.catch(() => undefined);

  const load = (await import('node:os')).loadavg();
  console.log(
    `wake push bench: ${total} deliveries at ${RATE}/s, then a burst of ${BURST}; load average ${load.map((l) => l.toFixed(2)).join(' ')}`,
  );
  console.log(
    `  202 → runner received (push):   p50 ${ms(percentile(pushLatency, 50))}   p99 ${ms(percentile(pushLatency, 99))}`,
  );
  console.log(
    `  202 → long-poll answered (pull): p50 ${ms(percentile(pullLatency, 50))}   p99 ${ms(percentile(pullLatency, 99))}`,
  );
  console.log(`  push / pull p99: ${(percentile(pushLatency, 99) / percentile(pullLatency, 99)).toFixed(2)}`);
  console.log(
    `  burst: stored at ${(BURST / ((stored - burstStart) / 1000)).toFixed(0)}/s, pushed at ${(BURST / ((lastReceived - burstStart) / 1000)).toFixed(0)} wakes/s end to end`,
  );
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  receiver.close();
  rmSync(dataDir, { recursive: true, force: true });
}

await main();

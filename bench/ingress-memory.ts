import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { request } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { freePort } from '../test/support/free-port.js';

// Peak resident memory of the service while it takes several large signed deliveries at once
// (issue 19, finding 12: six 20 MB bodies once peaked at 860 MB behind a 128 MB body budget).
// Reads VmHWM of the server process before and after; the difference is what the bodies cost.
// Usage: npm run bench:ingress-memory -- [--bodies 6] [--mb 20] [--shape string|commits] [--store sqlite|mongodb]

const { values } = parseArgs({
  options: {
    bodies: { type: 'string', default: '6' },
    mb: { type: 'string', default: '20' },
    // string: one huge field; commits: many small objects (what a large push looks like).
    shape: { type: 'string', default: 'commits' },
    mongodb: { type: 'string' },
  },
});
const BODIES = Number(values.bodies);
const BYTES = Number(values.mb) * 1024 * 1024;
const SECRET = 'bench-webhook-secret-0123456789abcdef';

function payloadOf(shape: string): Buffer {
  if (shape === 'string') return Buffer.from(JSON.stringify({ zen: 'x'.repeat(BYTES - 20) }));
  const commit = {
    id: 'c'.repeat(40),
    message: 'm'.repeat(200),
    added: ['src/a.ts'],
    author: { name: 'n', email: 'e@x' },
  };
  const one = JSON.stringify(commit).length + 1;
  const commits = Array.from({ length: Math.floor(BYTES / one) }, (_, i) => ({
    ...commit,
    id: String(i).padStart(40, '0'),
  }));
  return Buffer.from(JSON.stringify({ ref: 'refs/heads/main', commits }));
}

const highWaterKb = (pid: number): number =>
  Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);

const port = await freePort();
const dataDir = mkdtempSync(join(tmpdir(), 'reconciler-bench-memory-'));
const child = spawn(process.execPath, [fileURLToPath(new URL('../src/main.js', import.meta.url))], {
  env: {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'production',
    PORT: String(port),
    DATA_DIR: dataDir,
    API_TOKEN: 'bench-api-token-0123456789abcdef',
    GITHUB_WEBHOOK_SECRET: SECRET,
    INBOX_PAUSED: 'true',
    ...(values.mongodb !== undefined ? { STORE: 'mongodb', MONGODB_URI: values.mongodb } : {}),
  },
  stdio: ['ignore', 'ignore', 'inherit'],
});
const url = `http://127.0.0.1:${port}`;
for (let i = 0; ; i++) {
  try {
    if ((await fetch(`${url}/healthz`)).ok) break;
  } catch {
    if (i > 200) throw new Error('the service did not start');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
const pid = child.pid ?? 0;
const body = payloadOf(values.shape ?? 'commits');
const signature = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
const before = highWaterKb(pid);
/** One POST from its own loopback address, so that the share per address does not refuse it. */
const post = (i: number): Promise<number> =>
  new Promise((resolve, reject) => {
    const req = request(
      `${url}/webhooks/github`,
      {
        method: 'POST',
        localAddress: `127.0.0.${i + 2}`,
        headers: {
          'content-type': 'application/json',
          'content-length': body.length,
          'x-github-event': 'push',
          'x-github-delivery': `memory-${i}`,
          'x-hub-signature-256': signature,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
const statuses = await Promise.all(Array.from({ length: BODIES }, (_, i) => post(i)));
const after = highWaterKb(pid);
child.kill('SIGTERM');
await new Promise((resolve) => child.once('exit', resolve));
rmSync(dataDir, { recursive: true, force: true });

const mb = (kb: number) => (kb / 1024).toFixed(0);
const stored = (statuses.filter((status) => status === 202).length * body.length) / 1024 / 1024;
console.log(
  JSON.stringify({
    shape: values.shape,
    bodies: BODIES,
    bodyMB: (body.length / 1024 / 1024).toFixed(1),
    statuses,
    peakRssBeforeMB: mb(before),
    peakRssAfterMB: mb(after),
    peakGrowthMB: mb(after - before),
    growthPerStoredByte: ((after - before) / 1024 / stored).toFixed(2),
  }),
);

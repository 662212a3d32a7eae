import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sign } from '@octokit/webhooks-methods';
import { createRequire } from 'node:module';
import { freePort } from '../test/support/free-port.js';
import { LeanConnection } from './lean-http-client.js';

// Acknowledgement throughput and latency of the durable webhook ingress, against a bare
// Express 5 app that only verifies the signature, measured in the same run over loopback.
// Usage: npm run bench:ingest -- [--n 5000] [--concurrency 50] [--rounds 3] [--target all|bare|validating|durable] [--paused]

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '5000' },
    concurrency: { type: 'string', default: '50' },
    rounds: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '500' },
    target: { type: 'string', default: 'all' },
    // Isolates the ingress: the durable server stores but does not apply (INBOX_PAUSED).
    paused: { type: 'boolean', default: false },
  },
});
const N = Number(values.n);
const CONCURRENCY = Number(values.concurrency);
const ROUNDS = Number(values.rounds);
const WARMUP = Number(values.warmup);
const ALL_TARGETS = ['bare', 'validating', 'durable'] as const;
type Target = (typeof ALL_TARGETS)[number];
const TARGETS: readonly Target[] = values.target === 'all' ? ALL_TARGETS : [values.target as Target];
const LABELS: Record<Target, string> = {
  bare: '(a) bare Express, verify only',
  validating: "(a') bare Express, verify + JSON check",
  durable: `(b) durable ingress${values.paused ? ', worker paused' : ', worker on'}`,
};
const SECRET = 'bench-webhook-secret';
// USER_HZ: 100 on every Linux this runs on (getconf CLK_TCK).
const CLOCK_TICKS_PER_SECOND = 100;

interface RoundResult {
  requestsPerSecond: number;
  /** Server process CPU time (user + system, all threads) per delivery: steadier than throughput here. */
  serverCpuMicros: number;
  p50Ms: number;
  p99Ms: number;
  /** Durable only: from the last acknowledgement until every delivery is applied or ignored. */
  drainMs: number | null;
}

async function startServer(
  target: Target,
): Promise<{ url: string; child: ChildProcess; cleanup: () => Promise<void> }> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'reconciler-bench-'));
  const script = fileURLToPath(
    new URL(target === 'durable' ? '../src/main.js' : './bare-ingress-server.js', import.meta.url),
  );
  const child = spawn(process.execPath, [script], {
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      PORT: String(port),
      DATA_DIR: dataDir,
      API_TOKEN: 'bench-api-token-0123',
      GITHUB_WEBHOOK_SECRET: SECRET,
      ...(values.paused ? { INBOX_PAUSED: 'true' } : {}),
      ...(target === 'validating' ? { BARE_VALIDATES_JSON: '1' } : {}),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      if (i > 200) throw new Error(`${target} server did not start`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return {
    url,
    child,
    cleanup: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const payload = JSON.stringify(
  (createRequire(import.meta.url)('@octokit/webhooks-examples') as { name: string; examples: unknown[] }[]).find(
    (g) => g.name === 'push',
  )?.examples[0],
);
const signature = await sign(SECRET, payload);

const body = Buffer.from(payload);

function requestHead(id: string): string {
  return (
    'POST /webhooks/github HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n' +
    `content-length: ${body.length}\r\nx-github-event: push\r\nx-github-delivery: ${id}\r\n` +
    `x-hub-signature-256: ${signature}\r\n\r\n`
  );
}

async function send(url: string, count: number, prefix: string): Promise<number[]> {
  const port = Number(new URL(url).port);
  const connections = await Promise.all(Array.from({ length: CONCURRENCY }, () => LeanConnection.open(port)));
  const latencies: number[] = [];
  let next = 0;
  try {
    await Promise.all(
      connections.map(async (connection) => {
        while (next < count) {
          const id = `${prefix}-${next++}`;
          const started = performance.now();
          const status = await connection.send(requestHead(id), body);
          if (status !== 202) throw new Error(`delivery ${id} answered ${status}`);
          latencies.push(performance.now() - started);
        }
      }),
    );
  } finally {
    for (const connection of connections) connection.close();
  }
  return latencies;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function unfinishedCount(url: string): Promise<number> {
  let count = 0;
  for (const state of ['received', 'processing', 'failed']) {
    const response = await fetch(`${url}/api/deliveries?state=${state}&limit=1`, {
      headers: { authorization: 'Bearer bench-api-token-0123' },
    });
    count += ((await response.json()) as { deliveries: unknown[] }).deliveries.length;
  }
  return count;
}

async function waitForDrain(url: string): Promise<number> {
  const started = performance.now();
  while ((await unfinishedCount(url)) > 0) await new Promise((resolve) => setTimeout(resolve, 10));
  return performance.now() - started;
}

async function round(target: Target, index: number): Promise<RoundResult> {
  const server = await startServer(target);
  try {
    await send(server.url, WARMUP, `warm-${index}`);
    const drains = target === 'durable' && !values.paused;
    if (drains) await waitForDrain(server.url);
    const pid = server.child.pid ?? 0;
    const cpuBefore = processCpuMicros(pid);
    const started = performance.now();
    const latencies = await send(server.url, N, `run-${index}`);
    const seconds = (performance.now() - started) / 1000;
    const serverCpuMicros = (processCpuMicros(pid) - cpuBefore) / N;
    const drainMs = drains ? await waitForDrain(server.url) : null;
    latencies.sort((a, b) => a - b);
    return {
      requestsPerSecond: N / seconds,
      serverCpuMicros,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      drainMs,
    };
  } finally {
    await server.cleanup();
  }
}

/** utime + stime of a process, in microseconds, from /proc (Linux). */
function processCpuMicros(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks / CLOCK_TICKS_PER_SECOND) * 1e6;
}

const median = (xs: number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
};

console.log(
  `ingest bench: ${N} signed push deliveries (${payload.length} bytes), concurrency ${CONCURRENCY}, ${ROUNDS} rounds, loopback`,
);
const results: Record<Target, RoundResult[]> = { bare: [], validating: [], durable: [] };
for (let i = 0; i < ROUNDS; i++) {
  // Interleaved, so drift in the machine's speed affects both sides alike.
  for (const target of TARGETS) {
    const result = await round(target, i);
    results[target].push(result);
    console.log(
      `  round ${i + 1} ${target.padEnd(10)} ${result.requestsPerSecond.toFixed(0).padStart(6)} req/s  p50 ${result.p50Ms.toFixed(2)} ms  p99 ${result.p99Ms.toFixed(2)} ms  server CPU ${result.serverCpuMicros.toFixed(0)} µs/delivery` +
        (result.drainMs === null ? '' : `  backlog drained ${result.drainMs.toFixed(0)} ms after the last ack`),
    );
  }
}
const summary = (target: Target) => {
  const rs = results[target];
  return {
    rps: median(rs.map((r) => r.requestsPerSecond)),
    p50: median(rs.map((r) => r.p50Ms)),
    p99: median(rs.map((r) => r.p99Ms)),
    cpu: median(rs.map((r) => r.serverCpuMicros)),
  };
};
console.log('medians:');
for (const target of TARGETS) {
  const s = summary(target);
  console.log(
    `  ${LABELS[target].padEnd(38)} ${s.rps.toFixed(0).padStart(6)} req/s  p50 ${s.p50.toFixed(2)} ms  p99 ${s.p99.toFixed(2)} ms  server CPU ${s.cpu.toFixed(0)} µs/delivery`,
  );
}

/** Ratios paired by round, like A/B timing: drift in the machine's speed cancels within a pair. */
function printRatios(name: string, baseline: RoundResult[], measured: RoundResult[], note: string): void {
  const pairs = baseline.flatMap((a, i) => {
    const b = measured[i];
    return b === undefined
      ? []
      : [
          {
            rps: b.requestsPerSecond / a.requestsPerSecond,
            p50: b.p50Ms / a.p50Ms,
            p99: b.p99Ms / a.p99Ms,
            cpu: b.serverCpuMicros / a.serverCpuMicros,
          },
        ];
  });
  if (pairs.length === 0) return;
  const ratios = pairs.map((pair) => pair.rps);
  console.log(
    `ratio ${name} throughput: median ${median(ratios).toFixed(3)} (per round: ${ratios.map((r) => r.toFixed(3)).join(', ')}; ${note})`,
  );
  console.log(
    `ratio ${name} latency: p50 ${median(pairs.map((pair) => pair.p50)).toFixed(3)}, p99 ${median(pairs.map((pair) => pair.p99)).toFixed(3)}; server CPU per delivery ${median(pairs.map((pair) => pair.cpu)).toFixed(3)}`,
  );
}
printRatios('b/a', results.bare, results.durable, 'target >= 0.9');
// The ingress must answer 400 to a body that is not JSON, which takes a full parse: against a
// baseline that does the same, what remains is the cost of storing durably.
printRatios("b/a'", results.validating, results.durable, 'durability alone');
printRatios("a'/a", results.bare, results.validating, 'the JSON check alone');

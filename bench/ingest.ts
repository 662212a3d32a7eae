import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sign } from '@octokit/webhooks-methods';
import { freePort } from '../test/support/free-port.js';
import { installationPayload, pushPayload } from '../test/support/github-payloads.js';
import { LeanConnection } from './lean-http-client.js';

// What users feel of the webhook path, measured in one run on this machine over loopback:
// 1. Acknowledgement throughput, latency and server CPU per ack of the service exactly as
//    `npm start` runs it (the tracing preload), the same without the preload, a bare Express 5 +
//    verify + JSON.parse floor, and a Probot 13 app with a push handler as a peer, interleaved
//    round by round so that drift in the machine's speed affects all alike.
// 2. Event → wake: at a steady rate, from each 202 until the wake it caused is readable from
//    GET /api/wakes, every delivery waking a trigger.
// 3. Drain: deliveries stored while the worker was paused, applied by a fresh process.
// 4. RSS of the traced service: idle after start, and the peak of the run.
// Usage: npm run bench:ingest -- [--n 5000] [--concurrency 32] [--rounds 3] [--seconds 10]
//   [--rates 500,1000] [--drain 20000] [--skip ingest,wake,drain] [--cpu-prof DIR]
//   (--cpu-prof: every service process writes a V8 CPU profile into DIR, for chrome://inspect)

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '5000' },
    concurrency: { type: 'string', default: '32' },
    rounds: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '500' },
    seconds: { type: 'string', default: '10' },
    rates: { type: 'string', default: '500,1000' },
    drain: { type: 'string', default: '20000' },
    installations: { type: 'string', default: '8' },
    skip: { type: 'string', default: '' },
    'cpu-prof': { type: 'string' },
  },
});
const N = Number(values.n);
const CONCURRENCY = Number(values.concurrency);
const ROUNDS = Number(values.rounds);
const WARMUP = Number(values.warmup);
const STEADY_SECONDS = Number(values.seconds);
const RATES = values.rates.split(',').map(Number);
const DRAIN_COUNT = Number(values.drain);
const INSTALLATIONS = Number(values.installations);
const SKIPPED = new Set(values.skip.split(','));
const PROFILE_DIR = values['cpu-prof'];

const ALL_TARGETS = ['bare', 'probot', 'traced', 'untraced'] as const;
type Target = (typeof ALL_TARGETS)[number];
const LABELS: Record<Target, string> = {
  bare: 'bare Express 5 + verify + JSON.parse',
  probot: 'Probot 13, push handler',
  traced: 'service as npm start runs it (traced)',
  untraced: 'service without the tracing preload',
};
// Long enough for production's checks on secrets.
const SECRET = 'bench-webhook-secret-0123456789abcdef';
const TOKEN = 'bench-api-token-0123456789abcdef';
// USER_HZ: 100 on every Linux this runs on (getconf CLK_TCK).
const CLOCK_TICKS_PER_SECOND = 100;

const script = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));
const INSTRUMENT_JS = script('../src/telemetry/instrument.js');

interface RunningServer {
  url: string;
  port: number;
  child: ChildProcess;
  stop: () => Promise<void>;
}

interface ServerOptions {
  dataDir?: string;
  paused?: boolean;
}

async function startServer(target: Target, options: ServerOptions = {}): Promise<RunningServer> {
  const port = await freePort();
  const ownDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'reconciler-bench-'));
  const service = target === 'traced' || target === 'untraced';
  const profiling = service && PROFILE_DIR !== undefined ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : [];
  const args =
    target === 'traced'
      ? [...profiling, '--import', INSTRUMENT_JS, script('../src/main.js')]
      : target === 'untraced'
        ? [...profiling, script('../src/main.js')]
        : [script(target === 'bare' ? './bare-ingress-server.js' : './probot-peer-server.js')];
  const child = spawn(process.execPath, args, {
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      PORT: String(port),
      DATA_DIR: dataDir,
      API_TOKEN: TOKEN,
      GITHUB_WEBHOOK_SECRET: SECRET,
      ...(options.paused === true ? { INBOX_PAUSED: 'true' } : {}),
      ...(target === 'bare' ? { BARE_VALIDATES_JSON: '1' } : {}),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const probe = `${url}${service || target === 'bare' ? '/healthz' : '/ping'}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(probe)).ok) break;
    } catch {
      if (i > 400) throw new Error(`${target} server did not start`);
      await pause(25);
    }
  }
  return {
    url,
    port,
    child,
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      if (ownDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Signed {
  body: Buffer;
  signature: string;
}
async function signed(payload: Record<string, unknown>): Promise<Signed> {
  const text = JSON.stringify(payload);
  return { body: Buffer.from(text), signature: await sign(SECRET, text) };
}

const repoOf = (k: number) => ({ id: 1000 + k, owner: 'bench-org', name: `repo-${k}` });
const installationOf = (k: number) => 100 + k;
// One push per installation, each waking that installation's trigger.
const pushes = await Promise.all(
  Array.from({ length: INSTALLATIONS }, (_, k) => signed(pushPayload(repoOf(k), installationOf(k), ['src/a.ts']))),
);
// The acknowledgement phase sends GitHub's example push (no installation: the cheapest case for
// Probot, which otherwise builds an installation client per event), as issue 18 measured.
const examplePush = await signed(
  (
    createRequire(import.meta.url)('@octokit/webhooks-examples') as {
      name: string;
      examples: Record<string, unknown>[];
    }[]
  ).find((group) => group.name === 'push')?.examples[0] ?? {},
);
const pushAt = (i: number): Signed => {
  const push = pushes[i % pushes.length];
  if (push === undefined) throw new Error('--installations must be at least 1');
  return push;
};

function requestHead(event: string, id: string, delivery: Signed): string {
  return (
    'POST /webhooks/github HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n' +
    `content-length: ${delivery.body.length}\r\nx-github-event: ${event}\r\nx-github-delivery: ${id}\r\n` +
    `x-hub-signature-256: ${delivery.signature}\r\n\r\n`
  );
}

const acceptedStatus = (target: Target) => (target === 'probot' ? 200 : 202);

/** Sends `count` pushes as fast as CONCURRENCY connections allow; the latency of each ack. */
async function flood(
  server: RunningServer,
  target: Target,
  count: number,
  prefix: string,
  payloads: 'example' | 'woken',
): Promise<number[]> {
  const connections = await Promise.all(Array.from({ length: CONCURRENCY }, () => LeanConnection.open(server.port)));
  const latencies: number[] = [];
  let next = 0;
  try {
    await Promise.all(
      connections.map(async (connection) => {
        while (next < count) {
          const i = next++;
          const id = `${prefix}-${i}`;
          const delivery = payloads === 'example' ? examplePush : pushAt(i);
          const started = performance.now();
          const status = await connection.send(requestHead('push', id, delivery), delivery.body);
          if (status !== acceptedStatus(target)) throw new Error(`delivery ${id} answered ${status}`);
          latencies.push(performance.now() - started);
        }
      }),
    );
  } finally {
    for (const connection of connections) connection.close();
  }
  return latencies;
}

const api = async <T>(server: RunningServer, path: string, init: RequestInit = {}): Promise<T> => {
  const response = await fetch(`${server.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...init.headers },
  });
  if (response.status >= 300)
    throw new Error(`${init.method ?? 'GET'} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
};

async function unfinishedCount(server: RunningServer): Promise<number> {
  let count = 0;
  for (const state of ['received', 'processing', 'failed']) {
    const page = await api<{ deliveries: unknown[] }>(server, `/api/deliveries?state=${state}&limit=1`);
    count += page.deliveries.length;
  }
  return count;
}

async function waitForDrain(server: RunningServer): Promise<number> {
  const started = performance.now();
  // Not more often: each look is three API requests, on the event loop the drain runs on.
  while ((await unfinishedCount(server)) > 0) await pause(50);
  return performance.now() - started;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

const median = (xs: number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
};

/** utime + stime of a process (all threads), in microseconds, from /proc (Linux). */
function processCpuMicros(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks / CLOCK_TICKS_PER_SECOND) * 1e6;
}

/** Resident memory now and at its peak, in MB, from /proc (Linux). */
function residentMb(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

// ---- 1. acknowledgement throughput

interface IngestResult {
  requestsPerSecond: number;
  /** Server process CPU time (user + system, all threads) per ack: steadier than throughput here. */
  cpuMicros: number;
  p50Ms: number;
  p99Ms: number;
}

async function ingestRound(target: Target, index: number): Promise<IngestResult> {
  const server = await startServer(target);
  try {
    const service = target === 'traced' || target === 'untraced';
    await flood(server, target, WARMUP, `warm-${index}`, 'example');
    if (service) await waitForDrain(server);
    const pid = server.child.pid ?? 0;
    const cpuBefore = processCpuMicros(pid);
    const started = performance.now();
    const latencies = await flood(server, target, N, `run-${index}`, 'example');
    const seconds = (performance.now() - started) / 1000;
    const cpuMicros = (processCpuMicros(pid) - cpuBefore) / N;
    latencies.sort((a, b) => a - b);
    return {
      requestsPerSecond: N / seconds,
      cpuMicros,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
    };
  } finally {
    await server.stop();
  }
}

// ---- 2. event → wake

/** A user with INSTALLATIONS installations, one covered repo and one push trigger in each. */
async function setUpWorld(server: RunningServer): Promise<void> {
  await api(server, '/api/users/u1', { method: 'PUT', body: JSON.stringify({ githubUserId: 1, githubLogin: 'u1' }) });
  const connection = await LeanConnection.open(server.port);
  try {
    for (let k = 0; k < INSTALLATIONS; k++) {
      const installation = installationOf(k);
      await api(server, `/api/users/u1/installations/${installation}`, { method: 'PUT' });
      const created = await signed(installationPayload('created', installation, [repoOf(k)]));
      const status = await connection.send(requestHead('installation', `world-${k}`, created), created.body);
      if (status !== 202) throw new Error(`installation ${installation} answered ${status}`);
    }
  } finally {
    connection.close();
  }
  await waitForDrain(server);
  for (let k = 0; k < INSTALLATIONS; k++) {
    await api(server, `/api/triggers/t-${k}`, {
      method: 'PUT',
      body: JSON.stringify({ userId: 'u1', installationId: installationOf(k), repoId: repoOf(k).id, events: ['push'] }),
    });
  }
}

interface WakeResult {
  rate: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Deliveries acknowledged but not yet woken when sending stopped. */
  backlogAtEnd: number;
  /** p99 over the last quarter of the run against the first: well above 1 is a growing backlog. */
  lateOverEarlyP99: number;
}

/**
 * Sends pushes at `rate` per second for STEADY_SECONDS (open loop: on schedule whether or not
 * earlier ones are answered) and reads GET /api/wakes every few ms to see each wake arrive.
 */
async function steadyWakes(server: RunningServer, rate: number, prefix: string): Promise<WakeResult> {
  const connections = await Promise.all(Array.from({ length: CONCURRENCY }, () => LeanConnection.open(server.port)));
  const free = [...connections];
  const waiters: ((connection: LeanConnection) => void)[] = [];
  const ackedAt = new Map<string, number>();
  const sentAt = new Map<string, number>();
  const woken = new Map<string, number>();
  // A fresh store per round, and the world's setup wakes nothing: every wake read is this run's.
  let cursor: string | null = null;
  let sending = true;
  let lastAckAt = performance.now();
  const poller = (async () => {
    while (sending || woken.size < ackedAt.size) {
      const page: { wakes: { deliveryId: string }[]; nextCursor: string | null } = await api<{
        wakes: { deliveryId: string }[];
        nextCursor: string | null;
      }>(server, `/api/wakes?limit=1000${cursor === null ? '' : `&cursor=${cursor}`}`);
      const seenAt = performance.now();
      for (const wake of page.wakes) if (!woken.has(wake.deliveryId)) woken.set(wake.deliveryId, seenAt);
      cursor = page.nextCursor;
      if (page.wakes.length === 0) await pause(2);
      if (!sending && performance.now() - lastAckAt > 30_000) break;
    }
  })();
  const total = Math.round(rate * STEADY_SECONDS);
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  let backlogAtEnd = 0;
  try {
    for (let i = 0; i < total; i++) {
      const due = started + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 1) await pause(wait);
      // Every connection waiting for an answer: this one goes out late, and its lag counts from its 202.
      const connection = free.pop() ?? (await new Promise<LeanConnection>((resolve) => waiters.push(resolve)));
      const id = `${prefix}-${i}`;
      const delivery = pushAt(i);
      sentAt.set(id, performance.now());
      inFlight.push(
        connection.send(requestHead('push', id, delivery), delivery.body).then((status) => {
          if (status !== 202) throw new Error(`delivery ${id} answered ${status}`);
          lastAckAt = performance.now();
          ackedAt.set(id, lastAckAt);
          const waiting = waiters.shift();
          if (waiting === undefined) free.push(connection);
          else waiting(connection);
        }),
      );
    }
    await Promise.all(inFlight);
    backlogAtEnd = ackedAt.size - woken.size;
  } finally {
    sending = false;
    await poller;
    for (const connection of connections) connection.close();
  }
  const lags = (ids: string[]) =>
    ids.map((id) => (woken.get(id) ?? Number.POSITIVE_INFINITY) - (ackedAt.get(id) ?? 0)).sort((a, b) => a - b);
  const ordered = [...ackedAt.keys()].sort((a, b) => (sentAt.get(a) ?? 0) - (sentAt.get(b) ?? 0));
  const all = lags(ordered);
  const quarter = Math.floor(ordered.length / 4);
  return {
    rate,
    p50Ms: percentile(all, 50),
    p99Ms: percentile(all, 99),
    maxMs: all.at(-1) ?? NaN,
    backlogAtEnd,
    lateOverEarlyP99: percentile(lags(ordered.slice(-quarter)), 99) / percentile(lags(ordered.slice(0, quarter)), 99),
  };
}

// ---- 3. drain

async function drainRound(index: number): Promise<{ perSecond: number; peakMb: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'reconciler-bench-drain-'));
  try {
    const setup = await startServer('traced', { dataDir });
    await setUpWorld(setup);
    await setup.stop();
    const paused = await startServer('traced', { dataDir, paused: true });
    await flood(paused, 'traced', DRAIN_COUNT, `drain-${index}`, 'woken');
    await paused.stop();
    const server = await startServer('traced', { dataDir });
    const started = performance.now();
    await waitForDrain(server);
    const seconds = (performance.now() - started) / 1000;
    const { peak } = residentMb(server.child.pid ?? 0);
    await server.stop();
    return { perSecond: DRAIN_COUNT / seconds, peakMb: peak };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

// ---- the run

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
console.log(
  `ingest bench: signed pushes (${examplePush.body.length} bytes), concurrency ${CONCURRENCY}, ${ROUNDS} rounds, loopback; load average ${load()}`,
);

const ingest: Record<Target, IngestResult[]> = { bare: [], probot: [], traced: [], untraced: [] };
if (!SKIPPED.has('ingest')) {
  console.log(`1. acknowledgements: ${N} per round after ${WARMUP} warm-up, targets interleaved`);
  for (let i = 0; i < ROUNDS; i++) {
    for (const target of ALL_TARGETS) {
      const r = await ingestRound(target, i);
      ingest[target].push(r);
      console.log(
        `  round ${i + 1} ${target.padEnd(9)} ${r.requestsPerSecond.toFixed(0).padStart(6)} req/s  p50 ${r.p50Ms.toFixed(2)} ms  p99 ${r.p99Ms.toFixed(2)} ms  CPU ${r.cpuMicros.toFixed(0)} µs/ack  (load ${load()})`,
      );
    }
  }
  console.log('  medians:');
  for (const target of ALL_TARGETS) {
    const rs = ingest[target];
    console.log(
      `    ${LABELS[target].padEnd(40)} ${median(rs.map((r) => r.requestsPerSecond))
        .toFixed(0)
        .padStart(
          6,
        )} req/s  p50 ${median(rs.map((r) => r.p50Ms)).toFixed(2)} ms  p99 ${median(rs.map((r) => r.p99Ms)).toFixed(2)} ms  CPU ${median(rs.map((r) => r.cpuMicros)).toFixed(0)} µs/ack`,
    );
  }
  /** Ratios paired by round, like A/B timing: drift in the machine's speed cancels within a pair. */
  const ratio = (measured: Target, baseline: Target, target: string) => {
    const pairs = ingest[measured].map((m, i) => {
      const b = ingest[baseline][i];
      return b === undefined
        ? { rps: NaN, cpu: NaN }
        : { rps: m.requestsPerSecond / b.requestsPerSecond, cpu: m.cpuMicros / b.cpuMicros };
    });
    console.log(
      `  ${measured}/${baseline}: throughput ${median(pairs.map((p) => p.rps)).toFixed(2)}× (rounds ${pairs.map((p) => p.rps.toFixed(2)).join(', ')}; target ${target}), CPU per ack ${median(pairs.map((p) => p.cpu)).toFixed(2)}×`,
    );
  };
  ratio('traced', 'probot', '>= 1.0');
  ratio('traced', 'bare', '>= 0.7');
  ratio('untraced', 'probot', 'for comparison');
  ratio('traced', 'untraced', 'what tracing costs');
}

if (!SKIPPED.has('wake')) {
  console.log(
    `2. event → wake (traced service, ${INSTALLATIONS} installations, ${STEADY_SECONDS} s per rate, 202 → readable on GET /api/wakes)`,
  );
  const byRate = new Map<number, WakeResult[]>();
  const rss: { idle: number[]; peak: number[] } = { idle: [], peak: [] };
  for (let i = 0; i < ROUNDS; i++) {
    const dataDir = mkdtempSync(join(tmpdir(), 'reconciler-bench-wake-'));
    const server = await startServer('traced', { dataDir });
    try {
      await pause(1000);
      rss.idle.push(residentMb(server.child.pid ?? 0).rss);
      await setUpWorld(server);
      for (const rate of RATES) {
        const r = await steadyWakes(server, rate, `steady-${i}-${rate}`);
        byRate.set(rate, [...(byRate.get(rate) ?? []), r]);
        console.log(
          `  round ${i + 1} ${String(rate).padStart(5)}/s  p50 ${r.p50Ms.toFixed(1)} ms  p99 ${r.p99Ms.toFixed(1)} ms  max ${r.maxMs.toFixed(1)} ms  not yet woken at the end ${r.backlogAtEnd}  p99 last/first quarter ${r.lateOverEarlyP99.toFixed(2)}  (load ${load()})`,
        );
      }
      rss.peak.push(residentMb(server.child.pid ?? 0).peak);
    } finally {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  for (const rate of RATES) {
    const rs = byRate.get(rate) ?? [];
    const target = rate <= 500 ? '< 50' : '< 250';
    console.log(
      `  median ${String(rate).padStart(5)}/s: p50 ${median(rs.map((r) => r.p50Ms)).toFixed(1)} ms  p99 ${median(rs.map((r) => r.p99Ms)).toFixed(1)} ms (target p99 ${target} ms)  p99 last/first quarter ${median(rs.map((r) => r.lateOverEarlyP99)).toFixed(2)}`,
    );
  }
  console.log(
    `4. RSS of the traced service (SQLite): idle after start ${median(rss.idle).toFixed(0)} MB (target < 120; rounds ${rss.idle.map((m) => m.toFixed(0)).join(', ')}), peak over the steady runs ${median(rss.peak).toFixed(0)} MB`,
  );
}

if (!SKIPPED.has('drain')) {
  console.log(`3. drain: ${DRAIN_COUNT} woken deliveries stored while paused, applied by a fresh traced process`);
  const rates: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const r = await drainRound(i);
    rates.push(r.perSecond);
    console.log(
      `  round ${i + 1} ${r.perSecond.toFixed(0)} deliveries/s  peak RSS ${r.peakMb.toFixed(0)} MB  (load ${load()})`,
    );
  }
  console.log(`  median ${median(rates).toFixed(0)} deliveries/s (target >= 2000)`);
}

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sign } from '@octokit/webhooks-methods';
import { freePort } from '../test/support/free-port.js';
import { planSoak, type ExpectedRow, type PlannedDelivery, type SoakStream } from './soak-plan.js';

// The soak run (issue 8, item 5): signed deliveries of mixed events at a fixed concurrency
// against the real server process, which is SIGKILLed and restarted on the same data directory
// while they arrive. The sender resends whatever was not acknowledged, as GitHub's redelivery
// would. Once the backlog drains, the API must show every delivery finished once, as the model
// says, and the routing model equal to the one the streams predict.

export interface SoakOptions {
  deliveries: number;
  concurrency: number;
  /** Ordered streams (one per installation); at least `concurrency` keeps every sender busy. */
  installations: number;
  kills: number;
  seed: number;
  /** Called with progress lines (the CLI prints them). */
  log?: (line: string) => void;
  /** MONGODB_URI and MONGODB_DB for the server: the soak runs on MongoDB. Default: the embedded store. */
  storeEnv?: Record<string, string>;
}

export interface SoakResult {
  ok: boolean;
  problems: string[];
  deliveries: number;
  sendSeconds: number;
  deliveriesPerSecond: number;
  ackP50Ms: number;
  ackP99Ms: number;
  /** From the last acknowledgement until nothing is waiting. */
  drainMs: number;
  peakRssBytes: number;
  kills: number;
  /** Requests that failed (server down or killed mid-request) and were sent again. */
  resends: number;
  /** Resends the server had already stored: acknowledged as duplicates, never applied twice. */
  duplicates: number;
}

const SECRET = 'soak-webhook-secret';
const LEASE_SECONDS = 10;
const TOKEN = 'soak-api-token-0123';
const MAIN_JS = fileURLToPath(new URL('../src/main.js', import.meta.url));

/** Peak resident set of a live process (VmHWM), in bytes; 0 when it cannot be read. */
function peakRss(pid: number | undefined): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] === undefined ? 0 : Number(match[1]) * 1024;
  } catch {
    return 0;
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

class Server {
  child: ChildProcess | null = null;
  peakRssBytes = 0;
  private stderr = '';
  constructor(
    readonly url: string,
    private readonly env: Record<string, string>,
  ) {}

  async start(): Promise<void> {
    const child = spawn(process.execPath, [MAIN_JS], { env: this.env, stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr?.on('data', (chunk: Buffer) => (this.stderr = (this.stderr + chunk.toString('utf8')).slice(-4000)));
    this.child = child;
    for (let i = 0; ; i++) {
      if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}: ${this.stderr}`);
      try {
        if ((await fetch(`${this.url}/readyz`)).ok) return;
      } catch {
        // not listening yet
      }
      if (i > 600) throw new Error(`the server did not become ready: ${this.stderr}`);
      await pause(20);
    }
  }

  private async stop(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (child === null || child.exitCode !== null || child.signalCode !== null) return;
    this.peakRssBytes = Math.max(this.peakRssBytes, peakRss(child.pid));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
  }

  kill = () => this.stop('SIGKILL');
  close = () => this.stop('SIGTERM');

  sample(): void {
    this.peakRssBytes = Math.max(this.peakRssBytes, peakRss(this.child?.pid));
  }

  async api<T>(path: string): Promise<T> {
    const response = await fetch(`${this.url}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    if (!response.ok) throw new Error(`GET ${path} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
  }

  async put(path: string, body?: unknown): Promise<void> {
    const response = await fetch(`${this.url}${path}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (response.status >= 300) throw new Error(`PUT ${path} answered ${response.status}: ${await response.text()}`);
  }
}

/** One POST; resolves with the status, or null when the connection failed (server down). */
function post(
  agent: Agent,
  url: string,
  delivery: PlannedDelivery,
  signature: string,
): Promise<{ status: number; body: string } | null> {
  return new Promise((resolve) => {
    const req = request(
      `${url}/webhooks/github`,
      {
        method: 'POST',
        agent,
        timeout: 15_000,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(delivery.body),
          'user-agent': 'GitHub-Hookshot/soak',
          'x-github-event': delivery.event,
          'x-github-delivery': delivery.id,
          'x-github-hook-id': '1',
          'x-hub-signature-256': signature,
        },
      },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
        res.once('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.once('error', () => resolve(null));
      },
    );
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve(null));
    req.end(delivery.body);
  });
}

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

interface DeliveryView {
  id: string;
  state: string;
  reason: string | null;
  error: string | null;
}
interface AuditView {
  deliveryId: string | null;
  decision: string;
  reason: string | null;
}
interface WakeView {
  deliveryId: string;
  triggerId: string;
}
interface ProjectRow {
  repoId: number;
  fullName: string;
  rootDirectory: string | null;
  installationId: number | null;
}

/** Every page of a list, following nextCursor until a page comes back short or empty. */
async function allPages<T>(server: Server, path: string, key: string, limit: number): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  for (;;) {
    const query: string = `${path.includes('?') ? '&' : '?'}limit=${limit}${cursor === null ? '' : `&cursor=${cursor}`}`;
    const page = await server.api<Record<string, unknown>>(`${path}${query}`);
    const batch = page[key] as T[];
    items.push(...batch);
    cursor = page.nextCursor as string | null;
    if (batch.length < limit || cursor === null) return items;
  }
}

/** Checks what the API shows against the streams; returns the problems found. */
async function check(server: Server, streams: SoakStream[]): Promise<string[]> {
  const problems: string[] = [];
  const planned = new Map(streams.flatMap((s) => s.deliveries.map((d) => [d.id, d] as const)));
  const report = (problem: string) => {
    if (problems.length < 50) problems.push(problem);
  };

  const deliveries = await allPages<DeliveryView>(server, '/api/deliveries', 'deliveries', 200);
  const seen = new Set<string>();
  for (const delivery of deliveries) {
    const plan = planned.get(delivery.id);
    if (plan === undefined) report(`delivery ${delivery.id} was never sent`);
    else if (delivery.state !== plan.expect)
      report(`${delivery.id}: ${delivery.state} (${delivery.reason ?? delivery.error}), expected ${plan.expect}`);
    if (seen.has(delivery.id)) report(`delivery ${delivery.id} is stored twice`);
    seen.add(delivery.id);
    if (delivery.reason === null || delivery.reason === '') report(`${delivery.id} finished without a reason`);
  }
  for (const id of planned.keys()) if (!seen.has(id)) report(`delivery ${id} was lost`);

  // One finish record per delivery; a failed attempt (retried) must say why.
  const outcomes = await allPages<AuditView>(server, '/api/audit?kind=delivery.outcome', 'records', 1000);
  const finished = new Map<string, number>();
  for (const record of outcomes) {
    if (record.deliveryId === null) continue;
    if (record.decision === 'failed') {
      if (!record.reason) report(`${record.deliveryId}: a failed attempt without a reason`);
      continue;
    }
    finished.set(record.deliveryId, (finished.get(record.deliveryId) ?? 0) + 1);
    if (record.decision !== planned.get(record.deliveryId)?.expect)
      report(`${record.deliveryId}: audited ${record.decision}, expected ${planned.get(record.deliveryId)?.expect}`);
  }
  for (const id of planned.keys()) {
    const count = finished.get(id) ?? 0;
    if (count !== 1) report(`${id}: ${count} finish records in the audit trail, expected 1`);
  }

  const wakes = await allPages<WakeView>(server, '/api/wakes', 'wakes', 1000);
  const woken = new Set<string>();
  for (const wake of wakes) {
    const key = `${wake.deliveryId} ${wake.triggerId}`;
    if (woken.has(key)) report(`${wake.deliveryId} woke ${wake.triggerId} twice`);
    woken.add(key);
  }
  for (const stream of streams) {
    for (const delivery of stream.deliveries) {
      if (delivery.wakes !== woken.has(`${delivery.id} ${stream.triggerId}`))
        report(`${delivery.id}: ${delivery.wakes ? 'did not wake' : 'woke'} ${stream.triggerId}`);
    }
  }
  const expectedWakes = streams.reduce((n, s) => n + s.deliveries.filter((d) => d.wakes).length, 0);
  if (wakes.length !== expectedWakes) report(`${wakes.length} wakes, expected ${expectedWakes}`);

  for (const stream of streams) {
    const projects = await server.api<{ rows: ProjectRow[] }>(
      `/api/users/${stream.userId}/projects?include=all&limit=1000`,
    );
    const rows: ExpectedRow[] = projects.rows
      .filter((row) => row.rootDirectory === null)
      .map(({ repoId, fullName, installationId }) => ({ repoId, fullName, installationId }))
      .sort((a, b) => a.repoId - b.repoId);
    if (JSON.stringify(rows) !== JSON.stringify(stream.rows))
      report(`${stream.userId}: rows ${JSON.stringify(rows)}, expected ${JSON.stringify(stream.rows)}`);
    const { installations } = await server.api<{
      installations: { id: number; state: string; accountLogin: string }[];
    }>(`/api/users/${stream.userId}/installations`);
    const [installation] = installations;
    if (
      installations.length !== 1 ||
      installation?.id !== stream.installationId ||
      installation.state !== 'active' ||
      installation.accountLogin !== stream.owner
    )
      report(`${stream.userId}: installations ${JSON.stringify(installations)}`);
  }
  return problems;
}

export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const log = options.log ?? (() => undefined);
  const streams = planSoak({
    deliveries: options.deliveries,
    installations: options.installations,
    seed: options.seed,
  });
  const signatures = new Map<string, string>();
  for (const delivery of streams.flatMap((s) => s.deliveries))
    signatures.set(delivery.id, await sign(SECRET, delivery.body));

  const dataDir = mkdtempSync(join(tmpdir(), 'reconciler-soak-'));
  const port = await freePort();
  const server = new Server(`http://127.0.0.1:${port}`, {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'production',
    PORT: String(port),
    DATA_DIR: dataDir,
    API_TOKEN: TOKEN,
    GITHUB_WEBHOOK_SECRET: SECRET,
    LOG_LEVEL: 'warn',
    // A SIGKILL leaves the delivery in hand claimed (on MongoDB, where no restart can tell a dead
    // claim from another replica's) and its installation waiting until the lease ends: keep that short.
    INBOX_LEASE_SECONDS: String(LEASE_SECONDS),
    ...options.storeEnv,
  });
  try {
    await server.start();
    for (const stream of streams) {
      await server.put(`/api/users/${stream.userId}`, {
        githubUserId: stream.installationId,
        githubLogin: stream.owner,
      });
      await server.put(`/api/users/${stream.userId}/installations/${stream.installationId}`);
      await server.put(`/api/triggers/${stream.triggerId}`, {
        userId: stream.userId,
        installationId: stream.installationId,
        repoId: stream.triggerRepoId,
        events: ['push', 'pull_request'],
      });
    }

    const total = options.deliveries;
    const killAt = Array.from({ length: options.kills }, (_, i) => Math.floor((total * (i + 1)) / (options.kills + 1)));
    let acked = 0;
    let resends = 0;
    let duplicates = 0;
    let kills = 0;
    let restarting: Promise<void> | null = null;
    const latencies: number[] = [];
    const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });

    const killAndRestart = async (): Promise<void> => {
      kills += 1;
      log(`  SIGKILL ${kills} after ${acked} acknowledgements; restarting on the same data directory`);
      await server.kill();
      await server.start();
    };

    /** Sends until acknowledged; a kill in between means a resend (same id, like a GitHub redelivery). */
    const deliver = async (delivery: PlannedDelivery): Promise<void> => {
      for (let attempt = 0; ; attempt++) {
        if (restarting !== null) await restarting;
        if (attempt > 0) resends += 1;
        const started = performance.now();
        const answer = await post(agent, server.url, delivery, signatures.get(delivery.id) ?? '');
        if (answer !== null && (answer.status === 202 || answer.status === 200)) {
          latencies.push(performance.now() - started);
          if (answer.status === 200) duplicates += 1;
          acked += 1;
          if (killAt[kills] !== undefined && acked >= (killAt[kills] ?? Infinity) && restarting === null) {
            restarting = killAndRestart().finally(() => (restarting = null));
          }
          return;
        }
        if (answer !== null && answer.status < 500)
          throw new Error(`${delivery.id} answered ${answer.status}: ${answer.body}`);
        await pause(10);
      }
    };

    const sampler = setInterval(() => server.sample(), 250);
    const started = performance.now();
    // Sender w owns streams w, w + concurrency, …: one delivery of a stream in flight at a time.
    await Promise.all(
      Array.from({ length: options.concurrency }, async (_, w) => {
        const owned = streams.filter((_s, i) => i % options.concurrency === w);
        for (let step = 0; owned.some((s) => step < s.deliveries.length); step++) {
          for (const stream of owned) {
            const delivery = stream.deliveries[step];
            if (delivery !== undefined) await deliver(delivery);
          }
        }
      }),
    );
    const sendSeconds = (performance.now() - started) / 1000;
    const lastAck = performance.now();
    agent.destroy();
    if (restarting !== null) await restarting;

    for (;;) {
      const summary = await server.api<{ inbox: { pending: number } }>('/api/summary');
      if (summary.inbox.pending === 0) break;
      await pause(50);
    }
    const drainMs = performance.now() - lastAck;
    clearInterval(sampler);
    server.sample();
    log(`  drained ${drainMs.toFixed(0)} ms after the last acknowledgement; checking through the API`);
    let problems = await check(server, streams);
    if (options.storeEnv?.MONGODB_URI !== undefined) {
      // On a standalone MongoDB a finish's audit records are copied out just after its state
      // changes; one cut by a SIGKILL is copied out by a later claim once its hold, the lease,
      // has passed (docs/mongodb.md, "Finishing atomically"). Allow that long, then check again.
      const settledBy = performance.now() + (LEASE_SECONDS + 5) * 1000;
      while (problems.length > 0 && performance.now() < settledBy) {
        await pause(500);
        problems = await check(server, streams);
      }
    }
    latencies.sort((a, b) => a - b);
    await server.close();
    return {
      ok: problems.length === 0,
      problems,
      deliveries: total,
      sendSeconds,
      deliveriesPerSecond: total / sendSeconds,
      ackP50Ms: percentile(latencies, 50),
      ackP99Ms: percentile(latencies, 99),
      drainMs,
      peakRssBytes: server.peakRssBytes,
      kills,
      resends,
      duplicates,
    };
  } finally {
    await server.kill();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

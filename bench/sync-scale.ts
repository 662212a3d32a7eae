import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startService } from '../src/service.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import type { Store } from '../src/store/store.js';
import { createLogger } from '../src/telemetry/logger.js';
import { fakeRepos, startFakeGitHub, type FakeRepo } from '../test/support/fake-github.js';
import { TEST_TOKEN, testConfig } from '../test/support/test-service.js';

// Installation-backed sync at 1k, 10k and 100k repos (100 per page, as GitHub serves them) for
// one user on the embedded store, then a resync with 1% of the repos changed, then a walk of the
// user's whole Projects view. Each size runs in its own service process, so its peak RSS is its own;
// the fake GitHub runs in this process. The baseline is the smallest size of the same run:
// per-repo cost at the largest size over the smallest says whether the cost grows linearly.
// Usage: npm run bench:sync -- [--sizes 1000,10000,100000] [--change 0.01]
// V8 flags for the service processes go in NODE_OPTIONS (e.g. --max-old-space-size=256).

const SCRIPT = fileURLToPath(import.meta.url);
const INSTALLATION_ID = 11;
const USER = 'u1';

interface SizeResult {
  repos: number;
  firstSyncMs: number;
  firstSyncWrites: number;
  firstSyncRowsWritten: number;
  resyncMs: number;
  resyncWrites: number;
  resyncRowsWritten: number;
  changed: number;
  projectsFirstPageMs: number;
  projectsWalkMs: number;
  projectsPages: number;
  projectsWalkOk: boolean;
  peakRssAfterSyncMb: number;
  peakRssMb: number;
  /** The heap still in use after a full GC once the first sync ended: what the sync keeps, not its garbage. */
  liveHeapAfterSyncMb: number;
}

type ChildMessage = { type: 'change' } | { type: 'result'; result: SizeResult };
type ParentMessage = { type: 'changed'; changed: number };

const WRITE_METHOD = /^(upsert|put|append|delete|link|unlink|record|finish|fail|prune|write|apply)/;

/** The store as the service uses it, counting every write call (each one is a commit or a round trip). */
function countingWrites(store: Store): { store: Store; writes: () => number } {
  let writes = 0;
  const counted = new Proxy(store, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver) as unknown;
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => unknown;
      return typeof name === 'string' && WRITE_METHOD.test(name)
        ? (...args: unknown[]) => {
            writes += 1;
            return method.apply(target, args);
          }
        : method.bind(target);
    },
  });
  return { store: counted, writes: () => writes };
}

const peakRssMb = (): number => Math.round(process.resourceUsage().maxRSS / 1024);

/** Heap in use after a full collection (the child runs with --expose-gc). */
function liveHeapMb(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return Math.round(process.memoryUsage().heapUsed / 1048576);
}

async function runChild(): Promise<void> {
  const githubUrl = process.env.BENCH_GITHUB_URL ?? '';
  const dataDir = mkdtempSync(join(tmpdir(), 'reconciler-sync-bench-'));
  const counting = countingWrites(openSqliteStore({ path: join(dataDir, 'reconciler.db') }));
  const config = testConfig(dataDir, {
    LOG_LEVEL: 'warn',
    GITHUB_API_URL: githubUrl,
    GITHUB_APP_ID: process.env.BENCH_APP_ID ?? '',
    GITHUB_APP_PRIVATE_KEY: process.env.BENCH_PRIVATE_KEY ?? '',
  });
  const service = await startService(config, createLogger({ level: 'warn' }), { store: counting.store });
  const api = async (path: string, init: RequestInit = {}): Promise<unknown> => {
    const response = await fetch(`${service.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' },
    });
    if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${response.status} ${await response.text()}`);
    return response.json();
  };
  const sync = async (): Promise<{ ms: number; writes: number; rowsWritten: number }> => {
    const writesBefore = counting.writes();
    const started = performance.now();
    const result = (await api(`/api/users/${USER}/sync`, { method: 'POST', body: '{}' })) as {
      counts: Record<string, number>;
    };
    const ms = performance.now() - started;
    const rowsWritten = Object.entries(result.counts)
      .filter(([decision]) => decision !== 'unchanged')
      .reduce((sum, [, n]) => sum + n, 0);
    return { ms, writes: counting.writes() - writesBefore, rowsWritten };
  };
  try {
    await api(`/api/users/${USER}`, { method: 'PUT', body: JSON.stringify({ githubUserId: 1, githubLogin: USER }) });
    await api(`/api/users/${USER}/installations/${INSTALLATION_ID}`, { method: 'PUT' });
    const first = await sync();
    const peakAfterSync = peakRssMb();
    const liveAfterSync = liveHeapMb();
    const changed = await new Promise<number>((resolve) => {
      process.once('message', (message: ParentMessage) => resolve(message.changed));
      process.send?.({ type: 'change' } satisfies ChildMessage);
    });
    const resync = await sync();

    const started = performance.now();
    await api(`/api/users/${USER}/projects?limit=100`);
    const projectsFirstPageMs = performance.now() - started;
    const walkStarted = performance.now();
    let cursor: string | null = null;
    let pages = 0;
    let previousId = 0;
    const seen = new Set<number>();
    let ordered = true;
    do {
      const page = (await api(
        `/api/users/${USER}/projects?limit=1000${cursor === null ? '' : `&cursor=${cursor}`}`,
      )) as { rows: { repoId: number }[]; nextCursor: string | null };
      pages += 1;
      for (const row of page.rows) {
        ordered &&= row.repoId > previousId;
        previousId = row.repoId;
        seen.add(row.repoId);
      }
      cursor = page.nextCursor;
    } while (cursor !== null);
    const result: SizeResult = {
      repos: Number(process.env.BENCH_REPOS),
      firstSyncMs: first.ms,
      firstSyncWrites: first.writes,
      firstSyncRowsWritten: first.rowsWritten,
      resyncMs: resync.ms,
      resyncWrites: resync.writes,
      resyncRowsWritten: resync.rowsWritten,
      changed,
      projectsFirstPageMs,
      projectsWalkMs: performance.now() - walkStarted,
      projectsPages: pages,
      projectsWalkOk: ordered && seen.size === Number(process.env.BENCH_REPOS),
      peakRssAfterSyncMb: peakAfterSync,
      peakRssMb: peakRssMb(),
      liveHeapAfterSyncMb: liveAfterSync,
    };
    process.send?.({ type: 'result', result } satisfies ChildMessage);
  } finally {
    await service.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Renames every repo whose position is a multiple of the step: `fraction` of them, spread out. */
function changeRepos(repos: FakeRepo[], fraction: number): number {
  const step = Math.max(1, Math.round(1 / fraction));
  let changed = 0;
  for (let i = 0; i < repos.length; i += step) {
    const repo = repos[i];
    if (repo === undefined) continue;
    repos[i] = { ...repo, name: `${repo.name}-renamed` };
    changed += 1;
  }
  return changed;
}

async function runSize(
  fake: Awaited<ReturnType<typeof startFakeGitHub>>,
  repos: number,
  changeFraction: number,
): Promise<SizeResult> {
  const installationRepos = fakeRepos('big-org', repos);
  fake.installations.set(INSTALLATION_ID, {
    id: INSTALLATION_ID,
    account: { id: 5, login: 'big-org', type: 'Organization' },
    repos: installationRepos,
  });
  const child = fork(SCRIPT, ['--child'], {
    execArgv: [...process.execArgv, '--expose-gc'],
    env: {
      ...process.env,
      BENCH_GITHUB_URL: fake.url,
      BENCH_APP_ID: String(fake.appId),
      BENCH_PRIVATE_KEY: fake.privateKey,
      BENCH_REPOS: String(repos),
    },
  });
  return new Promise((resolve, reject) => {
    child.on('message', (message: ChildMessage) => {
      if (message.type === 'change')
        child.send({
          type: 'changed',
          changed: changeRepos(installationRepos, changeFraction),
        } satisfies ParentMessage);
      else resolve(message.result);
    });
    child.once('exit', (code) => reject(new Error(`the service process for ${repos} repos exited (${code})`)));
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      child: { type: 'boolean', default: false },
      sizes: { type: 'string', default: '1000,10000,100000' },
      change: { type: 'string', default: '0.01' },
    },
  });
  if (values.child) return runChild();
  const sizes = values.sizes.split(',').map(Number);
  const teardowns: (() => unknown)[] = [];
  const fake = await startFakeGitHub({ teardown: (fn) => teardowns.push(fn) });
  const results: SizeResult[] = [];
  try {
    for (const size of sizes) {
      const result = await runSize(fake, size, Number(values.change));
      results.push(result);
      process.stdout.write(`${size} repos done\n`);
    }
  } finally {
    for (const teardown of teardowns) await teardown();
  }
  const fixed = (n: number, digits = 0) => n.toFixed(digits);
  const rows = results.map((r) => [
    String(r.repos),
    fixed(r.firstSyncMs),
    fixed((r.firstSyncMs * 1000) / r.repos, 1),
    String(r.firstSyncWrites),
    String(r.firstSyncRowsWritten),
    `${fixed(r.resyncMs)} (${r.changed} changed)`,
    `${r.resyncWrites}/${r.resyncRowsWritten}`,
    fixed(r.projectsFirstPageMs, 1),
    `${fixed(r.projectsWalkMs)} (${r.projectsPages} pages, ${r.projectsWalkOk ? 'ok' : 'WRONG'})`,
    `${r.peakRssAfterSyncMb}/${r.peakRssMb}`,
    String(r.liveHeapAfterSyncMb),
  ]);
  const header = [
    'repos',
    'first sync ms',
    'µs/repo',
    'store writes',
    'rows written',
    'resync ms',
    'resync writes/rows',
    'projects p1 ms',
    'projects walk ms',
    'peak RSS MB (sync/all)',
    'live heap MB',
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]?.length ?? 0)));
  for (const row of [header, ...rows])
    process.stdout.write(`${row.map((cell, i) => cell.padStart(widths[i] ?? 0)).join('  ')}\n`);
  const smallest = results[0];
  const largest = results.at(-1);
  if (smallest && largest && largest !== smallest) {
    const ratio = largest.firstSyncMs / largest.repos / (smallest.firstSyncMs / smallest.repos);
    process.stdout.write(
      `per-repo cost ${largest.repos} / ${smallest.repos}: ${ratio.toFixed(2)} (target <= 1.5: linear)\n`,
    );
  }
  for (const r of results) {
    if (r.repos === 10_000)
      process.stdout.write(
        `10k: first sync ${fixed(r.firstSyncMs)} ms (target < 5000), resync ${fixed(r.resyncMs)} ms (target < 2000)\n`,
      );
    if (r.repos === 100_000) process.stdout.write(`100k: peak RSS ${r.peakRssMb} MB (target < 200)\n`);
  }
  if (results.some((r) => !r.projectsWalkOk)) process.exitCode = 1;
}

await main();

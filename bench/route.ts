import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { AuditDraft } from '../src/domain/audit/index.js';
import type { Delivery } from '../src/domain/delivery.js';
import { sparseInstallation, type RepoRow } from '../src/domain/entities.js';
import { routeDelivery } from '../src/reconcile/route-delivery.js';
import { deliveryContext } from '../src/reconcile/sync-context.js';
import { startService } from '../src/service.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import type { Store } from '../src/store/store.js';
import { createLogger } from '../src/telemetry/logger.js';
import { incomingFixture, repoRowFixture } from '../test/support/fixtures.js';
import { pushPayload } from '../test/support/github-payloads.js';
import { TEST_TOKEN, testConfig } from '../test/support/test-service.js';

// Routing throughput for a push to a repo with 50 triggers (against one trigger, in the same run),
// and the latency of the delivery story and the Projects view at 100k repo rows and 1M audit
// records (against a small store, in the same run).
// And delivery search (GET /api/deliveries with the filters of the view, GET /api/search) over
// 100k routed deliveries: p99 target < 100 ms.
// Usage: npm run bench:route -- [--triggers 50] [--rows 100000] [--audit 1000000] [--n 2000] [--requests 300] [--deliveries 100000] [--cases routing,views,search]

const { values } = parseArgs({
  options: {
    triggers: { type: 'string', default: '50' },
    rows: { type: 'string', default: '100000' },
    audit: { type: 'string', default: '1000000' },
    n: { type: 'string', default: '2000' },
    requests: { type: 'string', default: '300' },
    deliveries: { type: 'string', default: '100000' },
    cases: { type: 'string', default: 'routing,views,search' },
  },
});
const TRIGGERS = Number(values.triggers);
const ROWS = Number(values.rows);
const AUDIT = Number(values.audit);
const N = Number(values.n);
const REQUESTS = Number(values.requests);
const DELIVERIES = Number(values.deliveries);
const CASES = new Set(values.cases.split(','));
const REPO = { id: 7, owner: 'octo-org', name: 'api' };
const T0 = '2026-01-01T00:00:00.000Z';

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

/** Milliseconds from sending an authorised GET to having read its whole answer. */
async function timedGet(url: string, path: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${TEST_TOKEN}` } });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  await response.arrayBuffer();
  return performance.now() - started;
}

function openStore(): { store: Store; dispose: () => Promise<void> } {
  const dir = mkdtempSync(join(tmpdir(), 'reconciler-route-bench-'));
  const store = openSqliteStore({ path: join(dir, 'bench.sqlite') });
  return {
    store,
    dispose: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `count` users, each with a covered row for the repo and a push trigger on it bound to installation 11. */
async function seedTriggers(store: Store, count: number): Promise<void> {
  await store.upsertInstallation(sparseInstallation(11, T0));
  const rows: RepoRow[] = [];
  for (let i = 0; i < count; i++) {
    const userId = `t-user-${i}`;
    rows.push(repoRowFixture({ userId, repoId: REPO.id, installationId: 11, discoveredBy: 'installation' }));
    await store.putTrigger(
      {
        id: `trigger-${i}`,
        userId,
        automationId: null,
        installationId: 11,
        repoId: REPO.id,
        repoFullName: `${REPO.owner}/${REPO.name}`,
        rootDirectory: null,
        events: ['push'],
        enabled: true,
        updatedAt: T0,
      },
      [],
    );
  }
  await store.writeRepoRows(rows, []);
}

/** Routing decisions per second for a push to a repo with `triggers` triggers (store reads included). */
async function routingThroughput(triggers: number): Promise<{ decisionsPerSecond: number; perDecisionUs: number }> {
  const { store, dispose } = openStore();
  try {
    await seedTriggers(store, triggers);
    const payload = pushPayload(REPO, 11, ['src/main.go']);
    const delivery = { ...incomingFixture('bench'), repoId: REPO.id, installationId: 11 } as unknown as Delivery;
    const context = deliveryContext(delivery, () => new Date());
    for (let i = 0; i < 100; i++) await routeDelivery(store, context, delivery, payload);
    const started = performance.now();
    let decisions = 0;
    for (let i = 0; i < N; i++)
      decisions +=
        (await routeDelivery(store, context, delivery, payload))?.audit.filter((r) => r.kind === 'routing.decision')
          .length ?? 0;
    const seconds = (performance.now() - started) / 1000;
    if (decisions !== N * triggers) throw new Error(`expected ${N * triggers} decisions, made ${decisions}`);
    return { decisionsPerSecond: decisions / seconds, perDecisionUs: (seconds * 1e6) / decisions };
  } finally {
    await dispose();
  }
}

/** A store with `rows` repo rows for u1, `audit` audit records, and one routed delivery with 50 decisions. */
async function seedViews(store: Store, rows: number, audit: number): Promise<string> {
  await store.upsertUser({ id: 'u1', githubUserId: 1, githubLogin: 'u1', createdAt: T0, updatedAt: T0 }, []);
  await store.upsertInstallation(sparseInstallation(11, T0));
  await store.upsertInstallation({ ...sparseInstallation(21, T0), deletedAt: T0 });
  for (let start = 1; start <= rows; start += 5000) {
    const batch: RepoRow[] = [];
    for (let repoId = start; repoId < Math.min(rows + 1, start + 5000); repoId++)
      batch.push(
        repoRowFixture({
          repoId,
          fullName: `big-org/repo-${repoId}`,
          name: `repo-${repoId}`,
          installationId: repoId % 10 === 0 ? null : repoId % 7 === 0 ? 21 : 11,
        }),
      );
    await store.writeRepoRows(batch, []);
  }
  const draft = (i: number): AuditDraft => ({
    kind: i % 3 === 0 ? 'routing.decision' : 'sync.decision',
    actor: i % 3 === 0 ? 'worker' : 'sync',
    source: { type: 'sync', id: `s${i % 1000}` },
    subject: { userId: `u${i % 500}`, repoId: (i % rows) + 1, repoFullName: `big-org/repo-${(i % rows) + 1}` },
    decision: 'unchanged',
    reason: null,
    before: null,
    after: { note: 'seed' },
    traceId: null,
    deliveryId: i % 3 === 0 ? `seed-${Math.floor(i / 50)}` : null,
    occurredAt: T0,
  });
  for (let start = 0; start < audit; start += 10_000)
    await store.appendAudit(Array.from({ length: Math.min(10_000, audit - start) }, (_, k) => draft(start + k)));

  // The delivery whose story is read: routed to 50 triggers.
  await seedTriggers(store, 50);
  await store.recordDelivery({ ...incomingFixture('story'), repoId: REPO.id, installationId: 11 }, T0);
  const claimed = await store.claimNextDelivery({ workerId: 'bench', now: T0, leaseUntil: '2999-01-01T00:00:00.000Z' });
  if (claimed === null) throw new Error('the story delivery was not claimed');
  const payload = pushPayload(REPO, 11, ['src/main.go']);
  const context = deliveryContext(claimed, () => new Date(T0));
  const routed = await routeDelivery(store, context, claimed, payload);
  await store.finishDelivery(claimed.id, 'bench', {
    state: 'applied',
    reason: null,
    processedAt: T0,
    audit: routed?.audit ?? [],
    ...(routed ? { routingOutcome: routed.outcome, wakes: routed.wakes } : {}),
  });
  return claimed.id;
}

interface ViewLatency {
  storyP50: number;
  storyP99: number;
  projectsP50: number;
  projectsP99: number;
  seedSeconds: number;
}

async function viewLatency(rows: number, audit: number): Promise<ViewLatency> {
  const { store, dispose } = openStore();
  const dataDir = mkdtempSync(join(tmpdir(), 'reconciler-route-bench-service-'));
  try {
    const seedStarted = performance.now();
    const deliveryId = await seedViews(store, rows, audit);
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    const service = await startService(testConfig(dataDir, { LOG_LEVEL: 'warn' }), createLogger({ level: 'warn' }), {
      store,
    });
    const get = (path: string): Promise<number> => timedGet(service.url, path);
    try {
      await get('/api/users/u1');
      const story: number[] = [];
      const projects: number[] = [];
      for (let i = 0; i < REQUESTS; i++) {
        story.push(await get(`/api/deliveries/${deliveryId}`));
        // Anywhere in the list: a cursor into the covered stretch at a random repo.
        const cursor = Buffer.from(
          JSON.stringify({ rank: 0, repoId: Math.floor(Math.random() * rows), rootDirectory: '' }),
        ).toString('base64url');
        projects.push(
          await get(`/api/users/u1/projects?include=all&limit=100${i % 10 === 0 ? '' : `&cursor=${cursor}`}`),
        );
      }
      story.sort((a, b) => a - b);
      projects.sort((a, b) => a - b);
      return {
        storyP50: percentile(story, 50),
        storyP99: percentile(story, 99),
        projectsP50: percentile(projects, 50),
        projectsP99: percentile(projects, 99),
        seedSeconds,
      };
    } finally {
      await service.close();
    }
  } finally {
    await dispose();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * `count` deliveries over 300 repos of acme-org (installation 11; 12 is the user's personal one),
 * routed as the worker records it: the first 11 repos have a trigger each, which wakes on push,
 * does not subscribe to the rest, and is refused for a stale binding on one delivery in 50.
 * Repo 1 was called acme-org/billing-api-old before a rename.
 */
async function seedSearch(store: Store, count: number): Promise<void> {
  await store.upsertInstallation({ ...sparseInstallation(11, T0), accountLogin: 'acme-org' });
  await store.upsertInstallation({ ...sparseInstallation(12, T0), accountLogin: 'acme' });
  const repoName = (repoId: number) => (repoId === 1 ? 'acme-org/billing-api' : `acme-org/repo-${repoId}`);
  await store.writeRepoRows(
    Array.from({ length: 300 }, (_, i) =>
      repoRowFixture({
        repoId: i + 1,
        fullName: repoName(i + 1),
        name: repoName(i + 1).split('/')[1] ?? '',
        installationId: 11,
      }),
    ),
    [
      {
        kind: 'webhook.decision',
        actor: 'webhook',
        source: { type: 'delivery', id: 'rename' },
        subject: { userId: 'u1', repoId: 1, repoFullName: 'acme-org/billing-api-old', installationId: 11 },
        decision: 'updated',
        reason: 'renamed',
        before: null,
        after: null,
        traceId: null,
        deliveryId: null,
        occurredAt: T0,
      },
    ],
  );
  const events = ['push', 'push', 'pull_request', 'issues'] as const;
  const batch = 1000;
  for (let start = 0; start < count; start += batch) {
    const ids = Array.from({ length: Math.min(batch, count - start) }, (_, k) => start + k);
    await Promise.all(
      ids.map((i) =>
        store.recordDelivery(
          {
            ...incomingFixture(`search-${i}`),
            event: events[i % 4] ?? 'push',
            action: events[i % 4] === 'push' ? null : 'opened',
            repoId: (i % 300) + 1,
            installationId: 11,
            receivedAt: new Date(Date.parse(T0) + i * 1000).toISOString(),
          },
          T0,
        ),
      ),
    );
    const claimed: Delivery[] = [];
    // An expired lease at once: the next delivery of the installation can be claimed right away.
    for (const _ of ids) {
      const delivery = await store.claimNextDelivery({ workerId: 'seed', now: T0, leaseUntil: T0 });
      if (delivery !== null) claimed.push(delivery);
    }
    await Promise.all(
      claimed.map((delivery) => {
        const i = Number(delivery.id.slice('search-'.length));
        const repoId = delivery.repoId ?? 0;
        const triggered = repoId <= 11;
        const reason = !triggered
          ? null
          : i % 50 === 0
            ? 'installation_mismatch'
            : delivery.event === 'push'
              ? null
              : 'event_not_subscribed';
        const audit: AuditDraft[] = triggered
          ? [
              {
                kind: 'routing.decision',
                actor: 'worker',
                source: { type: 'delivery', id: delivery.id },
                subject: {
                  userId: 'u1',
                  repoId,
                  triggerId: `trigger-${repoId}`,
                  automationId: `automation-${repoId % 3}`,
                },
                decision: reason === null ? 'woken' : 'not_woken',
                reason,
                before: null,
                after: null,
                traceId: null,
                deliveryId: delivery.id,
                occurredAt: T0,
              },
            ]
          : [];
        return store.finishDelivery(delivery.id, 'seed', {
          state: 'applied',
          reason: 'routed',
          processedAt: T0,
          audit,
          routingOutcome: !triggered ? 'no_candidates' : reason === null ? 'woke' : 'woke_none',
        });
      }),
    );
  }
}

async function searchLatency(
  count: number,
): Promise<{ p50: number; p99: number; perSearch: [string, number][]; seedSeconds: number }> {
  const { store, dispose } = openStore();
  const dataDir = mkdtempSync(join(tmpdir(), 'reconciler-search-bench-service-'));
  try {
    const seedStarted = performance.now();
    await seedSearch(store, count);
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    const service = await startService(testConfig(dataDir, { LOG_LEVEL: 'warn' }), createLogger({ level: 'warn' }), {
      store,
    });
    const middle = new Date(Date.parse(T0) + (count / 2) * 1000).toISOString();
    const later = new Date(Date.parse(T0) + (count / 2 + 3600) * 1000).toISOString();
    const searches = [
      '/api/deliveries?repo=ACME-ORG/billing-api-old',
      '/api/deliveries?repo=acme-org/repo-7&problems=1',
      '/api/deliveries?repo=acme-org/repo-200&event=push',
      '/api/deliveries?trigger=trigger-3',
      '/api/deliveries?automation=automation-1&outcome=woke',
      '/api/deliveries?problems=1',
      '/api/deliveries?outcome=woke_nothing&problems=1',
      '/api/deliveries?outcome=woke_nothing',
      '/api/deliveries?installation=acme-org&event=issues',
      '/api/deliveries?event=pull_request&action=opened',
      '/api/deliveries?reason=installation_mismatch',
      `/api/deliveries?since=${middle}&until=${later}`,
      `/api/deliveries?repoId=5&cursor=${Math.floor(count / 3)}`,
      '/api/search?q=acme-org/billing-api-old',
      '/api/search?q=search-4242',
    ];
    const get = (path: string): Promise<number> => timedGet(service.url, path);
    try {
      for (const path of searches) await get(path);
      const all: number[] = [];
      const each = new Map<string, number[]>(searches.map((path) => [path, []]));
      for (let i = 0; i < REQUESTS; i++) {
        const path = searches[i % searches.length] ?? '';
        const took = await get(path);
        all.push(took);
        each.get(path)?.push(took);
      }
      all.sort((a, b) => a - b);
      const perSearch = [...each].map(([path, times]): [string, number] => [
        path,
        percentile(
          times.sort((a, b) => a - b),
          50,
        ),
      ]);
      return { p50: percentile(all, 50), p99: percentile(all, 99), perSearch, seedSeconds };
    } finally {
      await service.close();
    }
  } finally {
    await dispose();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const ms = (n: number) => `${n.toFixed(2)} ms`;

if (CASES.has('routing')) {
  const one = await routingThroughput(1);
  const many = await routingThroughput(TRIGGERS);
  process.stdout.write(
    `routing, push to a repo with ${TRIGGERS} triggers: ${Math.round(many.decisionsPerSecond)} decisions/s ` +
      `(${Math.round(many.decisionsPerSecond / TRIGGERS)} deliveries/s), ${many.perDecisionUs.toFixed(1)} µs per decision\n` +
      `routing, 1 trigger (baseline): ${one.perDecisionUs.toFixed(1)} µs per decision; ratio per decision ` +
      `${(many.perDecisionUs / one.perDecisionUs).toFixed(2)} (linear: <= 1)\n`,
  );
}
if (CASES.has('views')) {
  const small = await viewLatency(1000, 10_000);
  const large = await viewLatency(ROWS, AUDIT);
  process.stdout.write(
    `seeding ${ROWS} rows and ${AUDIT} audit records took ${large.seedSeconds.toFixed(1)} s\n` +
      `                     story p50 / p99          projects page p50 / p99\n` +
      `1k rows, 10k audit   ${ms(small.storyP50)} / ${ms(small.storyP99)}    ${ms(small.projectsP50)} / ${ms(small.projectsP99)}\n` +
      `${ROWS} rows, ${AUDIT} audit   ${ms(large.storyP50)} / ${ms(large.storyP99)}    ${ms(large.projectsP50)} / ${ms(large.projectsP99)}\n` +
      `ratio large/small p50: story ${(large.storyP50 / small.storyP50).toFixed(2)}, projects ${(large.projectsP50 / small.projectsP50).toFixed(2)}\n`,
  );
}
if (CASES.has('search')) {
  const search = await searchLatency(DELIVERIES);
  process.stdout.write(
    `delivery search over ${DELIVERIES} routed deliveries (seeded in ${search.seedSeconds.toFixed(1)} s), ${REQUESTS} requests ` +
      `over 15 searches: p50 ${ms(search.p50)}, p99 ${ms(search.p99)} (target < 100 ms); p50 per search:\n` +
      search.perSearch.map(([path, p50]) => `  ${ms(p50)}  ${path}\n`).join(''),
  );
}

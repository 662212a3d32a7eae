import { join } from 'node:path';
import test from 'ava';
import Database from 'better-sqlite3';
import type { AuditDraft } from '../src/domain/audit/index.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { incomingFixture, repoRowFixture, wakeFixture } from './support/fixtures.js';
import { temporaryDir } from './support/test-service.js';

// Every statement the embedded store runs on its hot paths finds its rows through an index:
// checked on SQLite's own query plans for the statements actually executed, not on timings.

// Tables that grow with traffic or with the size of organisations.
const LARGE = [
  'deliveries',
  'delivery_routing_facts',
  'delivery_payloads',
  'audit',
  'repo_rows',
  'triggers',
  'wakes',
  'user_installations',
];

// Statements allowed to walk a whole table or index, and why.
const ALLOWED: [RegExp, string][] = [
  [/ORDER BY seq (DESC )?LIMIT \d+(\.0)?$/, 'reads the newest or oldest row and stops (LIMIT without a filter)'],
  [
    /^SELECT CASE WHEN r\.installation_id IS NULL/,
    'counts every base row by coverage: the /metrics gauge, once per scrape',
  ],
  [/FROM installations GROUP BY 1$/, 'counts installations by state: the /metrics gauge'],
];

const T0 = '2026-01-01T00:00:00.000Z';

const draft = (overrides: Partial<AuditDraft>): AuditDraft => ({
  kind: 'sync.decision',
  actor: 'sync',
  source: { type: 'sync', id: 's1' },
  subject: { userId: 'u1', repoId: 7, repoFullName: 'octo-org/api', installationId: 22 },
  decision: 'covered',
  reason: null,
  before: null,
  after: null,
  traceId: 'abc',
  deliveryId: 'd1',
  occurredAt: T0,
  ...overrides,
});

test('the hot paths of the embedded store use an index for every large table', async (t) => {
  const path = join(temporaryDir(t), 'plans.sqlite');
  const executed = new Set<string>();
  const store = openSqliteStore({ path, onStatement: (sql) => executed.add(sql.trim()) });
  t.teardown(() => store.close());

  // The workload: what the worker, routing, sync, the views and the API do.
  for (const id of ['d1', 'd2']) await store.recordDelivery(incomingFixture(id), T0);
  const claimed = await store.claimNextDelivery({ workerId: 'w', now: T0, leaseUntil: '2026-01-01T00:01:00.000Z' });
  await store.getDeliveryPayload(claimed?.id ?? '');
  await store.finishDelivery(claimed?.id ?? '', 'w', {
    state: 'applied',
    reason: null,
    processedAt: T0,
    audit: [draft({})],
    routingOutcome: 'woke',
    wakes: [wakeFixture('d1', 't1')],
  });
  await store.nextRetryAt();
  await store.getDelivery('d1');
  await store.getDeliveriesByIds(['d1', 'd2', 'missing']);
  await store.listDeliveries({ limit: 50, state: 'applied', beforeSeq: 10 });
  await store.listDeliveries({ limit: 5, repoIds: [7] });
  await store.listDeliveries({ limit: 50, routingOutcomes: ['woke_none', 'no_candidates'] });
  // Delivery search (GET /api/deliveries): each filter alone, and a few together.
  for (const query of [
    { deliveryId: 'd1' },
    { repoIds: [7, 8] },
    { installationIds: [22] },
    { event: 'push' },
    { event: 'pull_request', action: 'opened' },
    { triggerId: 't1' },
    { automationId: 'a1', beforeSeq: 10 },
    { reason: 'repo_not_covered' },
    { triggerId: 't1', reason: 'installation_mismatch', problemsOnly: true },
    { problemsOnly: true },
    { problemsOnly: true, routingOutcomes: ['woke_none' as const, 'no_candidates' as const] },
    { receivedSince: T0, receivedUntil: '2026-01-02T00:00:00.000Z' },
    { repoIds: [7], receivedSince: T0, state: 'applied' as const, beforeSeq: 10 },
  ])
    await store.listDeliveries({ limit: 50, ...query });
  await store.listInstallationsByAccountLogin('Octo-Org');
  await store.inboxBacklog();
  await store.listWakes({ limit: 10, afterSeq: 0 });
  await store.linkInstallation('u1', 22, T0, []);
  await store.listLinkedInstallationIds('u1');
  await store.listUsersLinkedTo(22);
  await store.writeRepoRows([repoRowFixture({ installationId: 22 })], []);
  await store.getRepoRow({ userId: 'u1', repoId: 7, rootDirectory: null });
  await store.listRepoRows('u1', { limit: 100 });
  await store.listRepoRows('u1', { limit: 100, after: { repoId: 7, rootDirectory: null } });
  await store.listRepoRowsByRepoId(7);
  await store.listRepoRowsByInstallation(22, { limit: 500 });
  await store.listRepoRowsByInstallation(22, { limit: 500, after: { userId: 'u1', repoId: 7, rootDirectory: null } });
  await store.listRepoRows('u1', { limit: 100, installationId: 22 });
  await store.listRepoRows('u1', { limit: 100, installationId: null, after: { repoId: 7, rootDirectory: null } });
  await store.listRepoRowsOfRepos('u1', [7, 8]);
  await store.listRepoRowInstallationIds('u1');
  await store.countRepoRows('u1', null);
  await store.countRepoRows('u1', 22);
  await store.listRepoRowsByFullName('Octo-Org/API');
  await store.listTriggersByRepoId(7);
  await store.listTriggersByUser('u1');
  await store.listAutomationsByUser('u1');
  await store.countReposByCoverage();
  await store.countInstallationsByState();
  await store.appendAudit([draft({ kind: 'rebind.skipped', reason: 'several_installations' })]);
  for (const query of [
    { deliveryId: 'd1' },
    { deliveryId: 'd1', kind: 'routing.decision' },
    { traceId: 'abc' },
    { userId: 'u1', kind: 'rebind.skipped', order: 'newest' as const },
    { userId: 'u1', order: 'newest' as const, beforeSeq: 100 },
    { installationId: 22, kind: 'sync.installation', order: 'newest' as const },
    { repo: { ids: [7], fullName: 'octo-org/api' }, order: 'newest' as const },
    { kind: 'rebind.skipped', order: 'newest' as const },
    { kind: 'redelivery.requested', since: T0, order: 'newest' as const, beforeSeq: 100 },
    { since: T0, order: 'newest' as const },
  ])
    await store.listAudit({ limit: 10, ...query });
  await store.countAuditByReason('rebind.skipped');

  const explain = new Database(path, { readonly: true });
  t.teardown(() => explain.close());
  const reads = [...executed].filter((sql) => /^(SELECT|UPDATE|DELETE)\b/i.test(sql));
  t.true(reads.length >= 30, `the workload ran ${reads.length} distinct statements`);
  const scans: string[] = [];
  const sorts: string[] = [];
  for (const sql of reads) {
    if (ALLOWED.some(([pattern]) => pattern.test(sql))) continue;
    const plan = (explain.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail);
    for (const step of plan) {
      if (LARGE.some((table) => new RegExp(`^SCAN ${table}\\b`).test(step))) scans.push(`${step}  <=  ${sql}`);
      // A page of repo rows is read in index order: sorting first would read every matching row.
      if (/FROM repo_rows\b.*\bLIMIT\b/s.test(sql) && /TEMP B-TREE/.test(step)) sorts.push(`${step}  <=  ${sql}`);
    }
  }
  t.deepEqual(scans, [], 'no statement scans a large table');
  t.deepEqual(sorts, [], 'no page of repo rows is sorted after it is read');
});

import test from 'ava';
import {
  decideBaseRow,
  decideDetach,
  decideSubProjectRow,
  type ListedRepo,
  type RowDecision,
  type SyncSource,
} from '../src/domain/decide-sync.js';
import type { RepoRow } from '../src/domain/entities.js';
import { repoRowFixture } from './support/fixtures.js';

const NOW = '2026-02-01T00:00:00.000Z';
const listed: ListedRepo = {
  repoId: 7,
  fullName: 'octo-org/api',
  owner: 'octo-org',
  name: 'api',
  defaultBranch: 'main',
  visibility: 'private',
  archived: false,
};
const row = repoRowFixture;
const viaInstallation = (installationId: number): SyncSource => ({ kind: 'installation', installationId });
const viaOauth: SyncSource = { kind: 'oauth' };

const cases: [string, RepoRow | null, ListedRepo, SyncSource, RowDecision, Partial<RepoRow>][] = [
  [
    'installation sync creates a covered row',
    null,
    listed,
    viaInstallation(11),
    'created',
    { installationId: 11, discoveredBy: 'installation' },
  ],
  [
    'OAuth sync creates a visible-only row',
    null,
    listed,
    viaOauth,
    'created',
    { installationId: null, discoveredBy: 'oauth' },
  ],
  [
    'installation sync covers an OAuth row',
    row(),
    listed,
    viaInstallation(11),
    'covered',
    { installationId: 11, discoveredBy: 'oauth' },
  ],
  [
    'installation sync moves a row bound to another installation',
    row({ installationId: 22 }),
    listed,
    viaInstallation(11),
    'covered',
    { installationId: 11 },
  ],
  [
    'installation sync refreshes a renamed repo',
    row({ installationId: 11, fullName: 'octo-org/old', name: 'old' }),
    listed,
    viaInstallation(11),
    'updated',
    { fullName: 'octo-org/api', name: 'api' },
  ],
  [
    'installation sync of an unchanged row',
    row({ installationId: 11 }),
    listed,
    viaInstallation(11),
    'unchanged',
    { installationId: 11 },
  ],
  [
    'OAuth sync keeps a stored installation id',
    row({ installationId: 11 }),
    listed,
    viaOauth,
    'preserved',
    { installationId: 11 },
  ],
  [
    'OAuth sync keeps a stored id and still refreshes metadata',
    row({ installationId: 11, defaultBranch: 'master' }),
    listed,
    viaOauth,
    'preserved',
    { installationId: 11, defaultBranch: 'main' },
  ],
  [
    'OAuth sync refreshes an uncovered row',
    row({ archived: true }),
    listed,
    viaOauth,
    'updated',
    { archived: false, installationId: null },
  ],
  ['OAuth sync of an unchanged uncovered row', row(), listed, viaOauth, 'unchanged', { installationId: null }],
];

for (const [title, existing, repo, source, decision, expected] of cases) {
  test(title, (t) => {
    const plan = decideBaseRow(existing, repo, source, 'u1', NOW);
    t.is(plan.decision, decision);
    t.like(plan.after, { ...expected, lastSeenAt: NOW, rootDirectory: null, userId: 'u1', repoId: 7 });
    t.is(plan.before, existing);
  });
}

test('OAuth sync says which stored installation id it preserved and what it offered', (t) => {
  const plan = decideBaseRow(row({ installationId: 11 }), listed, viaOauth, 'u1', NOW);
  t.deepEqual(plan.preserved, { field: 'installationId', kept: 11, offered: null });
  t.is(decideBaseRow(row(), listed, viaOauth, 'u1', NOW).preserved, undefined);
});

test('a sub-project row takes the repo identity and coverage but keeps its own structure', (t) => {
  const sub = row({
    rootDirectory: 'packages/web',
    fullName: 'octo-org/old',
    name: 'old',
    discoveredBy: 'oauth',
    lastSeenAt: 'then',
  });
  const base = row({ installationId: 11, discoveredBy: 'installation', visibility: 'public', archived: true });
  const plan = decideSubProjectRow(sub, base);
  t.is(plan.decision, 'propagated');
  t.deepEqual(plan.after, {
    ...sub,
    fullName: 'octo-org/api',
    name: 'api',
    installationId: 11,
  });
  t.is(decideSubProjectRow(plan.after, base).decision, 'unchanged');
});

test('a row that carried the synced installation is detached; others are left alone', (t) => {
  t.like(decideDetach(row({ installationId: 11 }), 11, 'removed'), {
    decision: 'detached',
    after: { installationId: null },
    reason: 'removed',
  });
  t.like(decideDetach(row({ installationId: 22 }), 11, 'removed'), {
    decision: 'unchanged',
    after: { installationId: 22 },
  });
  t.like(decideDetach(row(), 11, 'removed'), { decision: 'unchanged', after: { installationId: null } });
});

import test from 'ava';
import { decideMetadataFill, missingMetadata } from '../src/domain/decide-metadata.js';
import { sparseInstallation, type RepoRow } from '../src/domain/entities.js';
import { coverageOf, pageProjects, projectView } from '../src/domain/projects.js';
import { repoRowFixture } from './support/fixtures.js';

const NOW = '2026-03-01T00:00:00.000Z';
const fromGitHub = {
  accountId: 5,
  accountLogin: 'octo-org',
  accountType: 'Organization' as const,
  targetType: 'Organization',
  permissions: { metadata: 'read' },
};

test('metadata refresh fills only what is missing and keeps what is stored', (t) => {
  const stored = { ...sparseInstallation(11, 'then'), accountLogin: 'kept-login' };
  t.deepEqual(missingMetadata(stored), ['accountType', 'targetType', 'permissions']);
  const fill = decideMetadataFill(stored, fromGitHub, NOW);
  t.deepEqual(fill.filled, ['accountType', 'targetType', 'permissions']);
  t.like(fill.after, {
    accountLogin: 'kept-login',
    accountType: 'Organization',
    targetType: 'Organization',
    accountId: 5,
    updatedAt: NOW,
  });
});

test('metadata refresh of a complete installation changes nothing', (t) => {
  const complete = { ...sparseInstallation(11, 'then'), ...fromGitHub };
  t.deepEqual(decideMetadataFill(complete, { ...fromGitHub, accountLogin: 'other' }, NOW), {
    filled: [],
    after: complete,
  });
});

const row = (repoId: number, installationId: number | null, rootDirectory: string | null = null): RepoRow =>
  repoRowFixture({
    repoId,
    rootDirectory,
    fullName: `o/r${repoId}`,
    owner: 'o',
    name: `r${repoId}`,
    installationId,
    discoveredBy: installationId === null ? 'oauth' : 'installation',
  });

test('coverage: none is visible-only, a live installation covers, a deleted or unknown one is gone', (t) => {
  const live = sparseInstallation(11, NOW);
  t.is(coverageOf(row(1, null), null), 'visible_only');
  t.is(coverageOf(row(1, 11), live), 'covered');
  t.is(coverageOf(row(1, 11), { ...live, suspendedAt: NOW }), 'covered');
  t.is(coverageOf(row(1, 11), { ...live, deletedAt: NOW }), 'bound_to_gone');
  t.is(coverageOf(row(1, 11), null), 'bound_to_gone');
});

test('projects page in a stable order: covered, then gone, then visible-only; sub-projects after their base', (t) => {
  const live = sparseInstallation(11, NOW);
  const views = [
    projectView(row(3, null), null),
    projectView(row(2, 11, 'web'), live),
    projectView(row(9, 22), null),
    projectView(row(2, 11), live),
    projectView(row(1, 11), live),
  ];
  const order = (rows: { repoId: number; rootDirectory: string | null }[]) =>
    rows.map((r) => `${r.repoId}${r.rootDirectory ? `:${r.rootDirectory}` : ''}`);
  const all = pageProjects(views, { includeAll: true, installationSyncActive: true, limit: 10, after: null });
  t.deepEqual(order(all.rows), ['1', '2', '2:web', '9', '3']);
  const active = pageProjects(views, { includeAll: false, installationSyncActive: true, limit: 2, after: null });
  t.deepEqual(order(active.rows), ['1', '2']);
  t.is(active.hiddenVisibleOnly, 1);
  const next = pageProjects(views, {
    includeAll: false,
    installationSyncActive: true,
    limit: 2,
    after: active.nextCursor,
  });
  t.deepEqual(order(next.rows), ['2:web', '9']);
  t.is(next.nextCursor, null);
});

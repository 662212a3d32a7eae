import test from 'ava';
import { decideMetadataFill, missingMetadata } from '../src/domain/decide-metadata.js';
import { sparseInstallation, type RepoRow } from '../src/domain/entities.js';
import { coverageOf, projectBuckets } from '../src/domain/projects.js';
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

test('projects are read in stretches: covered, then gone, then visible-only unless they are hidden', (t) => {
  const live = sparseInstallation(11, NOW);
  const installations = new Map([
    [11, live],
    [12, { ...sparseInstallation(12, NOW), suspendedAt: NOW }],
    [21, { ...sparseInstallation(21, NOW), deletedAt: NOW }],
  ]);
  // 22 is carried by a row but unknown to the store: its binding is to a gone installation.
  const bound = [11, 12, 21, 22];
  t.deepEqual(projectBuckets(bound, installations, { includeAll: false, installationSyncActive: true }), {
    buckets: [
      { rank: 0, installationIds: [11, 12] },
      { rank: 1, installationIds: [21, 22] },
    ],
    hideVisibleOnly: true,
  });
  t.deepEqual(projectBuckets(bound, installations, { includeAll: true, installationSyncActive: true }).buckets.at(-1), {
    rank: 2,
    installationIds: [null],
  });
  t.deepEqual(projectBuckets([], installations, { includeAll: false, installationSyncActive: false }), {
    buckets: [{ rank: 2, installationIds: [null] }],
    hideVisibleOnly: false,
  });
  t.deepEqual(
    projectBuckets([11], installations, { includeAll: false, installationSyncActive: true }).buckets.map((b) => b.rank),
    [0],
  );
});

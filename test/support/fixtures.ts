import type { RepoRow } from '../../src/domain/entities.js';

/** A base repo row of user u1 for repo 7 (octo-org/api), uncovered, found by OAuth; override what a test is about. */
export function repoRowFixture(overrides: Partial<RepoRow> = {}): RepoRow {
  return {
    userId: 'u1',
    repoId: 7,
    rootDirectory: null,
    fullName: 'octo-org/api',
    owner: 'octo-org',
    name: 'api',
    defaultBranch: 'main',
    visibility: 'private',
    archived: false,
    installationId: null,
    discoveredBy: 'oauth',
    lastSeenAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

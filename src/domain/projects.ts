import { installationState, type Installation, type InstallationState, type RepoRow } from './entities.js';

// How a repo row reads in the Projects view (R5).

export type Coverage = 'covered' | 'visible_only' | 'bound_to_gone';

/**
 * covered: bound to an installation that still exists; visible_only: found by OAuth sync and
 * never bound; bound_to_gone: bound to an installation that was deleted or is not known.
 */
export function coverageOf(row: Pick<RepoRow, 'installationId'>, installation: Installation | null): Coverage {
  if (row.installationId === null) return 'visible_only';
  if (installation === null || installationState(installation) === 'deleted') return 'bound_to_gone';
  return 'covered';
}

export function projectView(row: RepoRow, installation: Installation | null) {
  return {
    repoId: row.repoId,
    fullName: row.fullName,
    owner: row.owner,
    name: row.name,
    defaultBranch: row.defaultBranch,
    rootDirectory: row.rootDirectory,
    installationId: row.installationId,
    coverage: coverageOf(row, installation),
    installationState: (installation === null
      ? row.installationId === null
        ? null
        : 'unknown'
      : installationState(installation)) as InstallationState | 'unknown' | null,
    visibility: row.visibility,
    archived: row.archived,
    discoveredBy: row.discoveredBy,
    lastSeenAt: row.lastSeenAt,
  };
}

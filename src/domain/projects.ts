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

export type ProjectView = ReturnType<typeof projectView>;

const COVERAGE_RANK: Record<Coverage, number> = { covered: 0, bound_to_gone: 1, visible_only: 2 };

export interface ProjectCursor {
  rank: number;
  repoId: number;
  rootDirectory: string;
}

export const cursorOf = (view: ProjectView): ProjectCursor => ({
  rank: COVERAGE_RANK[view.coverage],
  repoId: view.repoId,
  rootDirectory: view.rootDirectory ?? '',
});

export const compareCursors = (a: ProjectCursor, b: ProjectCursor): number =>
  a.rank - b.rank ||
  a.repoId - b.repoId ||
  (a.rootDirectory < b.rootDirectory ? -1 : a.rootDirectory > b.rootDirectory ? 1 : 0);

/** One stretch of the Projects order: the rows bound to any of these installations (null: to none). */
export interface ProjectBucket {
  rank: number;
  installationIds: (number | null)[];
}

/**
 * The Projects list (R5) as stretches read in order: covered repos lead, then rows bound to a
 * gone installation, then OAuth-only rows; when installation-backed sync is active for the user
 * the OAuth-only rows leave the active list (still reachable with include=all) so that old rows
 * do not crowd it. Within a stretch rows follow their key, so a cursor pages through it and the
 * store reads each page from an index instead of loading the user's rows.
 */
export function projectBuckets(
  boundInstallationIds: readonly number[],
  installations: ReadonlyMap<number, Installation>,
  options: { includeAll: boolean; installationSyncActive: boolean },
): { buckets: ProjectBucket[]; hideVisibleOnly: boolean } {
  const coverage = (id: number) => coverageOf({ installationId: id }, installations.get(id) ?? null);
  const hideVisibleOnly = options.installationSyncActive && !options.includeAll;
  const buckets: ProjectBucket[] = [
    { rank: COVERAGE_RANK.covered, installationIds: boundInstallationIds.filter((id) => coverage(id) === 'covered') },
    {
      rank: COVERAGE_RANK.bound_to_gone,
      installationIds: boundInstallationIds.filter((id) => coverage(id) === 'bound_to_gone'),
    },
  ];
  if (!hideVisibleOnly) buckets.push({ rank: COVERAGE_RANK.visible_only, installationIds: [null] });
  return { buckets: buckets.filter((bucket) => bucket.installationIds.length > 0), hideVisibleOnly };
}

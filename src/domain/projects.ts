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

const cursorOf = (view: ProjectView): ProjectCursor => ({
  rank: COVERAGE_RANK[view.coverage],
  repoId: view.repoId,
  rootDirectory: view.rootDirectory ?? '',
});

const compareCursors = (a: ProjectCursor, b: ProjectCursor): number =>
  a.rank - b.rank ||
  a.repoId - b.repoId ||
  (a.rootDirectory < b.rootDirectory ? -1 : a.rootDirectory > b.rootDirectory ? 1 : 0);

/**
 * The Projects list (R5): covered repos lead; when installation-backed sync is active for the
 * user, OAuth-only rows leave the active list (still reachable with include=all) so that old
 * rows do not crowd it. The order is stable, so a cursor pages through it.
 */
export function pageProjects(
  views: ProjectView[],
  options: { includeAll: boolean; installationSyncActive: boolean; limit: number; after: ProjectCursor | null },
): { rows: ProjectView[]; nextCursor: ProjectCursor | null; hiddenVisibleOnly: number } {
  const hide = options.installationSyncActive && !options.includeAll;
  const listed = views.filter((view) => !(hide && view.coverage === 'visible_only'));
  const ordered = listed
    .map((view) => ({ view, cursor: cursorOf(view) }))
    .sort((x, y) => compareCursors(x.cursor, y.cursor))
    .filter((entry) => options.after === null || compareCursors(entry.cursor, options.after) > 0);
  const page = ordered.slice(0, options.limit);
  const last = page.at(-1);
  return {
    rows: page.map((entry) => entry.view),
    nextCursor: ordered.length > options.limit && last !== undefined ? last.cursor : null,
    hiddenVisibleOnly: views.length - listed.length,
  };
}

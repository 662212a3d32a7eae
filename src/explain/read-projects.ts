import {
  compareCursors,
  cursorOf,
  projectBuckets,
  projectView,
  type ProjectCursor,
  type ProjectView,
} from '../domain/projects.js';
import type { Store } from '../store/store.js';

export interface ProjectsPage {
  rows: ProjectView[];
  nextCursor: ProjectCursor | null;
  /** OAuth-only rows left out of the active list (reachable with include=all). */
  hiddenVisibleOnly: number;
}

/**
 * One page of a user's Projects view (R5), read from the store a page at a time: each stretch of
 * the order is read per installation from an index, after the cursor, so a user with 100k rows
 * costs a page's worth of rows per request, not all of them.
 */
export async function readProjectsPage(
  store: Store,
  userId: string,
  options: { includeAll: boolean; installationSyncActive: boolean; limit: number; after: ProjectCursor | null },
): Promise<ProjectsPage> {
  const { limit, after } = options;
  const boundIds = await store.listRepoRowInstallationIds(userId);
  const installations = new Map((await store.listInstallations(boundIds)).map((i) => [i.id, i]));
  const { buckets, hideVisibleOnly } = projectBuckets(boundIds, installations, options);
  // One row beyond the page says whether another page follows.
  const taken: ProjectView[] = [];
  for (const bucket of buckets) {
    if (taken.length > limit) break;
    if (after !== null && bucket.rank < after.rank) continue;
    const from =
      after !== null && bucket.rank === after.rank
        ? { repoId: after.repoId, rootDirectory: after.rootDirectory === '' ? null : after.rootDirectory }
        : undefined;
    const need = limit + 1 - taken.length;
    const candidates: ProjectView[] = [];
    for (const installationId of bucket.installationIds) {
      const rows = await store.listRepoRows(userId, { limit: need, installationId, ...(from ? { after: from } : {}) });
      const installation = installationId === null ? null : (installations.get(installationId) ?? null);
      candidates.push(...rows.map((row) => projectView(row, installation)));
    }
    candidates.sort((a, b) => compareCursors(cursorOf(a), cursorOf(b)));
    taken.push(...candidates.slice(0, need));
  }
  const rows = taken.slice(0, limit);
  const last = rows.at(-1);
  return {
    rows,
    nextCursor: taken.length > limit && last !== undefined ? cursorOf(last) : null,
    hiddenVisibleOnly: hideVisibleOnly ? await store.countRepoRows(userId, null) : 0,
  };
}

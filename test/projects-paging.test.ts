import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { sparseInstallation, type RepoRow } from '../src/domain/entities.js';
import type { ProjectCursor, ProjectView } from '../src/domain/projects.js';
import { readProjectsPage } from '../src/explain/read-projects.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import type { Store } from '../src/store/store.js';
import { FIXTURE_TIME, repoRowFixture } from './support/fixtures.js';
import { temporaryDir } from './support/test-service.js';

// The Projects view of a user with many rows pages in a stable order and reads about a page's
// worth of rows per request, never every row of the user.

const REPOS = 1500;
const LIMIT = 97;

/** Live 11 and 12, deleted 21, unknown 99 (a binding to a gone installation), and OAuth-only rows. */
function installationOf(repoId: number): number | null {
  if (repoId % 5 === 0) return null;
  if (repoId % 7 === 0) return 21;
  if (repoId % 11 === 0) return 99;
  return repoId % 2 === 0 ? 11 : 12;
}

function seedRows(): RepoRow[] {
  const rows: RepoRow[] = [];
  for (let repoId = 1; repoId <= REPOS; repoId++) {
    const base = repoRowFixture({
      repoId,
      fullName: `big-org/repo-${repoId}`,
      name: `repo-${repoId}`,
      installationId: installationOf(repoId),
    });
    rows.push(base);
    if (repoId % 50 === 0) rows.push({ ...base, rootDirectory: 'web' }, { ...base, rootDirectory: 'api' });
  }
  return rows;
}

const RANK = { covered: 0, bound_to_gone: 1, visible_only: 2 } as const;
const coverageRank = (installationId: number | null) =>
  installationId === null
    ? RANK.visible_only
    : installationId === 11 || installationId === 12
      ? RANK.covered
      : RANK.bound_to_gone;
const keyOf = (row: { repoId: number; rootDirectory: string | null }) => `${row.repoId}:${row.rootDirectory ?? ''}`;

/** The store, counting the rows each listRepoRows call hands back. */
function countingRowReads(store: Store): { store: Store; rowsRead: () => number } {
  let rowsRead = 0;
  return {
    store: {
      ...store,
      async listRepoRows(userId, page) {
        const rows = await store.listRepoRows(userId, page);
        rowsRead += rows.length;
        return rows;
      },
    },
    rowsRead: () => rowsRead,
  };
}

async function seededStore(t: ExecutionContext) {
  const store = openSqliteStore({ path: join(temporaryDir(t), 'projects.sqlite') });
  t.teardown(() => store.close());
  for (const id of [11, 12, 21]) await store.upsertInstallation(sparseInstallation(id, FIXTURE_TIME));
  const deleted = await store.getInstallation(21);
  if (deleted) await store.upsertInstallation({ ...deleted, deletedAt: FIXTURE_TIME });
  const rows = seedRows();
  await store.writeRepoRows(rows, []);
  return { store, rows };
}

async function walk(store: Store, includeAll: boolean, rowsRead: () => number) {
  const seen: ProjectView[] = [];
  let after: ProjectCursor | null = null;
  let pages = 0;
  let mostReadForAPage = 0;
  let hidden = 0;
  do {
    const before = rowsRead();
    const page = await readProjectsPage(store, 'u1', { includeAll, installationSyncActive: true, limit: LIMIT, after });
    mostReadForAPage = Math.max(mostReadForAPage, rowsRead() - before);
    seen.push(...page.rows);
    hidden = page.hiddenVisibleOnly;
    after = page.nextCursor;
    pages += 1;
  } while (after !== null);
  return { seen, pages, mostReadForAPage, hidden };
}

test('a large Projects view pages through every row once, in coverage then key order', async (t) => {
  const { store, rows } = await seededStore(t);
  const counting = countingRowReads(store);
  const { seen, pages, mostReadForAPage } = await walk(counting.store, true, counting.rowsRead);

  const expected = [...rows]
    .sort(
      (a, b) =>
        coverageRank(a.installationId) - coverageRank(b.installationId) ||
        a.repoId - b.repoId ||
        (a.rootDirectory ?? '').localeCompare(b.rootDirectory ?? ''),
    )
    .map(keyOf);
  t.deepEqual(seen.map(keyOf), expected);
  t.is(pages, Math.ceil(rows.length / LIMIT));
  t.deepEqual(
    [...new Set(seen.map((view) => view.coverage))],
    ['covered', 'bound_to_gone', 'visible_only'],
    'stretches follow each other without interleaving',
  );
  // Each page reads at most a page (plus one) per installation a stretch spans: 5 here (11, 12, 21, 99, none).
  t.true(mostReadForAPage <= (LIMIT + 1) * 5, `a page read ${mostReadForAPage} rows`);
  t.true(counting.rowsRead() < rows.length * 3, `the walk read ${counting.rowsRead()} rows for ${rows.length}`);
});

test('with installation-backed sync active, OAuth-only rows are counted but left out of the pages', async (t) => {
  const { store, rows } = await seededStore(t);
  const counting = countingRowReads(store);
  const { seen, hidden } = await walk(counting.store, false, counting.rowsRead);
  const oauthOnly = rows.filter((row) => row.installationId === null);
  t.is(hidden, oauthOnly.length);
  t.is(seen.length, rows.length - oauthOnly.length);
  t.false(seen.some((view) => view.coverage === 'visible_only'));
});

import type Database from 'better-sqlite3';
import type { RepoRow, RepoRowKey } from '../../domain/entities.js';
import { REPO_ROW } from '../codec.js';
import type { RepoRowPage, RepoStore } from '../ports/repo-rows.js';
import type { AppendAuditNow } from './audit.js';
import { oneOf, paramsOf, rowsOf } from './sqlite-codec.js';

// Base rows keep '' in the key column; the domain says null.
const rootColumn = (root: string | null): string => root ?? '';

export function sqliteRepoRows(db: Database.Database, appendAudit: AppendAuditNow): RepoStore {
  const q = {
    upsertRepoRow: db.prepare(`
      INSERT INTO repo_rows (user_id, repo_id, root_directory, full_name, owner, name, default_branch, visibility, archived,
        installation_id, discovered_by, last_seen_at)
      VALUES (@userId, @repoId, @rootDirectory, @fullName, @owner, @name, @defaultBranch, @visibility, @archived,
        @installationId, @discoveredBy, @lastSeenAt)
      ON CONFLICT (user_id, repo_id, root_directory) DO UPDATE SET full_name = excluded.full_name, owner = excluded.owner,
        name = excluded.name, default_branch = excluded.default_branch, visibility = excluded.visibility,
        archived = excluded.archived, installation_id = excluded.installation_id, discovered_by = excluded.discovered_by,
        last_seen_at = excluded.last_seen_at`),
    repoRow: db.prepare('SELECT * FROM repo_rows WHERE user_id = ? AND repo_id = ? AND root_directory = ?'),
    repoRowsFirstPage: db.prepare('SELECT * FROM repo_rows WHERE user_id = ? ORDER BY repo_id, root_directory LIMIT ?'),
    repoRowsAfter: db.prepare(`
      SELECT * FROM repo_rows WHERE user_id = @userId AND (repo_id, root_directory) > (@repoId, @rootDirectory)
      ORDER BY repo_id, root_directory LIMIT @limit`),
    repoRowsBoundFirstPage: db.prepare(`
      SELECT * FROM repo_rows WHERE user_id = @userId AND installation_id IS @installationId
      ORDER BY repo_id, root_directory LIMIT @limit`),
    repoRowsBoundAfter: db.prepare(`
      SELECT * FROM repo_rows WHERE user_id = @userId AND installation_id IS @installationId
        AND (repo_id, root_directory) > (@repoId, @rootDirectory)
      ORDER BY repo_id, root_directory LIMIT @limit`),
    repoRowsOfRepos: db.prepare(`
      SELECT * FROM repo_rows WHERE user_id = ? AND repo_id IN (SELECT value FROM json_each(?))
      ORDER BY repo_id, root_directory`),
    // Skips from one installation id to the next through the index: a few lookups, not a scan.
    nextRowInstallationId: db.prepare(
      'SELECT min(installation_id) AS id FROM repo_rows WHERE user_id = ? AND installation_id > ?',
    ),
    countBoundRows: db.prepare('SELECT count(*) AS n FROM repo_rows WHERE user_id = ? AND installation_id IS ?'),
    repoRowsByRepo: db.prepare('SELECT * FROM repo_rows WHERE repo_id = ? ORDER BY user_id, root_directory'),
    repoRowsByInstallationFirst: db.prepare(
      'SELECT * FROM repo_rows WHERE installation_id = ? ORDER BY user_id, repo_id, root_directory LIMIT ?',
    ),
    repoRowsByInstallationAfter: db.prepare(`
      SELECT * FROM repo_rows WHERE installation_id = @installationId
        AND (user_id, repo_id, root_directory) > (@userId, @repoId, @rootDirectory)
      ORDER BY user_id, repo_id, root_directory LIMIT @limit`),
    repoRowsByFullName: db.prepare(
      'SELECT * FROM repo_rows WHERE full_name = ? COLLATE NOCASE ORDER BY user_id, repo_id, root_directory',
    ),
    deleteRepoRow: db.prepare('DELETE FROM repo_rows WHERE user_id = ? AND repo_id = ? AND root_directory = ?'),
    deleteRepoRowsByRepo: db.prepare('DELETE FROM repo_rows WHERE repo_id = ?'),
    // The same rule as coverageOf (domain/projects.ts), counted where the rows are.
    reposByCoverage: db.prepare(`
      SELECT CASE WHEN r.installation_id IS NULL THEN 'visible_only'
                  WHEN i.id IS NULL OR i.deleted_at IS NOT NULL THEN 'bound_to_gone'
                  ELSE 'covered' END AS coverage, count(*) AS n
      FROM repo_rows r LEFT JOIN installations i ON i.id = r.installation_id
      WHERE r.root_directory = '' GROUP BY 1`),
  };

  const writeRepoRowsNow = db.transaction((rows: readonly RepoRow[], audit: Parameters<AppendAuditNow>[0]) => {
    for (const row of rows) q.upsertRepoRow.run(paramsOf(REPO_ROW, row));
    if (audit.length > 0) appendAudit(audit);
  });
  const keyParams = (key: RepoRowKey) => [key.userId, key.repoId, rootColumn(key.rootDirectory)] as const;
  const after = (key: Pick<RepoRowKey, 'repoId' | 'rootDirectory'>) => ({
    repoId: key.repoId,
    rootDirectory: rootColumn(key.rootDirectory),
  });

  return {
    async writeRepoRows(rows, audit) {
      writeRepoRowsNow.immediate(rows, audit);
    },
    async getRepoRow(key) {
      return oneOf(REPO_ROW, q.repoRow.get(...keyParams(key)));
    },
    async listRepoRows(userId, page: RepoRowPage) {
      if (page.installationId !== undefined) {
        const bound = { userId, installationId: page.installationId, limit: page.limit };
        const rows = page.after
          ? q.repoRowsBoundAfter.all({ ...bound, ...after(page.after) })
          : q.repoRowsBoundFirstPage.all(bound);
        return rowsOf(REPO_ROW, rows);
      }
      const rows = page.after
        ? q.repoRowsAfter.all({ userId, ...after(page.after), limit: page.limit })
        : q.repoRowsFirstPage.all(userId, page.limit);
      return rowsOf(REPO_ROW, rows);
    },
    async listRepoRowsByRepoId(repoId) {
      return rowsOf(REPO_ROW, q.repoRowsByRepo.all(repoId));
    },
    async listRepoRowsByFullName(fullName) {
      return rowsOf(REPO_ROW, q.repoRowsByFullName.all(fullName));
    },
    async listRepoRowsOfRepos(userId, repoIds) {
      return rowsOf(REPO_ROW, q.repoRowsOfRepos.all(userId, JSON.stringify(repoIds)));
    },
    async listRepoRowInstallationIds(userId) {
      const ids: number[] = [];
      for (;;) {
        const next = (q.nextRowInstallationId.get(userId, ids.at(-1) ?? -1) as { id: number | null }).id;
        if (next === null) return ids;
        ids.push(Number(next));
      }
    },
    async countRepoRows(userId, installationId) {
      return Number((q.countBoundRows.get(userId, installationId) as { n: number }).n);
    },
    async listRepoRowsByInstallation(installationId, page) {
      const rows = page.after
        ? q.repoRowsByInstallationAfter.all({
            installationId,
            userId: page.after.userId,
            ...after(page.after),
            limit: page.limit,
          })
        : q.repoRowsByInstallationFirst.all(installationId, page.limit);
      return rowsOf(REPO_ROW, rows);
    },
    async countReposByCoverage() {
      const counts = { covered: 0, visible_only: 0, bound_to_gone: 0 };
      for (const row of q.reposByCoverage.all() as { coverage: keyof typeof counts; n: number }[])
        counts[row.coverage] = Number(row.n);
      return counts;
    },
    async deleteRepoRow(key) {
      return q.deleteRepoRow.run(...keyParams(key)).changes > 0;
    },
    async deleteRepoRowsByRepoId(repoId) {
      return q.deleteRepoRowsByRepo.run(repoId).changes;
    },
  };
}

import type Database from 'better-sqlite3';
import { INSTALLATION } from '../codec.js';
import type { InstallationStore } from '../ports/installations.js';
import { oneOf, paramsOf, rowsOf } from './sqlite-codec.js';

export function sqliteInstallations(db: Database.Database): InstallationStore {
  const q = {
    upsertInstallation: db.prepare(`
      INSERT INTO installations (id, account_id, account_login, account_type, target_type, permissions, repository_selection,
        events, suspended_at, suspended_by, deleted_at, updated_at)
      VALUES (@id, @accountId, @accountLogin, @accountType, @targetType, @permissions, @repositorySelection,
        @events, @suspendedAt, @suspendedBy, @deletedAt, @updatedAt)
      ON CONFLICT (id) DO UPDATE SET account_id = excluded.account_id, account_login = excluded.account_login,
        account_type = excluded.account_type, target_type = excluded.target_type, permissions = excluded.permissions,
        repository_selection = excluded.repository_selection, events = excluded.events, suspended_at = excluded.suspended_at,
        suspended_by = excluded.suspended_by, deleted_at = excluded.deleted_at, updated_at = excluded.updated_at`),
    installationById: db.prepare('SELECT * FROM installations WHERE id = ?'),
    installationsByLogin: db.prepare('SELECT * FROM installations WHERE account_login = ? COLLATE NOCASE ORDER BY id'),
    installationPage: db.prepare('SELECT * FROM installations WHERE id > ? ORDER BY id LIMIT ?'),
    installationsByState: db.prepare(`
      SELECT CASE WHEN deleted_at IS NOT NULL THEN 'deleted' WHEN suspended_at IS NOT NULL THEN 'suspended'
                  ELSE 'active' END AS state, count(*) AS n
      FROM installations GROUP BY 1`),
  };
  return {
    async upsertInstallation(installation) {
      q.upsertInstallation.run(paramsOf(INSTALLATION, installation));
    },
    async listInstallationsByAccountLogin(login) {
      return rowsOf(INSTALLATION, q.installationsByLogin.all(login));
    },
    async countInstallationsByState() {
      const counts = { active: 0, suspended: 0, deleted: 0 };
      for (const row of q.installationsByState.all() as { state: keyof typeof counts; n: number }[])
        counts[row.state] = Number(row.n);
      return counts;
    },
    async getInstallation(id) {
      return oneOf(INSTALLATION, q.installationById.get(id));
    },
    async listInstallations(ids) {
      if (ids.length === 0) return [];
      const sql = `SELECT * FROM installations WHERE id IN (${ids.map(() => '?').join(',')}) ORDER BY id`;
      return rowsOf(INSTALLATION, db.prepare(sql).all(...ids));
    },
    async listInstallationPage(page) {
      return rowsOf(INSTALLATION, q.installationPage.all(page.afterId ?? -1, page.limit));
    },
  };
}

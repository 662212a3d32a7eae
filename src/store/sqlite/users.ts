import type Database from 'better-sqlite3';
import { USER } from '../codec.js';
import type { UserStore } from '../ports/users.js';
import { auditedWrite, type AppendAuditNow } from './audit.js';
import { oneOf, paramsOf, rowsOf, type Row } from './sqlite-codec.js';

/** Users and their installation links; each write commits with its audit records in one transaction. */
export function sqliteUsers(db: Database.Database, appendAudit: AppendAuditNow): UserStore {
  const q = {
    upsertUser: db.prepare(`
      INSERT INTO users (id, github_user_id, github_login, created_at, updated_at)
      VALUES (@id, @githubUserId, @githubLogin, @createdAt, @updatedAt)
      ON CONFLICT (id) DO UPDATE SET github_user_id = excluded.github_user_id, github_login = excluded.github_login,
        updated_at = excluded.updated_at`),
    userById: db.prepare('SELECT * FROM users WHERE id = ?'),
    usersAfter: db.prepare('SELECT * FROM users WHERE id > ? ORDER BY id LIMIT ?'),
    link: db.prepare(
      'INSERT INTO user_installations (user_id, installation_id, linked_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
    ),
    unlink: db.prepare('DELETE FROM user_installations WHERE user_id = ? AND installation_id = ?'),
    linkedInstallations: db.prepare(
      'SELECT installation_id FROM user_installations WHERE user_id = ? ORDER BY installation_id',
    ),
    linkedUsers: db.prepare('SELECT user_id FROM user_installations WHERE installation_id = ? ORDER BY user_id'),
  };
  const audited = <A extends unknown[]>(write: (...args: A) => boolean) => auditedWrite(db, appendAudit, write);
  const upsertNow = audited(
    (user: Parameters<UserStore['upsertUser']>[0]) => q.upsertUser.run(paramsOf(USER, user)).changes > 0,
  );
  const linkNow = audited(
    (userId: string, installationId: number, linkedAt: string) =>
      q.link.run(userId, installationId, linkedAt).changes > 0,
  );
  const unlinkNow = audited(
    (userId: string, installationId: number) => q.unlink.run(userId, installationId).changes > 0,
  );
  return {
    async upsertUser(user, audit) {
      upsertNow.immediate(audit, user);
    },
    async getUser(id) {
      return oneOf(USER, q.userById.get(id));
    },
    async listUsers(page) {
      return rowsOf(USER, q.usersAfter.all(page.afterId ?? '', page.limit));
    },
    async linkInstallation(userId, installationId, linkedAt, audit) {
      return linkNow.immediate(audit, userId, installationId, linkedAt);
    },
    async unlinkInstallation(userId, installationId, audit) {
      return unlinkNow.immediate(audit, userId, installationId);
    },
    async listLinkedInstallationIds(userId) {
      return (q.linkedInstallations.all(userId) as Row[]).map((r) => Number(r.installation_id));
    },
    async listUsersLinkedTo(installationId) {
      return (q.linkedUsers.all(installationId) as Row[]).map((r) => r.user_id as string);
    },
  };
}

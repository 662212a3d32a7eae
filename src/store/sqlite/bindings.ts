import type Database from 'better-sqlite3';
import { AUTOMATION, TRIGGER } from '../codec.js';
import type { BindingStore, TriggerFilter } from '../ports/bindings.js';
import type { IdPage } from '../ports/users.js';
import { auditedWrite, type AppendAuditNow } from './audit.js';
import { oneOf, paramsOf, rowsOf } from './sqlite-codec.js';

/** Automations and triggers; each write commits with its audit records in one transaction. */
export function sqliteBindings(db: Database.Database, appendAudit: AppendAuditNow): BindingStore {
  const q = {
    putAutomation: db.prepare(`
      INSERT INTO automations (id, user_id, installation_id, name, enabled, updated_at)
      VALUES (@id, @userId, @installationId, @name, @enabled, @updatedAt)
      ON CONFLICT (id) DO UPDATE SET user_id = excluded.user_id, installation_id = excluded.installation_id,
        name = excluded.name, enabled = excluded.enabled, updated_at = excluded.updated_at`),
    automationById: db.prepare('SELECT * FROM automations WHERE id = ?'),
    deleteAutomation: db.prepare('DELETE FROM automations WHERE id = ?'),
    automationsByUser: db.prepare('SELECT * FROM automations WHERE user_id = ? ORDER BY id'),
    putTrigger: db.prepare(`
      INSERT INTO triggers (id, user_id, automation_id, installation_id, repo_id, repo_full_name, root_directory, events,
        enabled, updated_at)
      VALUES (@id, @userId, @automationId, @installationId, @repoId, @repoFullName, @rootDirectory, @events, @enabled,
        @updatedAt)
      ON CONFLICT (id) DO UPDATE SET user_id = excluded.user_id, automation_id = excluded.automation_id,
        installation_id = excluded.installation_id, repo_id = excluded.repo_id, repo_full_name = excluded.repo_full_name,
        root_directory = excluded.root_directory, events = excluded.events, enabled = excluded.enabled,
        updated_at = excluded.updated_at`),
    triggerById: db.prepare('SELECT * FROM triggers WHERE id = ?'),
    deleteTrigger: db.prepare('DELETE FROM triggers WHERE id = ?'),
    triggersByUser: db.prepare('SELECT * FROM triggers WHERE user_id = ? ORDER BY id'),
    triggersByRepo: db.prepare('SELECT * FROM triggers WHERE repo_id = ? ORDER BY id'),
  };
  // One statement per combination of filters, each finding its rows through an index.
  const lists = new Map<string, Database.Statement>();
  const listOf = (table: 'automations' | 'triggers', conditions: readonly [string, unknown][], page: IdPage) => {
    const where = [...conditions.map(([sql]) => sql), 'id > ?'].join(' AND ');
    const sql = `SELECT * FROM ${table} WHERE ${where} ORDER BY id LIMIT ?`;
    let statement = lists.get(sql);
    if (statement === undefined) lists.set(sql, (statement = db.prepare(sql)));
    return statement.all(...conditions.map(([, value]) => value), page.afterId ?? '', page.limit);
  };
  const triggerConditions = (filter: TriggerFilter): [string, unknown][] => [
    ...(filter.userId !== undefined ? [['user_id = ?', filter.userId] as [string, unknown]] : []),
    ...(filter.automationId !== undefined ? [['automation_id = ?', filter.automationId] as [string, unknown]] : []),
    ...(filter.repoIds !== undefined
      ? [['repo_id IN (SELECT value FROM json_each(?))', JSON.stringify(filter.repoIds)] as [string, unknown]]
      : []),
  ];
  const changed = (statement: Database.Statement) => (params: unknown) => statement.run(params).changes > 0;
  const putAutomationNow = auditedWrite(db, appendAudit, changed(q.putAutomation));
  const deleteAutomationNow = auditedWrite(db, appendAudit, changed(q.deleteAutomation));
  const putTriggerNow = auditedWrite(db, appendAudit, changed(q.putTrigger));
  const deleteTriggerNow = auditedWrite(db, appendAudit, changed(q.deleteTrigger));
  return {
    async putAutomation(automation, audit) {
      putAutomationNow.immediate(audit, paramsOf(AUTOMATION, automation));
    },
    async getAutomation(id) {
      return oneOf(AUTOMATION, q.automationById.get(id));
    },
    async deleteAutomation(id, audit) {
      return deleteAutomationNow.immediate(audit, id);
    },
    async listAutomationsByUser(userId) {
      return rowsOf(AUTOMATION, q.automationsByUser.all(userId));
    },
    async listAutomations(filter, page) {
      const conditions: [string, unknown][] = filter.userId !== undefined ? [['user_id = ?', filter.userId]] : [];
      return rowsOf(AUTOMATION, listOf('automations', conditions, page));
    },
    async putTrigger(trigger, audit) {
      putTriggerNow.immediate(audit, paramsOf(TRIGGER, trigger));
    },
    async getTrigger(id) {
      return oneOf(TRIGGER, q.triggerById.get(id));
    },
    async deleteTrigger(id, audit) {
      return deleteTriggerNow.immediate(audit, id);
    },
    async listTriggersByUser(userId) {
      return rowsOf(TRIGGER, q.triggersByUser.all(userId));
    },
    async listTriggersByRepoId(repoId) {
      return rowsOf(TRIGGER, q.triggersByRepo.all(repoId));
    },
    async listTriggers(filter, page) {
      return rowsOf(TRIGGER, listOf('triggers', triggerConditions(filter), page));
    },
  };
}

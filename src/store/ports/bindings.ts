import type { AuditDraft } from '../../domain/audit/index.js';
import type { Automation, Trigger } from '../../domain/entities.js';

// Automations and triggers: the installation-scoped bindings that routing and rebinding act on.
// Each write carries its audit records, written together with it (as in UserStore); a delete
// writes them only when something was deleted.

export interface BindingStore {
  putAutomation(automation: Automation, audit: readonly AuditDraft[]): Promise<void>;
  getAutomation(id: string): Promise<Automation | null>;
  deleteAutomation(id: string, audit: readonly AuditDraft[]): Promise<boolean>;
  listAutomationsByUser(userId: string): Promise<Automation[]>;
  putTrigger(trigger: Trigger, audit: readonly AuditDraft[]): Promise<void>;
  getTrigger(id: string): Promise<Trigger | null>;
  deleteTrigger(id: string, audit: readonly AuditDraft[]): Promise<boolean>;
  listTriggersByUser(userId: string): Promise<Trigger[]>;
  listTriggersByRepoId(repoId: number): Promise<Trigger[]>;
}

import type { AuditDraft } from '../../domain/audit/index.js';
import type { Automation, Trigger } from '../../domain/entities.js';
import type { IdPage } from './users.js';

// Automations and triggers: the installation-scoped bindings that routing and rebinding act on.
// Each write carries its audit records, written together with it (as in UserStore); a delete
// writes them only when something was deleted.

/** Filters of the trigger list; they combine with AND, and an empty repoIds matches nothing. */
export interface TriggerFilter {
  userId?: string;
  repoIds?: readonly number[];
  automationId?: string;
}

export interface BindingStore {
  putAutomation(automation: Automation, audit: readonly AuditDraft[]): Promise<void>;
  getAutomation(id: string): Promise<Automation | null>;
  deleteAutomation(id: string, audit: readonly AuditDraft[]): Promise<boolean>;
  listAutomationsByUser(userId: string): Promise<Automation[]>;
  /** Automations in id order, of one user when given. */
  listAutomations(filter: { userId?: string }, page: IdPage): Promise<Automation[]>;
  putTrigger(trigger: Trigger, audit: readonly AuditDraft[]): Promise<void>;
  getTrigger(id: string): Promise<Trigger | null>;
  deleteTrigger(id: string, audit: readonly AuditDraft[]): Promise<boolean>;
  listTriggersByUser(userId: string): Promise<Trigger[]>;
  listTriggersByRepoId(repoId: number): Promise<Trigger[]>;
  /** Triggers in id order. */
  listTriggers(filter: TriggerFilter, page: IdPage): Promise<Trigger[]>;
}

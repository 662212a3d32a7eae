import type { AuditDraft } from '../../domain/audit/index.js';
import type { User } from '../../domain/entities.js';

// Platform users and the installations linked to them. A write made for an API call carries
// the audit records of that change and the store writes both together (one transaction on
// SQLite, the copy-out protocol on MongoDB: docs/mongodb.md), so neither is kept without the other.

/** A page of a list in id order: the entities after `afterId`, at most `limit` of them. */
export interface IdPage {
  afterId?: string;
  limit: number;
}

export interface UserStore {
  upsertUser(user: User, audit: readonly AuditDraft[]): Promise<void>;
  getUser(id: string): Promise<User | null>;
  /** Users in id order. */
  listUsers(page: IdPage): Promise<User[]>;
  /** Returns false when the link already existed; the audit is written only with a new link. */
  linkInstallation(
    userId: string,
    installationId: number,
    linkedAt: string,
    audit: readonly AuditDraft[],
  ): Promise<boolean>;
  /** Returns false when there was no such link; the audit is written only when a link was removed. */
  unlinkInstallation(userId: string, installationId: number, audit: readonly AuditDraft[]): Promise<boolean>;
  listLinkedInstallationIds(userId: string): Promise<number[]>;
  listUsersLinkedTo(installationId: number): Promise<string[]>;
}

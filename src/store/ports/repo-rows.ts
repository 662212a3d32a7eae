import type { AuditDraft } from '../../domain/audit/index.js';
import type { Coverage } from '../../domain/projects.js';
import type { RepoRow, RepoRowKey } from '../../domain/entities.js';

export interface RepoRowPage {
  limit: number;
  /** Rows after this key in (repoId, rootDirectory) order; a base row sorts before its sub-projects. */
  after?: Pick<RepoRowKey, 'repoId' | 'rootDirectory'>;
  /** Only the rows bound to this installation, or with null only those bound to none. */
  installationId?: number | null;
}

export interface InstallationRowPage {
  limit: number;
  /** Rows after this key in (userId, repoId, rootDirectory) order. */
  after?: RepoRowKey;
}

export interface RepoStore {
  /**
   * Writes rows and the audit records of their decisions together (one transaction where the
   * store has them): a sync writes one batch per page instead of one commit per row.
   */
  writeRepoRows(rows: readonly RepoRow[], audit: readonly AuditDraft[]): Promise<void>;
  getRepoRow(key: RepoRowKey): Promise<RepoRow | null>;
  listRepoRows(userId: string, page: RepoRowPage): Promise<RepoRow[]>;
  /** The base and sub-project rows one user has for any of these repos, in key order. */
  listRepoRowsOfRepos(userId: string, repoIds: readonly number[]): Promise<RepoRow[]>;
  /** Each installation id the user's rows carry, once, ascending (read from the index, not the rows). */
  listRepoRowInstallationIds(userId: string): Promise<number[]>;
  /** How many rows of the user are bound to this installation (null: bound to none). */
  countRepoRows(userId: string, installationId: number | null): Promise<number>;
  listRepoRowsByRepoId(repoId: number): Promise<RepoRow[]>;
  /** Every row (any user) whose full name is this one, compared without case as GitHub does. */
  listRepoRowsByFullName(fullName: string): Promise<RepoRow[]>;
  /** Every row (any user, base or sub-project) that carries this installation id, a page at a time. */
  listRepoRowsByInstallation(installationId: number, page: InstallationRowPage): Promise<RepoRow[]>;
  deleteRepoRow(key: RepoRowKey): Promise<boolean>;
  /** Base rows of every user by coverage (R5): covered, visible only, bound to a gone installation. */
  countReposByCoverage(): Promise<Record<Coverage, number>>;
  /** Removes the base and every sub-project row of a repo, for every user; returns how many. */
  deleteRepoRowsByRepoId(repoId: number): Promise<number>;
}

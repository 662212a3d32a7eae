import type { RepoRow, Visibility } from './entities.js';

// What a sync does to one repo row. Rules from the product document
// (../shared/spec/repo-sync-and-rebinding.md, "What Mogplex updates and what it preserves").

/** A repository as GitHub lists it, mapped from the API's shape at the edge. */
export interface ListedRepo {
  repoId: number;
  fullName: string;
  owner: string;
  name: string;
  defaultBranch: string | null;
  visibility: Visibility | null;
  archived: boolean;
}

export type SyncSource = { kind: 'installation'; installationId: number } | { kind: 'oauth' };

export type RowDecision = 'created' | 'updated' | 'covered' | 'detached' | 'preserved' | 'unchanged' | 'propagated';

export interface RowPlan {
  decision: RowDecision;
  before: RepoRow | null;
  /** The row to write; equal to `before` when the decision is unchanged. */
  after: RepoRow;
  /** Set when a stored installation id was kept against what the sync offered (R2). */
  preserved?: { field: 'installationId'; kept: number; offered: number | null };
  /** Why the row changed, when the decision alone does not say (which event took coverage away). */
  reason?: string;
}

const IDENTITY_FIELDS = ['fullName', 'owner', 'name', 'defaultBranch'] as const;
const METADATA_FIELDS = [...IDENTITY_FIELDS, 'visibility', 'archived'] as const;

function differs(row: RepoRow, listed: ListedRepo, fields: readonly (keyof ListedRepo & keyof RepoRow)[]): boolean {
  return fields.some((field) => row[field] !== listed[field]);
}

/**
 * One base row against one listed repo.
 * - Installation-backed sync records its installation id: that is what makes a repo covered (R1).
 * - OAuth-only sync refreshes metadata but never sets, changes or clears a stored installation
 *   id: "an OAuth import is not allowed to silently clobber App-backed routing state" (R2).
 */
export function decideBaseRow(
  existing: RepoRow | null,
  listed: ListedRepo,
  source: SyncSource,
  userId: string,
  now: string,
): RowPlan {
  const metadata = {
    fullName: listed.fullName,
    owner: listed.owner,
    name: listed.name,
    defaultBranch: listed.defaultBranch,
    visibility: listed.visibility,
    archived: listed.archived,
  };
  if (existing === null) {
    return {
      decision: 'created',
      before: null,
      after: {
        userId,
        repoId: listed.repoId,
        rootDirectory: null,
        ...metadata,
        installationId: source.kind === 'installation' ? source.installationId : null,
        discoveredBy: source.kind,
        lastSeenAt: now,
      },
    };
  }
  const refreshed: RepoRow = { ...existing, ...metadata, lastSeenAt: now };
  if (source.kind === 'oauth') {
    if (existing.installationId !== null) {
      return {
        decision: 'preserved',
        before: existing,
        after: refreshed,
        preserved: { field: 'installationId', kept: existing.installationId, offered: null },
      };
    }
    return {
      decision: differs(existing, listed, METADATA_FIELDS) ? 'updated' : 'unchanged',
      before: existing,
      after: refreshed,
    };
  }
  if (existing.installationId !== source.installationId) {
    return { decision: 'covered', before: existing, after: { ...refreshed, installationId: source.installationId } };
  }
  return {
    decision: differs(existing, listed, METADATA_FIELDS) ? 'updated' : 'unchanged',
    before: existing,
    after: refreshed,
  };
}

/**
 * A sub-project row (monorepo, with a root directory) is never rewritten as a base row, but the
 * repo's identity propagates to it (R3), and it follows its base row's coverage: it lives in the
 * same GitHub repository, so it is covered exactly when that repository is.
 */
export function decideSubProjectRow(existing: RepoRow, base: RepoRow): RowPlan {
  const after: RepoRow = {
    ...existing,
    fullName: base.fullName,
    owner: base.owner,
    name: base.name,
    defaultBranch: base.defaultBranch,
    installationId: base.installationId,
  };
  const changed =
    IDENTITY_FIELDS.some((field) => existing[field] !== after[field]) ||
    existing.installationId !== after.installationId;
  return { decision: changed ? 'propagated' : 'unchanged', before: existing, after };
}

/**
 * A row that carried an installation's id loses it when that installation no longer covers the
 * repo for the row's user (R1, R7); `reason` says what took the coverage away, for the audit
 * trail and for routing's explanation of a repo that is not covered.
 */
export function decideDetach(existing: RepoRow, installationId: number, reason: string): RowPlan {
  if (existing.installationId !== installationId) return { decision: 'unchanged', before: existing, after: existing };
  return { decision: 'detached', before: existing, after: { ...existing, installationId: null }, reason };
}

/**
 * A repository event's identity and metadata reach every row of that repo, whoever's it is,
 * but never its installation id: coverage comes from installation-backed sync (R1, R7).
 */
export function decideRepoRefresh(existing: RepoRow, listed: ListedRepo): RowPlan {
  const identity = {
    fullName: listed.fullName,
    owner: listed.owner,
    name: listed.name,
    defaultBranch: listed.defaultBranch ?? existing.defaultBranch,
  };
  const after: RepoRow =
    existing.rootDirectory === null
      ? { ...existing, ...identity, visibility: listed.visibility, archived: listed.archived }
      : { ...existing, ...identity };
  const changed = (Object.keys(after) as (keyof RepoRow)[]).some((key) => after[key] !== existing[key]);
  return {
    decision: changed ? (existing.rootDirectory === null ? 'updated' : 'propagated') : 'unchanged',
    before: existing,
    after,
  };
}

// The routing model the reconciler keeps true. Field names follow REQUIREMENTS.md ("Entities").

export type InstallationState = 'active' | 'suspended' | 'deleted';
export type AccountType = 'User' | 'Organization' | 'Enterprise';

export interface Installation {
  id: number;
  accountId: number | null;
  // An Enterprise account has a slug instead of a login (GITHUB-FACTS.md, Installations).
  accountLogin: string | null;
  accountType: AccountType | null;
  targetType: string | null;
  permissions: Record<string, string> | null;
  repositorySelection: 'all' | 'selected' | null;
  events: string[];
  suspendedAt: string | null;
  suspendedBy: string | null;
  deletedAt: string | null;
  updatedAt: string;
}

export function installationState(installation: Pick<Installation, 'suspendedAt' | 'deletedAt'>): InstallationState {
  if (installation.deletedAt !== null) return 'deleted';
  if (installation.suspendedAt !== null) return 'suspended';
  return 'active';
}

/** An installation known only by its id: its metadata is filled in from GitHub later (R6). */
export function sparseInstallation(id: number, now: string): Installation {
  return {
    id,
    accountId: null,
    accountLogin: null,
    accountType: null,
    targetType: null,
    permissions: null,
    repositorySelection: null,
    events: [],
    suspendedAt: null,
    suspendedBy: null,
    deletedAt: null,
    updatedAt: now,
  };
}

export interface User {
  id: string;
  githubUserId: number;
  githubLogin: string;
  createdAt: string;
  updatedAt: string;
}

export type DiscoveredBy = 'oauth' | 'installation' | 'webhook';
export type Visibility = 'public' | 'private' | 'internal';

/** A repo row's identity: a base row has no root directory, a sub-project row has one. */
export interface RepoRowKey {
  userId: string;
  repoId: number;
  rootDirectory: string | null;
}

export interface RepoRow extends RepoRowKey {
  fullName: string;
  owner: string;
  name: string;
  defaultBranch: string | null;
  visibility: Visibility | null;
  archived: boolean;
  installationId: number | null;
  discoveredBy: DiscoveredBy;
  lastSeenAt: string;
}

export interface Automation {
  id: string;
  userId: string;
  installationId: number;
  name: string;
  enabled: boolean;
  updatedAt: string;
}

export interface Trigger {
  id: string;
  userId: string;
  automationId: string | null;
  installationId: number;
  repoId: number;
  repoFullName: string | null;
  rootDirectory: string | null;
  /** `event` matches every action of the event, `event.action` one action. */
  events: string[];
  enabled: boolean;
  updatedAt: string;
}

/**
 * A trigger woken by a delivery: an outbox row for the platform's runner to consume. Running
 * the automation is the runner's job, not the reconciler's (docs/routing.md, "Wakes").
 */
export interface Wake {
  /** `<deliveryId>:<triggerId>`: one delivery wakes a trigger at most once. */
  id: string;
  deliveryId: string;
  triggerId: string;
  automationId: string | null;
  userId: string;
  repoId: number;
  /** As the payload named the repo when it woke (null for wakes written before it was kept). */
  repoFullName: string | null;
  installationId: number;
  event: string;
  action: string | null;
  /** For a push: what was pushed; null for other events. */
  push: PushFacts | null;
  /** For a pull_request event: the pull request's number and both ends; null for other events. */
  pullRequest: PullRequestFacts | null;
  /** The delivery a replay re-tested: its wakes are a re-test, not new work (null for a webhook). */
  replayOf: string | null;
  createdAt: string;
}

/** Null where the payload did not say (a claimed payload is not trusted to have every field). */
export interface PushFacts {
  ref: string | null;
  before: string | null;
  after: string | null;
  headCommit: { id: string; timestamp: string | null; url: string | null } | null;
}

export interface PullRequestFacts {
  number: number | null;
  headSha: string | null;
  headRef: string | null;
  baseSha: string | null;
  baseRef: string | null;
}

export interface StoredWake extends Wake {
  /** Position in the outbox: a runner keeps the last one it consumed as its cursor. */
  seq: number;
}

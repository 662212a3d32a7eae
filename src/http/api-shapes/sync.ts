// A user's sync: what it decided, and its progress while it runs.

/** `POST /api/users/:userId/sync`. */
export interface SyncRequest {
  oauthToken?: string;
}

export type RowDecision = 'created' | 'updated' | 'covered' | 'detached' | 'preserved' | 'unchanged' | 'propagated';
export type DecisionCounts = Record<RowDecision, number>;

export type RebindOutcomeJson =
  | { userId: string; outcome: 'rebound'; to: number; entities: { type: string; id: string; from: number }[] }
  | { userId: string; outcome: 'skipped'; reason: string; installationIds: number[] };

export interface InstallationSyncJson {
  kind: 'installation';
  installationId: number;
  status: 'completed' | 'suspended' | 'deleted' | 'failed';
  message: string | null;
  retryable: boolean;
  retryAfterMs: number | null;
  pages: number;
  reposListed: number;
  counts: DecisionCounts;
  /** The decisions of `counts` that were about sub-project rows (the rest are about repos). */
  subProjectCounts: DecisionCounts;
  rebind: RebindOutcomeJson[];
}

export interface OAuthSyncJson {
  kind: 'oauth';
  userId: string;
  status: 'completed' | 'failed';
  message: string | null;
  pages: number;
  reposListed: number;
  counts: DecisionCounts;
  /** The decisions of `counts` that were about sub-project rows (the rest are about repos). */
  subProjectCounts: DecisionCounts;
}

/** What a sync decided (the answer of a synchronous `POST /api/users/:userId/sync`). */
export interface UserSyncJson {
  syncId: string;
  userId: string;
  traceId: string | null;
  installationSync: { available: boolean; reason: string | null; runs: InstallationSyncJson[] };
  oauthSync: OAuthSyncJson | null;
  counts: DecisionCounts;
  /** The decisions of `counts` that were about sub-project rows (the rest are about repos). */
  subProjectCounts: DecisionCounts;
  rebind: RebindOutcomeJson[];
}

/** `POST /api/users/:userId/sync?async=1` (202). */
export interface SyncStarted {
  syncId: string;
  joined: boolean;
  state: SyncProgressJson['state'];
  progress: string;
}

/** `GET /api/syncs/:syncId`. */
export interface SyncProgressJson {
  syncId: string;
  userId: string;
  state: 'running' | 'completed' | 'failed';
  startedAt: string;
  finishedAt: string | null;
  /** Pages read so far, over every run of the sync (one per installation, then OAuth). */
  pagesDone: number;
  /** Pages known so far, from GitHub's Link header of each run begun. */
  pagesTotal: number;
  reposSeen: number;
  decisions: DecisionCounts;
  result: UserSyncJson | null;
  error: string | null;
}

/** `GET /api/syncs`: newest first, without each one's result (GET /api/syncs/:syncId has it). */
export interface SyncsPage {
  syncs: Omit<SyncProgressJson, 'result'>[];
}

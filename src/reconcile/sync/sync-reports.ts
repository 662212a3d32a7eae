import type { DecisionCounts } from '../../domain/sync/decision-counts.js';

// What a sync run reports: the sync API answers it, the delivery's reason and the resync's
// run record are made from it.

export type RebindOutcome =
  | { userId: string; outcome: 'rebound'; to: number; entities: { type: string; id: string; from: number }[] }
  | { userId: string; outcome: 'skipped'; reason: string; installationIds: number[] };

export interface InstallationSyncReport {
  kind: 'installation';
  installationId: number;
  status: 'completed' | 'suspended' | 'deleted' | 'failed';
  /** Why it did not complete, in words an operator can act on. */
  message: string | null;
  retryable: boolean;
  /** For a rate limit: when GitHub says to come back. */
  retryAfterMs: number | null;
  pages: number;
  reposListed: number;
  users: string[];
  counts: DecisionCounts;
  /** The decisions of `counts` that were about sub-project rows (the rest are about repos). */
  subProjectCounts: DecisionCounts;
  rebind: RebindOutcome[];
}

export interface OAuthSyncReport {
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

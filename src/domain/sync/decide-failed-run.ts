// How an installation-backed sync run ends when GitHub fails it part-way. Pure: the applier
// (reconcile/sync/sync-installation.ts) writes what the plan says.

/** What GitHub's failure says, in the few facts the decision needs. */
export interface RunFailure {
  /** GitHubError's kind: `installation_suspended`, `installation_not_found`, `rate_limited`, ... */
  kind: string;
}

export type FailedRunPlan =
  /** GitHub refuses the installation's tokens (403): record it suspended if it is not yet. */
  | { status: 'suspended'; markSuspended: true }
  /**
   * GitHub does not know the installation (404): record it deleted. Rows the pages read before
   * bound to it lose it again, as installation.deleted would take it away.
   */
  | { status: 'deleted'; markDeleted: true; detachAll: boolean }
  /** Anything else: retryable or not as GitHub's failure says (the report carries it). */
  | { status: 'failed' };

/**
 * Whatever ends a run, what the pages already read decided stays committed, and nothing is
 * detached for not being listed: detaching needs the whole list (R1).
 */
export function decideFailedRun(failure: RunFailure, pagesRead: number): FailedRunPlan {
  switch (failure.kind) {
    case 'installation_suspended':
      return { status: 'suspended', markSuspended: true };
    case 'installation_not_found':
      // Deleted while it was listed: the pages already recorded bound rows to it.
      return { status: 'deleted', markDeleted: true, detachAll: pagesRead > 0 };
    default:
      return { status: 'failed' };
  }
}

/** How a delivery that asked for a sync fares with its outcome. */
export type SyncedDeliveryPlan = { kind: 'retry_later'; retryAfterMs: number | null } | { kind: 'go_on' };

/**
 * A retryable failure (GitHub unavailable, a rate limit) fails the delivery so that the worker
 * tries again after the back-off; a run that ended suspended, deleted or with a failure no retry
 * mends is reported in the delivery's reason instead.
 */
export function decideSyncedDelivery(report: {
  status: string;
  retryable: boolean;
  retryAfterMs: number | null;
}): SyncedDeliveryPlan {
  return report.status === 'failed' && report.retryable
    ? { kind: 'retry_later', retryAfterMs: report.retryAfterMs }
    : { kind: 'go_on' };
}

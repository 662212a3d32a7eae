import type { AuditValue } from '../domain/audit/index.js';
import { installationState } from '../domain/entities.js';
import type { GitHubPort } from '../github/github-port.js';
import { withRateLimitPacing, type Sleep } from '../github/rate-limit-pacing.js';
import type { Store } from '../store/store.js';
import type { Logger } from '../telemetry/logger.js';
import { activeSpanTrace, currentTraceId } from '../telemetry/tracing.js';
import type { ReconcileContext } from './sync-context.js';
import { syncInstallation } from './sync/sync-installation.js';
import type { InstallationSyncReport } from './sync/sync-reports.js';

// Drift resync (issue 8): webhooks get lost for reasons no code here controls, so every known
// active installation is synced again on an interval through the one apply path. Whatever that
// sync changes is drift: its sync.decision and rebind records carry the actor 'resync', and the
// drift counter is read from them (telemetry/observers.ts).

export interface ResyncDeps {
  store: Store;
  github: GitHubPort;
  now: () => Date;
  logger: Logger;
  sleep: Sleep;
  /** The most one run waits for GitHub's rate limits in total; past it the rest waits for the next run. */
  maxRateLimitWaitMs: number;
  /** Requests of each hourly quota the resync leaves to requests a user waits for. */
  quotaReserve: number;
}

/** One resync run: its id (the source of every record it writes) and a signal that ends it early. */
export interface ResyncRun {
  runId: string;
  /** Aborted when the service stops or loses the lease: checked between installations. */
  signal: AbortSignal;
}

export type ResyncedInstallation = {
  installationId: number;
  status: InstallationSyncReport['status'];
  message: string | null;
  drift: Record<string, number>;
};

/** What one run did, in audit values: the periodic job writes it on its periodic.resync record. */
export type ResyncReport = {
  installations: ResyncedInstallation[];
  skipped: { installationId: number; reason: string }[];
  drift: Record<string, number>;
  rateLimitWaits: AuditValue[];
  waitedMs: number;
  stoppedBecause: string | null;
};

const INSTALLATION_PAGE = 100;

/** What one installation's resync repaired: every decision that changed a row, and rebound entities. */
function driftOf(report: InstallationSyncReport): Record<string, number> {
  const { unchanged: _unchanged, ...changed } = report.counts;
  const rebound = report.rebind.reduce((n, r) => n + (r.outcome === 'rebound' ? r.entities.length : 0), 0);
  return Object.fromEntries(Object.entries({ ...changed, rebound }).filter(([, n]) => n > 0));
}

/**
 * Syncs every stored installation that is neither deleted nor suspended, one after another, and
 * returns the run's summary (written on its periodic.resync record): each installation with its
 * status and drift, the ones skipped and why, the drift in total, and the rate-limit waits.
 */
export async function resyncInstallations(deps: ResyncDeps, run: ResyncRun): Promise<ResyncReport> {
  const log = deps.logger.child({ component: 'resync', runId: run.runId });
  const github = withRateLimitPacing(deps.github, {
    sleep: deps.sleep,
    maxTotalWaitMs: deps.maxRateLimitWaitMs,
    quotaReserve: deps.quotaReserve,
    logger: log,
    signal: run.signal,
  });
  const context: ReconcileContext = {
    actor: 'resync',
    source: { type: 'periodic', id: run.runId },
    deliveryId: null,
    traceId: currentTraceId(),
    now: deps.now,
    trace: activeSpanTrace,
  };
  const synced: ResyncedInstallation[] = [];
  const skipped: { installationId: number; reason: string }[] = [];
  const drift: Record<string, number> = {};
  let stoppedBecause: string | null = null;
  let afterId: number | undefined;
  pages: for (;;) {
    const page = await deps.store.listInstallationPage({
      ...(afterId === undefined ? {} : { afterId }),
      limit: INSTALLATION_PAGE,
    });
    for (const installation of page) {
      afterId = installation.id;
      const state = installationState(installation);
      if (state !== 'active') {
        // Deleted: nothing left to list. Suspended: GitHub refuses its tokens until it is unsuspended,
        // and the webhook that unsuspends it syncs it.
        skipped.push({ installationId: installation.id, reason: state });
        continue;
      }
      if (run.signal.aborted) {
        stoppedBecause = 'the run was stopped (the service is stopping or lost the lease)';
        break pages;
      }
      const report = await syncInstallation(deps.store, github, context, installation.id);
      const repaired = driftOf(report);
      for (const [decision, n] of Object.entries(repaired)) drift[decision] = (drift[decision] ?? 0) + n;
      synced.push({ installationId: installation.id, status: report.status, message: report.message, drift: repaired });
      log.info(
        { installationId: installation.id, status: report.status, drift: repaired, done: synced.length },
        'resync: installation synced',
      );
      if (github.gaveUp) {
        stoppedBecause = `GitHub rate limits needed more than ${deps.maxRateLimitWaitMs} ms of waiting; the rest waits for the next run`;
        break pages;
      }
    }
    if (page.length < INSTALLATION_PAGE) break;
  }
  if (stoppedBecause !== null) log.warn({ synced: synced.length }, `resync stopped early: ${stoppedBecause}`);
  const waits = github.waits.map((wait): AuditValue => ({ ...wait }));
  return {
    installations: synced,
    skipped,
    drift,
    rateLimitWaits: waits,
    waitedMs: github.waits.reduce((sum, wait) => sum + wait.waitMs, 0),
    stoppedBecause,
  };
}

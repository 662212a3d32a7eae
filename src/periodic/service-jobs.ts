import type { Config } from '../config.js';
import type { GitHubPort } from '../github/github-port.js';
import type { Sleep } from '../github/rate-limit-pacing.js';
import { resyncInstallations } from '../reconcile/resync-installations.js';
import type { Store } from '../store/store.js';
import { pruneAuditTrail } from '../telemetry/audit-trail.js';
import type { Logger } from '../telemetry/logger.js';
import type { PeriodicJob, PeriodicReport, PeriodicRun } from './periodic-work.js';

// The service's periodic jobs, each run by the replica that holds its lease (periodic-work.ts).

/**
 * The redelivery sweep (src/inbox/sweep-redeliveries.ts, docs/redelivery.md), plugged in by the
 * service's composition: list GitHub's webhook deliveries and ask for those that failed or never
 * reached the store. Runs under the lease every REDELIVERY_INTERVAL_SECONDS, only with App
 * credentials; what it returns is written on its periodic.redelivery run record.
 */
export type RedeliverySweep = (run: PeriodicRun) => Promise<PeriodicReport | void>;

export interface ServiceJobDeps {
  config: Config;
  store: Store;
  github: GitHubPort;
  logger: Logger;
  now: () => Date;
  sleep: Sleep;
  sweepRedeliveries: RedeliverySweep;
}

const HOUR_MS = 3_600_000;
// A resync spends at most this long waiting for rate limits; the rest of the installations wait for the next run.
const RESYNC_MAX_RATE_LIMIT_WAIT_MS = 15 * 60_000;
// An installation token has at least 5,000 requests an hour: the resync leaves a tenth of them
// to syncs and refreshes a user waits for.
const RESYNC_QUOTA_RESERVE = 500;

export function serviceJobs(deps: ServiceJobDeps): PeriodicJob[] {
  const { config, logger, now } = deps;
  const appCredentials = config.githubApp !== null;
  if (!appCredentials && config.resyncIntervalSeconds > 0)
    logger.info('drift resync is off: it needs GitHub App credentials (GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY)');
  const retentionDays = config.auditRetentionDays;
  return [
    {
      // Each run prunes only what has aged past the limit, so one run an hour keeps the trail within a day of it.
      name: 'audit_retention',
      actor: 'periodic',
      intervalMs: retentionDays === null ? 0 : HOUR_MS,
      jitterRatio: 0.1,
      runAtStart: true,
      async run() {
        if (retentionDays === null) return;
        const before = new Date(now().getTime() - retentionDays * 86_400_000);
        const { pruned } = await pruneAuditTrail(deps.store, before, now);
        if (pruned > 0) logger.info({ pruned, before: before.toISOString() }, 'audit records pruned');
        return { pruned, before: before.toISOString() };
      },
    },
    {
      name: 'wake_retention',
      actor: 'periodic',
      intervalMs: HOUR_MS,
      jitterRatio: 0.1,
      runAtStart: true,
      async run() {
        const before = new Date(now().getTime() - config.wakeRetentionDays * 86_400_000).toISOString();
        const pruned = await deps.store.pruneWakes(before);
        if (pruned > 0) logger.info({ pruned, before }, 'wakes pruned');
        return { pruned, before };
      },
    },
    {
      name: 'resync',
      actor: 'resync',
      intervalMs: appCredentials ? config.resyncIntervalSeconds * 1000 : 0,
      // Hours apart: a wide jitter keeps every deployment's resync off the same minute of GitHub's hour.
      jitterRatio: 0.2,
      runAtStart: false,
      // The resync's report is made of audit values: it is the run record as it is.
      run: (run): Promise<PeriodicReport> =>
        resyncInstallations(
          {
            store: deps.store,
            github: deps.github,
            now,
            logger,
            sleep: deps.sleep,
            maxRateLimitWaitMs: RESYNC_MAX_RATE_LIMIT_WAIT_MS,
            quotaReserve: RESYNC_QUOTA_RESERVE,
          },
          run,
        ),
    },
    {
      name: 'redelivery',
      actor: 'periodic',
      intervalMs: appCredentials ? config.redeliveryIntervalSeconds * 1000 : 0,
      jitterRatio: 0.1,
      // Deliveries that failed while no replica ran are swept as soon as one does.
      runAtStart: true,
      run: (run) => deps.sweepRedeliveries(run),
    },
  ];
}

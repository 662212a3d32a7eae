import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { createServer, type Server } from 'node:http';
import type { Config } from './config.js';
import { endpointCondition } from './domain/wake-push.js';
import type { RedeliveryPolicy, SweepHorizon } from './domain/decide-redelivery-sweep.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './domain/retry-policy.js';
import type { GitHubPort } from './github/github-port.js';
import { createOctokitGitHub } from './github/octokit-github.js';
import { sleep, type Sleep } from './github/rate-limit-pacing.js';
import { answerClientError, createApp, WakeFeed } from './http/create-app.js';
import { IngressActivity, type BodyBudget } from './inbox/ingress-gate.js';
import { startDeliveryWorker, type DeliveryWorker } from './inbox/delivery-worker.js';
import type { ApplyDelivery } from './inbox/worker-contract.js';
import { sweepRedeliveries, sweepSummary, type RedeliverySweepReport } from './inbox/sweep-redeliveries.js';
import { startPeriodicWork } from './periodic/periodic-work.js';
import { serviceJobs, type RedeliverySweep } from './periodic/service-jobs.js';
import { applyConfiguredEndpoint, startWakePush } from './push/wake-push.js';
import { reconcileDeliveries } from './reconcile/apply-delivery.js';
import { openStore } from './store/open-store.js';
import type { Store } from './store/store.js';
import type { Logger } from './telemetry/logger.js';
import { auditSigner, checkpointWriter, checkStoreAgainstExport } from './telemetry/audit-checkpoints.js';
import { storeCheckpoints } from './telemetry/audit-trail.js';
import { createMetrics } from './telemetry/metrics.js';
import {
  observeDeliveryProcessed,
  observeWakeSend,
  observeGitHubRequest,
  observeWebhookAnswer,
  withDecisionMetrics,
} from './telemetry/observers.js';

export interface RunningService {
  url: string;
  store: Store;
  /** One run of the redelivery sweeper (docs/redelivery.md); whoever schedules it calls this. */
  sweepRedeliveries(): Promise<RedeliverySweepReport>;
  /** Stop accepting, finish the delivery in hand, close the store. */
  close(): Promise<void>;
}

export interface ServiceOverrides {
  store?: Store;
  github?: GitHubPort;
  apply?: ApplyDelivery;
  now?: () => Date;
  retryPolicy?: RetryPolicy;
  idlePollMs?: number;
  leaseMs?: number;
  redeliveryPolicy?: RedeliveryPolicy;
  /** Stands in for the redelivery sweep the periodic job runs (tests of leadership record runs with it). */
  sweepRedeliveries?: RedeliverySweep;
  /** How long a replica's lease on a periodic job holds without renewal (default 60 s). */
  periodicLeaseMs?: number;
  /** How periodic jobs wait (rate limits): tests record the waits instead of making them. */
  sleep?: Sleep;
  /** Webhook body bytes in memory at once, and per remote address (default WEBHOOK_BODY_BYTES_IN_FLIGHT, half per address). */
  webhookBodyBudget?: BodyBudget;
  /** How long a webhook body may send nothing before it is refused (default WEBHOOK_BODY_STALL_MS). */
  webhookBodyStallMs?: number;
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

export async function startService(
  config: Config,
  logger: Logger,
  overrides: ServiceOverrides = {},
): Promise<RunningService> {
  const now = overrides.now ?? (() => new Date());
  const metrics = createMetrics(now);
  const store = withDecisionMetrics(overrides.store ??
      (await openStore(config.store, {
        finishHoldMs: config.inboxLeaseSeconds * 1000,
        logger: logger.child({ component: 'store' }),
      })), metrics);
  metrics.observeState({
    inbox: () => store.inboxBacklog(),
    wakeEndpoints: async () => {
      const backlog = new Map((await store.sendBacklog()).map((b) => [b.endpointId, b]));
      const at = now();
      return (await store.listEndpoints()).map((endpoint) => ({
        endpointId: endpoint.id,
        pending: backlog.get(endpoint.id)?.pending ?? 0,
        oldestPendingAt: backlog.get(endpoint.id)?.oldestPendingAt ?? null,
        paused: endpointCondition(endpoint, at) === 'paused',
      }));
    },
    repoCoverage: () => store.countReposByCoverage(),
    installationStates: () => store.countInstallationsByState(),
  });
  const signer = auditSigner(config.auditSigning);
  const checkpoints =
    signer === null
      ? null
      : checkpointWriter({
          store,
          signer,
          cadence: { everyRecords: config.auditSigning.everyRecords, everyMs: config.auditSigning.everySeconds * 1000 },
          exportDir: config.auditSigning.exportDir,
          logger,
          now,
        });
  if (signer === null)
    logger.warn('no AUDIT_SIGNING_KEY: audit checkpoints are not signed, so a rewritten audit chain would verify');
  else
    metrics.auditRecordsLost.set(await checkStoreAgainstExport(store, signer, config.auditSigning.exportDir, logger));
  const ingressActivity = new IngressActivity(overrides.webhookBodyBudget);
  const github =
    overrides.github ??
    createOctokitGitHub({
      app: config.githubApp,
      baseUrl: config.githubApiUrl,
      logger,
      onRequest: observeGitHubRequest(metrics),
    });
  const appCredentials = config.githubApp !== null;
  // The worker starts only once this process is listening: a copy that fails to start must not
  // take deliveries from the one that runs.
  let worker: DeliveryWorker | null = null;
  const wakeFeed = new WakeFeed(store);
  const app = createApp({
    store,
    logger,
    apiToken: config.apiToken,
    webhookSecrets: config.webhookSecrets,
    now,
    workerStatus: () => (config.inboxPaused ? 'paused' : worker !== null && worker.isRunning() ? 'running' : 'stopped'),
    onDeliveryStored: () => worker?.notify(),
    onWebhookAnswered: observeWebhookAnswer(metrics),
    metrics,
    traceUrlTemplate: config.traceUrlTemplate,
    ingressActivity,
    ...(overrides.webhookBodyStallMs !== undefined ? { webhookBodyStallMs: overrides.webhookBodyStallMs } : {}),
    github,
    appCredentials,
    wakeFeed,
    auditCheckpoints: signer === null ? null : { source: storeCheckpoints(store), keys: signer.keys },
  });
  // Host is checked by the app, which answers in the JSON error shape (Node's refusal has no body).
  const server = createServer({ requireHostHeader: false }, app);
  server.on('clientError', answerClientError);
  // GitHub gives up after 10 s: a request still incomplete by then is not worth its memory, and
  // a webhook body that stalls is refused sooner (WEBHOOK_BODY_STALL_MS).
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  let shuttingDown = false;
  server.prependListener('request', (_req, res) => {
    if (shuttingDown) res.setHeader('Connection', 'close');
  });
  let address: AddressInfo;
  try {
    address = await listen(server, config.port, config.host);
  } catch (error) {
    await store.close();
    throw error;
  }
  if (config.inboxPaused) {
    logger.warn('INBOX_PAUSED: deliveries are stored but not applied until a restart without it');
  } else {
    worker = startDeliveryWorker({
      store,
      apply: overrides.apply ?? reconcileDeliveries({ store, github, appCredentials, now }),
      logger,
      now,
      retryPolicy: overrides.retryPolicy ?? DEFAULT_RETRY_POLICY,
      leaseMs: overrides.leaseMs ?? config.inboxLeaseSeconds * 1000,
      idlePollMs: overrides.idlePollMs ?? 1_000,
      isIngressBusy: ingressActivity.isBusy,
      maxDeferMs: 5,
      onProcessed: observeDeliveryProcessed(metrics),
    });
  }
  // Per process: a restart, or another replica taking the lease over, reads the whole window first.
  const sweepMemory: { horizon: SweepHorizon | null } = { horizon: null };
  const runRedeliverySweep = () =>
    sweepRedeliveries({
      memory: sweepMemory,
      store,
      github,
      appCredentials,
      now,
      logger,
      ...(overrides.redeliveryPolicy !== undefined ? { policy: overrides.redeliveryPolicy } : {}),
    });
  // Periodic jobs (audit retention, drift resync, redelivery sweep) run on the replica holding each one's lease.
  const periodic = startPeriodicWork(
    {
      store,
      holder: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
      leaseMs: overrides.periodicLeaseMs ?? 60_000,
      logger,
      now,
    },
    serviceJobs({
      config,
      store,
      github,
      logger,
      now,
      sleep: overrides.sleep ?? sleep,
      sweepRedeliveries: overrides.sweepRedeliveries ?? (async () => sweepSummary(await runRedeliverySweep())),
    }),
  );
  await applyConfiguredEndpoint(store, config.wakePush.endpoint, now(), logger);
  const wakePush = startWakePush({
    store,
    feed: wakeFeed,
    logger,
    now,
    config: config.wakePush,
    onAttempt: observeWakeSend(metrics),
  });
  const checkpointTimer =
    checkpoints === null
      ? null
      : setInterval(
          () =>
            void checkpoints
              .writeDue()
              .catch((error: unknown) =>
                logger.error({ err: (error as Error).message }, 'an audit checkpoint could not be written'),
              ),
          Math.min(config.auditSigning.everySeconds * 1000, 5_000),
        );
  checkpointTimer?.unref();
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | null = null;
  return {
    url: `http://${host}:${address.port}`,
    store,
    sweepRedeliveries: runRedeliverySweep,
    close() {
      closing ??= (async () => {
        shuttingDown = true;
        // Long-polls answer and wake streams end now, instead of holding the stop for the deadline.
        wakeFeed.close();
        const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        // Responses now close their connections; one that still has not finished is cut.
        const deadline = setTimeout(() => server.closeAllConnections(), 10_000);
        await Promise.all([worker?.stop(), periodic.stop(), wakePush.stop()]);
        await serverClosed;
        clearTimeout(deadline);
        if (checkpointTimer !== null) clearInterval(checkpointTimer);
        await checkpoints
          ?.writeAll()
          .catch((error: unknown) =>
            logger.error({ err: (error as Error).message }, 'the last audit checkpoint could not be written'),
          );
        await store.close();
      })();
      return closing;
    },
  };
}

import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import type { Config } from './config.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './domain/retry-policy.js';
import type { GitHubPort } from './github/github-port.js';
import { createOctokitGitHub } from './github/octokit-github.js';
import { createApp } from './http/create-app.js';
import { IngressActivity } from './http/webhook-route.js';
import { startDeliveryWorker, type ApplyDelivery } from './inbox/delivery-worker.js';
import { createDeliveryApplier } from './reconcile/apply-delivery.js';
import { webhookHandlers } from './reconcile/webhook-effects.js';
import { openSqliteStore } from './store/sqlite/sqlite-store.js';
import type { Store } from './store/store.js';
import type { Logger } from './telemetry/logger.js';

export interface RunningService {
  url: string;
  store: Store;
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
}

function openStore(config: Config): Store {
  if (config.store.kind === 'mongodb') {
    throw new Error('MONGODB_URI is set, but this build has only the embedded store: unset MONGODB_URI to use it');
  }
  return openSqliteStore({ path: config.store.path });
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
  const store = overrides.store ?? openStore(config);
  const now = overrides.now ?? (() => new Date());
  const ingressActivity = new IngressActivity();
  const github =
    overrides.github ?? createOctokitGitHub({ app: config.githubApp, baseUrl: config.githubApiUrl, logger });
  const appCredentials = config.githubApp !== null;
  const worker = config.inboxPaused
    ? null
    : startDeliveryWorker({
        store,
        apply: overrides.apply ?? createDeliveryApplier(webhookHandlers({ store, github, appCredentials, now })),
        logger,
        now,
        retryPolicy: overrides.retryPolicy ?? DEFAULT_RETRY_POLICY,
        leaseMs: overrides.leaseMs ?? 60_000,
        idlePollMs: overrides.idlePollMs ?? 1_000,
        isIngressBusy: ingressActivity.isBusy,
        maxDeferMs: 250,
      });
  if (worker === null) logger.warn('INBOX_PAUSED: deliveries are stored but not applied until a restart without it');
  const app = createApp({
    store,
    logger,
    apiToken: config.apiToken,
    webhookSecrets: config.webhookSecrets,
    now,
    workerStatus: () => (worker === null ? 'paused' : worker.isRunning() ? 'running' : 'stopped'),
    onDeliveryStored: () => worker?.notify(),
    ingressActivity,
    github,
    appCredentials,
  });
  const server = createServer(app);
  let address: AddressInfo;
  try {
    address = await listen(server, config.port, config.host);
  } catch (error) {
    await worker?.stop();
    await store.close();
    throw error;
  }
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | null = null;
  return {
    url: `http://${host}:${address.port}`,
    store,
    close() {
      closing ??= (async () => {
        const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await worker?.stop();
        await serverClosed;
        await store.close();
      })();
      return closing;
    },
  };
}

import express, { type Express } from 'express';
import type { GitHubPort } from '../github/github-port.js';
import type { IngressActivity } from '../inbox/ingress-gate.js';
import type { Store } from '../store/store.js';
import type { Logger } from '../telemetry/logger.js';
import type { Metrics } from '../telemetry/metrics.js';
import { requireApiToken } from './api-auth.js';
import { auditRoutes } from './routes/audit.js';
import { bindingRoutes } from './routes/bindings.js';
import { deliveryRoutes } from './routes/deliveries.js';
import { entityRoutes } from './routes/entities.js';
import { searchRoutes } from './routes/search.js';
import { installationRoutes } from './routes/installations.js';
import { observabilityView } from './routes/observability-view.js';
import { diagnoseRoutes } from './routes/diagnose.js';
import { errorHandler, sendError, unknownRoute } from './http-error.js';
import { summaryRoutes } from './routes/summary.js';
import { syncRoutes } from './routes/syncs.js';
import { userRoutes } from './routes/users.js';
import { projectRoutes } from './routes/projects.js';
import { wakeRoutes } from './routes/wakes.js';
import { endpointRoutes } from './routes/endpoints.js';
import { webhookRoute, type WebhookRouteDeps } from './routes/webhook.js';
import { openApiDocument } from './openapi/document.js';
import type { WakeFeed } from './wake-feed.js';
import type { SignedCheckpointCheck } from '../telemetry/audit-trail.js';

export interface AppDeps {
  store: Store;
  logger: Logger;
  apiToken: string;
  webhookSecrets: readonly string[];
  now: () => Date;
  workerStatus: () => 'running' | 'paused' | 'stopped';
  onDeliveryStored: () => void;
  onWebhookAnswered: WebhookRouteDeps['onAnswered'];
  metrics: Metrics;
  /** TRACE_URL_TEMPLATE: the Observability view links trace ids with it. */
  traceUrlTemplate: string | null;
  ingressActivity: IngressActivity;
  /** How long a webhook body may send nothing before it is refused with 408 (tests shorten it). */
  webhookBodyStallMs?: number;
  github: GitHubPort;
  appCredentials: boolean;
  /** Long-polls and streams of the wake outbox wait on it; the service closes it when it stops. */
  wakeFeed: WakeFeed;
  /** The signed audit checkpoints `/api/audit/verify` checks against; null without a signing key. */
  auditCheckpoints?: SignedCheckpointCheck | null;
}

// The HTTP adapter's one entry for the composition root: the app, and the answer to requests
// Node could not parse (they never reach Express).
export { answerClientError } from './http-error.js';
export { WakeFeed } from './wake-feed.js';

/** API bodies are small JSON documents; anything larger is a mistake or an attack. */
const API_BODY_LIMIT = '1mb';

/**
 * No answer carries a string longer than this. Stored strings that came from payloads (an action,
 * a login, a reason quoting them) were once unbounded, and one 20 MB value repeated in a list made
 * JSON.stringify fail ("Invalid string length") or hold the event loop for seconds.
 */
export const ANSWER_FIELD_CHARS = 16 * 1024;

const boundedField = (_key: string, value: unknown): unknown =>
  typeof value === 'string' && value.length > ANSWER_FIELD_CHARS
    ? `${value.slice(0, ANSWER_FIELD_CHARS)}… (${value.length - ANSWER_FIELD_CHARS} more characters)`
    : value;

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.set('json replacer', boundedField);

  // HTTP/1.1 requires Host (RFC 9112, 3.2); Node's own refusal has an empty body, this one has the error shape.
  app.use((req, res, next) => {
    if (req.httpVersion === '1.1' && req.headers.host === undefined) {
      res.set('Connection', 'close');
      sendError(res, 400, 'missing_host', 'an HTTP/1.1 request must carry a Host header');
      return;
    }
    next();
  });

  // Before any body parser: the signature covers the raw bytes.
  app.post(
    '/webhooks/github',
    webhookRoute(
      {
        store: deps.store,
        webhookSecrets: deps.webhookSecrets,
        now: deps.now,
        logger: deps.logger,
        onStored: deps.onDeliveryStored,
        onAnswered: deps.onWebhookAnswered,
        ...(deps.webhookBodyStallMs !== undefined ? { bodyStallMs: deps.webhookBodyStallMs } : {}),
      },
      deps.ingressActivity,
    ),
  );

  // Unauthenticated like /healthz: Prometheus scrapes it, and it carries no ids (bounded labels).
  app.get('/metrics', async (req, res) => {
    const { contentType, body } = await deps.metrics.expose(req.get('accept'));
    res.type(contentType).send(body);
  });

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      await deps.store.probeInbox();
    } catch (error) {
      sendError(
        res,
        503,
        'store_unreachable',
        `the store cannot store or read a delivery: ${(error as Error).message}`,
      );
      return;
    }
    const worker = deps.workerStatus();
    if (worker === 'stopped') {
      sendError(res, 503, 'worker_stopped', 'the delivery worker is not running');
      return;
    }
    const ingress = deps.ingressActivity;
    if (ingress.isExhausted()) {
      sendError(
        res,
        503,
        'ingress_exhausted',
        `${ingress.bodyBytesInFlight()} of ${ingress.budget.totalBytes} bytes of webhook bodies are in memory: deliveries are refused until some finish`,
      );
      return;
    }
    // Paused is ready: webhooks are still stored safely, only applying waits.
    res.json({
      status: 'ready',
      store: 'ok',
      worker,
      ingress: { bodyBytesInFlight: ingress.bodyBytesInFlight(), bodyBytesBudget: ingress.budget.totalBytes },
    });
  });

  app.use(observabilityView({ traceUrlTemplate: deps.traceUrlTemplate }, deps.logger));

  const api = express.Router();
  // Before the token check: the document describes the API and holds no data, and tools that
  // generate clients or render it (openapi-typescript, Swagger UI) can read it as it is served.
  api.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument());
  });
  api.use(requireApiToken(deps.apiToken, { logger: deps.logger }));
  api.use(express.json({ limit: API_BODY_LIMIT }));
  api.use(deliveryRoutes({ store: deps.store, now: deps.now, onDeliveryStored: deps.onDeliveryStored }));
  api.use(searchRoutes(deps.store));
  api.use(auditRoutes(deps.store, deps.now, deps.auditCheckpoints ?? null));
  api.use(wakeRoutes(deps.store, deps.wakeFeed));
  api.use(endpointRoutes({ store: deps.store, now: deps.now }));
  api.use(summaryRoutes(deps.store));
  api.use(userRoutes({ store: deps.store, now: deps.now }));
  // Before the binding routes: a trigger's and an automation's page extends their GET answer.
  api.use(entityRoutes(deps.store));
  api.use(bindingRoutes({ store: deps.store, now: deps.now }));
  const githubDeps = { store: deps.store, github: deps.github, appCredentials: deps.appCredentials, now: deps.now };
  api.use(syncRoutes(githubDeps));
  api.use(installationRoutes(githubDeps));
  api.use(projectRoutes(githubDeps));
  api.use(diagnoseRoutes(githubDeps));
  api.use(unknownRoute);
  app.use('/api', api);

  app.use(unknownRoute);
  app.use(errorHandler(deps.logger));
  return app;
}

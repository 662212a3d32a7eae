import { Router } from 'express';
import type { z } from 'zod';
import { traceIdOf, type Delivery } from '../../domain/delivery.js';
import { installationState } from '../../domain/entities.js';
import { deliverySummary } from '../../explain/delivery-story.js';
import {
  readAutomationPage,
  readInstallationPage,
  readRepoPage,
  readTriggerPage,
} from '../../explain/entity-pages.js';
import type { Store } from '../../store/store.js';
import type {
  AutomationPageJson,
  DeliveriesPage,
  InstallationPageJson,
  RepoPageJson,
  TriggerPageJson,
} from '../api-shapes.js';
import { HttpError } from '../http-error.js';
import { automationParams, installationParams, repoParams, triggerParams } from '../openapi/entities.js';

// The entity pages (issue 15, item 5): GET /api/repos/:repoId, /triggers/:triggerId,
// /automations/:automationId and /installations/:installationId. Mounted before the binding
// routes: a trigger's and an automation's page is their GET answer, extended.

/** The path's ids parsed by the page's schema; a malformed one is refused naming the field. */
function paramsOf<S extends z.ZodType>(schema: S, params: unknown): z.output<S> {
  const parsed = schema.safeParse(params);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new HttpError(400, 'invalid_input', `${issue?.path.join('.') ?? 'path'}: ${issue?.message ?? 'is malformed'}`);
}

/** A delivery as GET /api/deliveries lists it, with its repo's name today. */
function deliveryItem(delivery: Delivery, repoFullName: string | null): DeliveriesPage['deliveries'][number] & {
  repoFullName: string | null;
} {
  return {
    id: delivery.id,
    event: delivery.event,
    action: delivery.action,
    installationId: delivery.installationId,
    repoId: delivery.repoId,
    state: delivery.state,
    attempts: delivery.attempts,
    error: delivery.error,
    reason: delivery.reason,
    receivedAt: delivery.receivedAt,
    processedAt: delivery.processedAt,
    nextAttemptAt: delivery.nextAttemptAt,
    replayOf: delivery.replayOf,
    outcome: delivery.routingOutcome ?? 'not_routed',
    summary: deliverySummary(delivery),
    traceId: traceIdOf(delivery.traceparent),
    repoFullName,
  };
}

const notFound = (noun: string, id: string | number): HttpError =>
  new HttpError(404, `${noun}_not_found`, `no ${noun} ${id}`);

export function entityRoutes(store: Store): Router {
  const router = Router();

  router.get('/repos/:repoId', async (req, res) => {
    const { repoId } = paramsOf(repoParams, req.params);
    const page = await readRepoPage(store, repoId);
    if (page === null) throw notFound('repo', repoId);
    res.json({
      ...page,
      latestDeliveries: page.latestDeliveries.map((delivery) => deliveryItem(delivery, page.fullName)),
    } satisfies RepoPageJson);
  });

  router.get('/triggers/:triggerId', async (req, res) => {
    const { triggerId } = paramsOf(triggerParams, req.params);
    const page = await readTriggerPage(store, triggerId);
    if (page === null) throw notFound('trigger', triggerId);
    res.json(page satisfies TriggerPageJson);
  });

  router.get('/automations/:automationId', async (req, res) => {
    const { automationId } = paramsOf(automationParams, req.params);
    const page = await readAutomationPage(store, automationId);
    if (page === null) throw notFound('automation', automationId);
    res.json(page satisfies AutomationPageJson);
  });

  router.get('/installations/:installationId', async (req, res) => {
    const { installationId } = paramsOf(installationParams, req.params);
    const page = await readInstallationPage(store, installationId);
    if (page === null) throw notFound('installation', installationId);
    const { installation } = page;
    res.json({
      ...page,
      installation: {
        id: installation.id,
        account: { id: installation.accountId, login: installation.accountLogin, type: installation.accountType },
        state: installationState(installation),
        repositorySelection: installation.repositorySelection,
        targetType: installation.targetType,
        events: installation.events,
        suspendedAt: installation.suspendedAt,
        deletedAt: installation.deletedAt,
        updatedAt: installation.updatedAt,
      },
    } satisfies InstallationPageJson);
  });

  return router;
}

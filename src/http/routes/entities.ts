import { Router } from 'express';
import { installationState } from '../../domain/entities.js';
import { readAutomationPage, readInstallationPage, readRepoPage, readTriggerPage } from '../../explain/entity-pages.js';
import type { Store } from '../../store/store.js';
import type { AutomationPageJson, InstallationPageJson, RepoPageJson, TriggerPageJson } from '../api-shapes.js';
import { HttpError } from '../http-error.js';
import { automationParams, installationParams, repoParams, triggerParams } from '../openapi/entities.js';
import { parseParams } from '../openapi/parse-request.js';
import { deliveryItem } from './deliveries.js';

// The entity pages (issue 15, item 5): GET /api/repos/:repoId, /triggers/:id,
// /automations/:id and /installations/:installationId. Mounted before the binding
// routes: a trigger's and an automation's page is their GET answer, extended.

const notFound = (noun: string, id: string | number): HttpError =>
  new HttpError(404, `${noun}_not_found`, `no ${noun} ${id}`);

export function entityRoutes(store: Store): Router {
  const router = Router();

  router.get('/repos/:repoId', async (req, res) => {
    const { repoId } = parseParams(repoParams, req.params);
    const page = await readRepoPage(store, repoId);
    if (page === null) throw notFound('repo', repoId);
    res.json({
      ...page,
      latestDeliveries: page.latestDeliveries.map((delivery) => deliveryItem(delivery, page.fullName)),
    } satisfies RepoPageJson);
  });

  router.get('/triggers/:id', async (req, res) => {
    const { id: triggerId } = parseParams(triggerParams, req.params);
    const page = await readTriggerPage(store, triggerId);
    if (page === null) throw notFound('trigger', triggerId);
    res.json(page satisfies TriggerPageJson);
  });

  router.get('/automations/:id', async (req, res) => {
    const { id: automationId } = parseParams(automationParams, req.params);
    const page = await readAutomationPage(store, automationId);
    if (page === null) throw notFound('automation', automationId);
    res.json(page satisfies AutomationPageJson);
  });

  router.get('/installations/:installationId', async (req, res) => {
    const { installationId } = parseParams(installationParams, req.params);
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

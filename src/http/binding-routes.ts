import { Router } from 'express';
import type { Automation, Trigger } from '../domain/entities.js';
import type { Store } from '../store/store.js';
import { apiAudit, asAuditValue } from './api-audit.js';
import { HttpError } from './http-error.js';
import { requireUser } from './user-routes.js';
import {
  arrayOf,
  boolean,
  boundedString,
  githubId,
  optional,
  parseBody,
  platformId,
  required,
  rootDirectory,
} from './validate.js';

// Automations and triggers: the installation-scoped bindings that routing and rebinding act on.

const EVENT_FILTER = /^[a-z_]{1,64}(\.[a-z_]{1,64})?$/;
const FULL_NAME = /^[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100}$/;

export function bindingRoutes({ store, now }: { store: Store; now: () => Date }): Router {
  const router = Router();

  router.put('/automations/:id', async (req, res) => {
    const id = platformId(req.params.id, 'id');
    const body = parseBody(req.body, {
      userId: required(platformId),
      installationId: required(githubId),
      name: required(boundedString(200)),
      enabled: optional(boolean),
    });
    await requireUser(store, body.userId);
    const before = await store.getAutomation(id);
    const at = now();
    const automation: Automation = {
      id,
      userId: body.userId,
      installationId: body.installationId,
      name: body.name,
      enabled: body.enabled ?? before?.enabled ?? true,
      updatedAt: at.toISOString(),
    };
    await store.putAutomation(automation);
    await store.appendAudit([
      apiAudit(req, at, {
        kind: 'automation.put',
        subject: { userId: automation.userId, automationId: id, installationId: automation.installationId },
        decision: before ? 'updated' : 'created',
        before: asAuditValue(before),
        after: asAuditValue(automation),
      }),
    ]);
    res.status(before ? 200 : 201).json({ automation });
  });

  router.get('/automations/:id', async (req, res) => {
    const automation = await store.getAutomation(platformId(req.params.id, 'id'));
    if (automation === null) throw new HttpError(404, 'automation_not_found', `no automation ${req.params.id}`);
    res.json({ automation });
  });

  router.delete('/automations/:id', async (req, res) => {
    const id = platformId(req.params.id, 'id');
    const before = await store.getAutomation(id);
    if (before === null) throw new HttpError(404, 'automation_not_found', `no automation ${id}`);
    await store.deleteAutomation(id);
    await store.appendAudit([
      apiAudit(req, now(), {
        kind: 'automation.deleted',
        subject: { userId: before.userId, automationId: id },
        decision: 'deleted',
        before: asAuditValue(before),
        after: null,
      }),
    ]);
    res.status(204).end();
  });

  router.put('/triggers/:id', async (req, res) => {
    const id = platformId(req.params.id, 'id');
    const body = parseBody(req.body, {
      userId: required(platformId),
      automationId: optional(platformId),
      installationId: required(githubId),
      repoId: required(githubId),
      repoFullName: optional(boundedString(201, FULL_NAME, 'must be owner/name')),
      rootDirectory: optional(rootDirectory),
      events: required(
        arrayOf(
          boundedString(129, EVENT_FILTER, 'must be an event ("push") or event.action ("pull_request.opened")'),
          1,
          50,
        ),
      ),
      enabled: optional(boolean),
    });
    await requireUser(store, body.userId);
    if (body.automationId !== undefined) {
      const automation = await store.getAutomation(body.automationId);
      if (automation === null || automation.userId !== body.userId) {
        throw new HttpError(
          400,
          'invalid_input',
          `automationId: no automation ${body.automationId} of user ${body.userId}`,
        );
      }
    }
    const before = await store.getTrigger(id);
    const at = now();
    const trigger: Trigger = {
      id,
      userId: body.userId,
      automationId: body.automationId ?? null,
      installationId: body.installationId,
      repoId: body.repoId,
      repoFullName: body.repoFullName ?? null,
      rootDirectory: body.rootDirectory ?? null,
      events: [...new Set(body.events)],
      enabled: body.enabled ?? before?.enabled ?? true,
      updatedAt: at.toISOString(),
    };
    await store.putTrigger(trigger);
    await store.appendAudit([
      apiAudit(req, at, {
        kind: 'trigger.put',
        subject: {
          userId: trigger.userId,
          triggerId: id,
          repoId: trigger.repoId,
          installationId: trigger.installationId,
        },
        decision: before ? 'updated' : 'created',
        before: asAuditValue(before),
        after: asAuditValue(trigger),
      }),
    ]);
    res.status(before ? 200 : 201).json({ trigger });
  });

  router.get('/triggers/:id', async (req, res) => {
    const trigger = await store.getTrigger(platformId(req.params.id, 'id'));
    if (trigger === null) throw new HttpError(404, 'trigger_not_found', `no trigger ${req.params.id}`);
    res.json({ trigger });
  });

  router.delete('/triggers/:id', async (req, res) => {
    const id = platformId(req.params.id, 'id');
    const before = await store.getTrigger(id);
    if (before === null) throw new HttpError(404, 'trigger_not_found', `no trigger ${id}`);
    await store.deleteTrigger(id);
    await store.appendAudit([
      apiAudit(req, now(), {
        kind: 'trigger.deleted',
        subject: { userId: before.userId, triggerId: id, repoId: before.repoId },
        decision: 'deleted',
        before: asAuditValue(before),
        after: null,
      }),
    ]);
    res.status(204).end();
  });

  return router;
}

import { Router } from 'express';
import type { Automation, Trigger } from '../../domain/entities.js';
import type { ApiOrigin } from '../../domain/audit/api-change.js';
import { deleteAutomation, deleteTrigger, putAutomation, putTrigger } from '../../reconcile/bindings.js';
import type { Store } from '../../store/store.js';
import { apiOrigin } from '../api-audit.js';
import { HttpError } from '../http-error.js';
import { requireUser } from './users.js';
import {
  arrayOf,
  boolean,
  boundedString,
  eventFilter,
  githubId,
  optional,
  parseBody,
  platformId,
  repoFullName,
  required,
  requireWebhookEvents,
  rootDirectory,
} from '../validate.js';

// Automations and triggers: the installation-scoped bindings that routing and rebinding act on.

/** GET and DELETE `/<noun>s/:id` for a binding; a deletion is audited with what was deleted. */
function readAndDelete<T extends Automation | Trigger>(
  router: Router,
  now: () => Date,
  binding: {
    noun: 'automation' | 'trigger';
    get: (id: string) => Promise<T | null>;
    remove: (entity: T, origin: ApiOrigin) => Promise<boolean>;
  },
): void {
  const path = `/${binding.noun}s/:id`;
  const find = async (rawId: unknown): Promise<T> => {
    const id = platformId(rawId, 'id');
    const entity = await binding.get(id);
    if (entity === null) throw new HttpError(404, `${binding.noun}_not_found`, `no ${binding.noun} ${id}`);
    return entity;
  };
  router.get(path, async (req, res) => {
    res.json({ [binding.noun]: await find(req.params.id) });
  });
  router.delete(path, async (req, res) => {
    const before = await find(req.params.id);
    await binding.remove(before, apiOrigin(req, now()));
    res.status(204).end();
  });
}

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
    await putAutomation(store, automation, before, apiOrigin(req, at));
    res.status(before ? 200 : 201).json({ automation });
  });

  router.put('/triggers/:id', async (req, res) => {
    const id = platformId(req.params.id, 'id');
    const body = parseBody(req.body, {
      userId: required(platformId),
      automationId: optional(platformId),
      installationId: required(githubId),
      repoId: required(githubId),
      repoFullName: optional(repoFullName),
      rootDirectory: optional(rootDirectory),
      events: required(arrayOf(eventFilter, 1, 50)),
      enabled: optional(boolean),
    });
    await requireWebhookEvents(body.events, 'events');
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
    await putTrigger(store, trigger, before, apiOrigin(req, at));
    res.status(before ? 200 : 201).json({ trigger });
  });

  readAndDelete(router, now, {
    noun: 'automation',
    get: (id) => store.getAutomation(id),
    remove: (automation, origin) => deleteAutomation(store, automation, origin),
  });
  readAndDelete(router, now, {
    noun: 'trigger',
    get: (id) => store.getTrigger(id),
    remove: (trigger, origin) => deleteTrigger(store, trigger, origin),
  });

  return router;
}

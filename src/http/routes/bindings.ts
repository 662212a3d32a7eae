import { Router } from 'express';
import type { Automation, Trigger } from '../../domain/entities.js';
import type { ApiOrigin } from '../../domain/audit/api-change.js';
import { deleteAutomation, deleteTrigger, putAutomation, putTrigger } from '../../reconcile/bindings.js';
import type { Store } from '../../store/store.js';
import { apiOrigin } from '../api-audit.js';
import { HttpError } from '../http-error.js';
import { requireUser } from './users.js';
import { repoByName } from '../../domain/repo-by-name.js';
import {
  automationRequest,
  automationsQuery,
  bindingParams,
  triggerRequest,
  triggersQuery,
} from '../openapi/bindings.js';
import { nextIdCursor } from '../openapi/fields.js';
import type { AutomationsPage, TriggersPage } from '../api-shapes.js';
import type { TriggerFilter } from '../../store/ports/bindings.js';
import { parseBody, parseParams, parseQuery } from '../openapi/parse-request.js';
import { requireWebhookEvents } from '../validate.js';

// Automations and triggers: the installation-scoped bindings that routing and rebinding act on.

/** DELETE `/<noun>s/:id` for a binding, audited with what was deleted; its GET is the entity page (routes/entities.ts). */
function deleteRoute<T extends Automation | Trigger>(
  router: Router,
  now: () => Date,
  binding: {
    noun: 'automation' | 'trigger';
    get: (id: string) => Promise<T | null>;
    remove: (entity: T, origin: ApiOrigin) => Promise<boolean>;
  },
): void {
  const path = `/${binding.noun}s/:id`;
  const find = async (params: unknown): Promise<T> => {
    const { id } = parseParams(bindingParams, params);
    const entity = await binding.get(id);
    if (entity === null) throw new HttpError(404, `${binding.noun}_not_found`, `no ${binding.noun} ${id}`);
    return entity;
  };
  router.delete(path, async (req, res) => {
    const before = await find(req.params);
    await binding.remove(before, apiOrigin(req, now()));
    res.status(204).end();
  });
}

/**
 * The repo a trigger names: its id as given, or the one its owner/name stands for in the user's
 * repo rows (409 when the rows know no such repo, or more than one).
 */
async function triggerRepo(
  store: Store,
  body: { userId: string; repoId?: number | null | undefined; repoFullName?: string | null | undefined },
): Promise<{ repoId: number; fullName: string | null }> {
  const fullName = body.repoFullName ?? null;
  if (body.repoId !== undefined && body.repoId !== null) return { repoId: body.repoId, fullName };
  if (fullName === null) throw new HttpError(400, 'invalid_input', 'repoId: is required (or give repoFullName alone)');
  const found = repoByName(await store.listRepoRowsByFullName(fullName), body.userId);
  if (found.kind === 'unknown')
    throw new HttpError(
      409,
      'repo_unknown',
      `user ${body.userId} has no repo ${fullName}: sync the user (POST /api/users/${body.userId}/sync) or give repoId`,
    );
  if (found.kind === 'ambiguous')
    throw new HttpError(
      409,
      'repo_ambiguous',
      `${fullName} names ${found.repoIds.length} repos in the rows of user ${body.userId} (ids ${found.repoIds.join(', ')}); give repoId`,
    );
  return { repoId: found.repoId, fullName: found.fullName };
}

/** `repo=` of the trigger list: an id, or the ids an owner/name stands for in the repo rows (the user's, when given). */
async function repoIdsOf(store: Store, repo: number | string, userId: string | undefined): Promise<number[]> {
  if (typeof repo === 'number') return [repo];
  const rows = await store.listRepoRowsByFullName(repo);
  return [...new Set(rows.filter((row) => userId === undefined || row.userId === userId).map((row) => row.repoId))];
}

export function bindingRoutes({ store, now }: { store: Store; now: () => Date }): Router {
  const router = Router();

  router.get('/automations', async (req, res) => {
    const { userId, cursor, limit = 100 } = parseQuery(automationsQuery, req.query);
    const automations = await store.listAutomations(userId !== undefined ? { userId } : {}, {
      limit,
      ...(cursor !== undefined ? { afterId: cursor } : {}),
    });
    res.json({ automations, nextCursor: nextIdCursor(automations, limit) } satisfies AutomationsPage);
  });

  router.get('/triggers', async (req, res) => {
    const { userId, repo, automationId, cursor, limit = 100 } = parseQuery(triggersQuery, req.query);
    const filter: TriggerFilter = {
      ...(userId !== undefined ? { userId } : {}),
      ...(automationId !== undefined ? { automationId } : {}),
      ...(repo !== undefined ? { repoIds: await repoIdsOf(store, repo, userId) } : {}),
    };
    const triggers = await store.listTriggers(filter, { limit, ...(cursor !== undefined ? { afterId: cursor } : {}) });
    res.json({ triggers, nextCursor: nextIdCursor(triggers, limit) } satisfies TriggersPage);
  });

  router.put('/automations/:id', async (req, res) => {
    const { id } = parseParams(bindingParams, req.params);
    const body = parseBody(automationRequest, req.body);
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
    const { id } = parseParams(bindingParams, req.params);
    const body = parseBody(triggerRequest, req.body);
    await requireWebhookEvents(body.events, 'events');
    await requireUser(store, body.userId);
    const repo = await triggerRepo(store, body);
    if (body.automationId !== undefined && body.automationId !== null) {
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
      repoId: repo.repoId,
      repoFullName: repo.fullName,
      rootDirectory: body.rootDirectory ?? null,
      events: [...new Set(body.events)],
      enabled: body.enabled ?? before?.enabled ?? true,
      updatedAt: at.toISOString(),
    };
    await putTrigger(store, trigger, before, apiOrigin(req, at));
    res.status(before ? 200 : 201).json({ trigger });
  });

  deleteRoute(router, now, {
    noun: 'automation',
    get: (id) => store.getAutomation(id),
    remove: (automation, origin) => deleteAutomation(store, automation, origin),
  });
  deleteRoute(router, now, {
    noun: 'trigger',
    get: (id) => store.getTrigger(id),
    remove: (trigger, origin) => deleteTrigger(store, trigger, origin),
  });

  return router;
}

import { Router } from 'express';
import type { GitHubPort } from '../../github/github-port.js';
import { createSyncRuns } from '../../reconcile/sync-runs.js';
import { syncUser } from '../../reconcile/sync-user.js';
import type { Store } from '../../store/store.js';
import type { SyncProgressJson, SyncStarted, SyncsPage, UserSyncJson } from '../api-shapes.js';
import { HttpError } from '../http-error.js';
import { parseBody, parseParams, parseQuery } from '../openapi/parse-request.js';
import { syncQuery, syncRequest, syncsQuery } from '../openapi/syncs.js';
import { userParams } from '../openapi/users.js';
import { requireUser } from './users.js';

export interface SyncRouteDeps {
  store: Store;
  github: GitHubPort;
  appCredentials: boolean;
  now: () => Date;
}

export function syncRoutes(deps: SyncRouteDeps): Router {
  const router = Router();
  const syncs = createSyncRuns(
    (userId, oauthToken, observer) => syncUser(deps, userId, oauthToken, observer),
    deps.now,
  );

  // POST /api/users/:userId/sync { oauthToken? }: what each run decided, per installation.
  // With ?async=1 it answers 202 { syncId } at once; GET /api/syncs/:syncId follows it. One sync
  // per user at a time: a request while one runs joins it.
  router.post('/users/:userId/sync', async (req, res) => {
    const { userId } = parseParams(userParams, req.params);
    const mode = parseQuery(syncQuery, req.query).async;
    const body = parseBody(syncRequest, req.body ?? {});
    await requireUser(deps.store, userId);
    const { sync, joined } = syncs.start(userId, body.oauthToken ?? null);
    if (mode === '1') {
      res.status(202).json({
        syncId: sync.progress.syncId,
        joined,
        state: sync.progress.state,
        progress: `/api/syncs/${sync.progress.syncId}`,
      } satisfies SyncStarted);
      return;
    }
    res.json((await sync.done) satisfies UserSyncJson);
  });

  // The syncs this replica runs and has run lately (the Observability view draws their progress).
  router.get('/syncs', (req, res) => {
    res.json({ syncs: syncs.list(parseQuery(syncsQuery, req.query).limit ?? 20) } satisfies SyncsPage);
  });

  router.get('/syncs/:syncId', (req, res) => {
    const progress = syncs.get(req.params.syncId);
    if (progress === null)
      throw new HttpError(
        404,
        'sync_not_found',
        `no sync ${req.params.syncId} on this replica (finished syncs are kept for a while)`,
      );
    res.json(progress satisfies SyncProgressJson);
  });
  return router;
}

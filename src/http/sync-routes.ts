import { Router } from 'express';
import type { GitHubPort } from '../github/github-port.js';
import { syncUser } from '../reconcile/sync-user.js';
import type { Store } from '../store/store.js';
import { requireUser } from './user-routes.js';
import { boundedString, optional, parseBody, platformId } from './validate.js';

export interface SyncRouteDeps {
  store: Store;
  github: GitHubPort;
  appCredentials: boolean;
  now: () => Date;
}

export function syncRoutes(deps: SyncRouteDeps): Router {
  const router = Router();
  // POST /api/users/:userId/sync { oauthToken? }: what each run decided, per installation.
  router.post('/users/:userId/sync', async (req, res) => {
    const userId = platformId(req.params.userId, 'userId');
    const body = parseBody(req.body ?? {}, { oauthToken: optional(boundedString(255, /^\S+$/, 'must be a token')) });
    await requireUser(deps.store, userId);
    res.json(await syncUser(deps, userId, body.oauthToken ?? null));
  });
  return router;
}

import { Router } from 'express';
import { installationState } from '../../domain/entities.js';
import type { GitHubPort } from '../../github/github-port.js';
import { refreshInstallations } from '../../reconcile/refresh-installations.js';
import { apiContext } from '../../reconcile/sync-context.js';
import type { Store } from '../../store/store.js';
import type { InstallationsAnswer } from '../api-shapes.js';
import { parseParams } from '../openapi/parse-request.js';
import { userParams } from '../openapi/users.js';
import { requireUser } from './users.js';

export interface InstallationRouteDeps {
  store: Store;
  github: GitHubPort;
  appCredentials: boolean;
  now: () => Date;
}

export function installationRoutes(deps: InstallationRouteDeps): Router {
  const { store } = deps;
  const router = Router();

  // The installations view (R6): missing metadata is filled in from GitHub before it is shown.
  router.get('/users/:userId/installations', async (req, res) => {
    const { userId } = parseParams(userParams, req.params);
    await requireUser(store, userId);
    const installations = await store.listInstallations(await store.listLinkedInstallationIds(userId));
    const refreshed = await refreshInstallations(deps, apiContext(deps.now), installations);
    res.json({
      installations: refreshed.map(({ installation, refresh }) => ({
        id: installation.id,
        accountLogin: installation.accountLogin,
        accountType: installation.accountType,
        targetType: installation.targetType,
        permissions: installation.permissions,
        state: installationState(installation),
        repositorySelection: installation.repositorySelection,
        suspendedAt: installation.suspendedAt,
        deletedAt: installation.deletedAt,
        refresh,
      })),
    } satisfies InstallationsAnswer);
  });

  return router;
}

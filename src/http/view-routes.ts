import { Router } from 'express';
import { installationState } from '../domain/entities.js';
import type { ProjectCursor } from '../domain/projects.js';
import type { GitHubPort } from '../github/github-port.js';
import { readProjectsPage } from '../explain/read-projects.js';
import { refreshInstallations } from '../reconcile/refresh-installations.js';
import { apiContext } from '../reconcile/sync-context.js';
import type { Store } from '../store/store.js';
import { HttpError } from './http-error.js';
import { requireUser } from './user-routes.js';
import { platformId, queryLimit } from './validate.js';

export interface ViewRouteDeps {
  store: Store;
  github: GitHubPort;
  appCredentials: boolean;
  now: () => Date;
}

function parseCursor(raw: unknown): ProjectCursor | null {
  if (raw === undefined) return null;
  try {
    const value = JSON.parse(Buffer.from(String(raw), 'base64url').toString('utf8')) as Record<string, unknown>;
    const { rank, repoId, rootDirectory } = value;
    if (typeof rank === 'number' && typeof repoId === 'number' && typeof rootDirectory === 'string')
      return { rank, repoId, rootDirectory };
  } catch {
    // fall through to the error below
  }
  throw new HttpError(400, 'invalid_query', 'cursor must be a value returned as nextCursor');
}

export function viewRoutes(deps: ViewRouteDeps): Router {
  const { store } = deps;
  const router = Router();

  // The installations view (R6): missing metadata is filled in from GitHub before it is shown.
  router.get('/users/:userId/installations', async (req, res) => {
    const userId = platformId(req.params.userId, 'userId');
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
    });
  });

  // The Projects view (R5).
  router.get('/users/:userId/projects', async (req, res) => {
    const userId = platformId(req.params.userId, 'userId');
    const include = req.query.include;
    if (include !== undefined && include !== 'all')
      throw new HttpError(400, 'invalid_query', 'include must be "all" when given');
    const limit = queryLimit(req.query.limit, 100, 1000);
    const after = parseCursor(req.query.cursor);
    await requireUser(store, userId);
    const linked = await store.listInstallations(await store.listLinkedInstallationIds(userId));
    const installationSyncActive = deps.appCredentials && linked.some((i) => installationState(i) !== 'deleted');
    const page = await readProjectsPage(store, userId, {
      includeAll: include === 'all',
      installationSyncActive,
      limit,
      after,
    });
    res.json({
      rows: page.rows,
      installationSyncActive,
      nextCursor: page.nextCursor === null ? null : Buffer.from(JSON.stringify(page.nextCursor)).toString('base64url'),
      hiddenVisibleOnly: page.hiddenVisibleOnly,
    });
  });

  return router;
}

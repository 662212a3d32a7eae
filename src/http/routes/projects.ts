import { Router } from 'express';
import { installationState } from '../../domain/entities.js';
import type { ProjectCursor } from '../../domain/projects.js';
import { readProjectsPage } from '../../explain/read-projects.js';
import type { Store } from '../../store/store.js';
import type { ProjectsAnswer } from '../api-shapes.js';
import { HttpError } from '../http-error.js';
import { parseParams, parseQuery } from '../openapi/parse-request.js';
import { projectsQuery, userParams } from '../openapi/users.js';
import { requireUser } from './users.js';

export interface ProjectRouteDeps {
  store: Store;
  appCredentials: boolean;
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

export function projectRoutes(deps: ProjectRouteDeps): Router {
  const { store } = deps;
  const router = Router();

  // The Projects view (R5).
  router.get('/users/:userId/projects', async (req, res) => {
    const { userId } = parseParams(userParams, req.params);
    const { include, limit = 100, cursor } = parseQuery(projectsQuery, req.query);
    const after = parseCursor(cursor);
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
    } satisfies ProjectsAnswer);
  });

  return router;
}

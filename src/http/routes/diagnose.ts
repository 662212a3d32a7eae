import { Router } from 'express';
import type { GitHubPort } from '../../github/github-port.js';
import { diagnose, type DiagnoseDeps } from '../../explain/diagnose-repo.js';
import { refreshInstallations } from '../../reconcile/refresh-installations.js';
import { apiContext } from '../../reconcile/sync-context.js';
import type { DiagnosisJson } from '../api-shapes.js';
import { HttpError } from '../http-error.js';
import { platformId, queryString, repoFullName } from '../validate.js';
import { requireUser } from './users.js';

export function diagnoseRoutes(deps: DiagnoseDeps & { github: GitHubPort; now: () => Date }): Router {
  const router = Router();
  // The troubleshooting order (R10), answered: GET /api/diagnose?userId=&repo=owner/name.
  router.get('/diagnose', async (req, res) => {
    for (const name of Object.keys(req.query))
      if (name !== 'userId' && name !== 'repo')
        throw new HttpError(400, 'invalid_query', `unknown parameter ${name}; use userId and repo`);
    const rawUser = queryString(req.query.userId, 'userId');
    const rawRepo = queryString(req.query.repo, 'repo');
    if (rawUser === undefined || rawRepo === undefined)
      throw new HttpError(400, 'invalid_query', 'userId and repo (owner/name) are both required');
    const userId = platformId(rawUser, 'userId');
    const repo = repoFullName(rawRepo, 'repo');
    await requireUser(deps.store, userId);
    // Whose installation is whose needs each account login: missing metadata is filled first
    // (R6), as a step of its own that the answer reports, and the diagnosis then only reads.
    const linked = await deps.store.listInstallations(await deps.store.listLinkedInstallationIds(userId));
    const refreshed = await refreshInstallations(deps, apiContext(deps.now), linked);
    res.json({
      userId,
      repo,
      steps: await diagnose(deps, userId, repo),
      metadataRefresh: refreshed.map(({ installation, refresh }) => ({ installationId: installation.id, ...refresh })),
    } satisfies DiagnosisJson);
  });
  return router;
}

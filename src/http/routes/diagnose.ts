import { Router } from 'express';
import type { GitHubPort } from '../../github/github-port.js';
import { diagnose, type DiagnoseDeps } from '../../explain/diagnose-repo.js';
import { refreshInstallations } from '../../reconcile/refresh-installations.js';
import { apiContext } from '../../reconcile/sync-context.js';
import type { DiagnosisJson } from '../api-shapes.js';
import { diagnoseQuery } from '../openapi/overview.js';
import { parseQuery } from '../openapi/parse-request.js';
import { requireUser } from './users.js';

export function diagnoseRoutes(deps: DiagnoseDeps & { github: GitHubPort; now: () => Date }): Router {
  const router = Router();
  // The troubleshooting order (R10), answered: GET /api/diagnose?userId=&repo=owner/name.
  router.get('/diagnose', async (req, res) => {
    const { userId, repo } = parseQuery(diagnoseQuery, req.query);
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

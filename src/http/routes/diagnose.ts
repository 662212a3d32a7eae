import { Router } from 'express';
import { diagnose, type DiagnoseDeps } from '../../reconcile/diagnose-repo.js';
import type { DiagnosisJson } from '../api-shapes.js';
import { HttpError } from '../http-error.js';
import { platformId, queryString, repoFullName } from '../validate.js';
import { requireUser } from './users.js';

export function diagnoseRoutes(deps: DiagnoseDeps): Router {
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
    res.json({ userId, repo, steps: await diagnose(deps, userId, repo) } satisfies DiagnosisJson);
  });
  return router;
}

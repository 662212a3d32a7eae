import { Router } from 'express';
import { readSummary } from '../../explain/summary.js';
import type { Store } from '../../store/store.js';
import type { SummaryJson } from '../api-shapes.js';

/** The Observability view's overview (explain/summary.ts). */
export function summaryRoutes(store: Store): Router {
  const router = Router();
  router.get('/summary', async (_req, res) => {
    res.json((await readSummary(store)) satisfies SummaryJson);
  });
  return router;
}

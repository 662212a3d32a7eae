import { Router } from 'express';
import type { Store } from '../../store/store.js';
import type { WakesPage } from '../api-shapes.js';
import { queryLimit, queryString, seqCursor } from '../validate.js';

// The wake outbox, read by the platform's runner (docs/routing.md, "Wakes"): oldest first, and
// the cursor only moves forward, so a runner that keeps nextCursor sees every wake once.

export function wakeRoutes(store: Store): Router {
  const router = Router();
  router.get('/wakes', async (req, res) => {
    const limit = queryLimit(queryString(req.query.limit, 'limit'), 100, 1000);
    const afterSeq = seqCursor(req.query.cursor);
    const wakes = await store.listWakes({ limit, ...(afterSeq !== undefined ? { afterSeq } : {}) });
    const last = wakes.at(-1);
    res.json({
      wakes,
      nextCursor: last !== undefined ? String(last.seq) : afterSeq !== undefined ? String(afterSeq) : null,
    } satisfies WakesPage);
  });
  return router;
}

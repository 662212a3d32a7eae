import { Router } from 'express';
import { resolveSearch } from '../../explain/search-box.js';
import type { Store } from '../../store/store.js';
import type { SearchAnswer } from '../api-shapes.js';
import { searchQuery } from '../openapi/investigation.js';
import { parseQuery } from '../openapi/parse-request.js';

/** `GET /api/search?q=`: what the search box text names (explain/search-box.ts). */
export function searchRoutes(store: Store): Router {
  const router = Router();
  router.get('/search', async (req, res) => {
    const { q } = parseQuery(searchQuery, req.query);
    res.json({ query: q, matches: await resolveSearch(store, q) } satisfies SearchAnswer);
  });
  return router;
}

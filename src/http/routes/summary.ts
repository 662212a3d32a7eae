import { Router } from 'express';
import type { RebindSkipReason } from '../../domain/decide-rebind.js';
import type { Store } from '../../store/store.js';
import type { SummaryJson } from '../api-shapes.js';

// The Observability view's overview: coverage, installation states, the inbox, and rebind skips
// (the design card's "Grafana dashboards on coverage and rebind skips", without Grafana).

const SKIP_REASONS: readonly RebindSkipReason[] = [
  'no_installations',
  'several_installations',
  'installation_mismatch',
];
const RECENT_SKIPS = 10;

export function summaryRoutes(store: Store): Router {
  const router = Router();
  router.get('/summary', async (_req, res) => {
    const skips = await store.countAuditByReason('rebind.skipped');
    res.json({
      coverage: await store.countReposByCoverage(),
      installations: await store.countInstallationsByState(),
      inbox: await store.inboxBacklog(),
      rebindSkips: {
        total: Object.values(skips).reduce((a, b) => a + b, 0),
        byReason: Object.fromEntries(SKIP_REASONS.map((reason) => [reason, skips[reason] ?? 0])),
        recent: await store.listAudit({ limit: RECENT_SKIPS, order: 'newest', kind: 'rebind.skipped' }),
      },
    } satisfies SummaryJson);
  });
  return router;
}

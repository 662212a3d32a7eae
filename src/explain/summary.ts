import type { AuditRecord } from '../domain/audit/index.js';
import type { RebindSkipReason } from '../domain/decide-rebind.js';
import type { Coverage } from '../domain/projects.js';
import type { InstallationState } from '../domain/entities.js';
import type { InboxBacklog, Store } from '../store/store.js';

// The overview of the routing model: coverage, installation states, the inbox, and rebind
// skips (the design card's "Grafana dashboards on coverage and rebind skips", without Grafana).

const SKIP_REASONS: readonly RebindSkipReason[] = [
  'no_installations',
  'several_installations',
  'installation_mismatch',
];
const RECENT_SKIPS = 10;

export interface Summary {
  coverage: Record<Coverage, number>;
  installations: Record<InstallationState, number>;
  inbox: InboxBacklog;
  rebindSkips: { total: number; byReason: Record<RebindSkipReason, number>; recent: AuditRecord[] };
}

export async function readSummary(store: Store): Promise<Summary> {
  const skips = await store.countAuditByReason('rebind.skipped');
  return {
    coverage: await store.countReposByCoverage(),
    installations: await store.countInstallationsByState(),
    inbox: await store.inboxBacklog(),
    rebindSkips: {
      total: Object.values(skips).reduce((a, b) => a + b, 0),
      byReason: Object.fromEntries(SKIP_REASONS.map((reason) => [reason, skips[reason] ?? 0])) as Record<
        RebindSkipReason,
        number
      >,
      recent: await store.listAudit({ limit: RECENT_SKIPS, order: 'newest', kind: 'rebind.skipped' }),
    },
  };
}

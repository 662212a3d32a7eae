import type { AuditRecordJson, Json, SummaryJson } from '../../api-shapes.js';
import { api, report } from './api.js';
import { byId, code, fill, h, muted, orDash, setStatus, table } from './dom.js';
import { time } from './format.js';

// The overview cards (coverage, installations, inbox, rebind skips) and the recent rebind skips,
// from GET /api/summary.

type Tone = 'good' | 'warn' | 'bad';

function figure(metric: string, value: number | null | undefined, label: string, tone: Tone): HTMLElement {
  return h('div', { class: `figure${value !== null && value !== undefined && value > 0 ? ` tone-${tone}` : ''}` }, [
    h('span', { class: 'value', 'data-metric': metric, text: value ?? '—' }),
    h('span', { class: 'label', text: label }),
  ]);
}

const objectOf = (value: Json): { [key: string]: Json } =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? value : {};

function renderRebindSkips(records: readonly AuditRecordJson[]): void {
  const target = byId('rebind-skips');
  if (records.length === 0) {
    fill(target, h('p', { class: 'muted', text: 'No rebind was skipped.' }));
    return;
  }
  const rows = records.map((record) => {
    const after = objectOf(record.after);
    const held = Array.isArray(after.installationIds) ? after.installationIds.join(', ') : '';
    const synced =
      after.syncedInstallationId !== undefined ? after.syncedInstallationId : record.subject.installationId;
    return h('tr', {}, [
      h('td', {}, time(record.occurredAt)),
      h('td', {}, orDash(record.subject.userId)),
      h('td', {}, code(record.reason || '')),
      h('td', {}, held ? held : muted('none')),
      h('td', {}, orDash(synced === undefined || typeof synced === 'object' ? null : String(synced))),
    ]);
  });
  fill(target, table(null, ['When', 'User', 'Reason', 'Installations held', 'Synced'], rows));
}

function renderSummary(summary: SummaryJson): void {
  const { coverage, installations, inbox, rebindSkips: skips } = summary;
  fill(
    byId('coverage-figures'),
    figure('coverage.covered', coverage.covered, 'covered', 'good'),
    figure('coverage.visible_only', coverage.visible_only, 'visible only', 'warn'),
    figure('coverage.bound_to_gone', coverage.bound_to_gone, 'bound to gone', 'bad'),
  );
  fill(
    byId('installations-figures'),
    figure('installations.active', installations.active, 'active', 'good'),
    figure('installations.suspended', installations.suspended, 'suspended', 'warn'),
    figure('installations.deleted', installations.deleted, 'deleted', 'bad'),
  );
  fill(
    byId('inbox-figures'),
    figure('inbox.pending', inbox.pending, 'pending', 'warn'),
    h('div', { class: 'figure wide' }, [
      h('span', { class: 'label', text: 'oldest pending' }),
      inbox.oldestReceivedAt ? h('span', {}, time(inbox.oldestReceivedAt)) : muted('none waiting'),
    ]),
  );
  fill(
    byId('rebind-figures'),
    figure('rebindSkips.total', skips.total, 'total', 'warn'),
    h(
      'ul',
      { class: 'reasons' },
      Object.entries(skips.byReason).map(([reason, count]) =>
        h('li', {}, [code(reason), ' ', h('strong', { 'data-metric': `rebindSkips.${reason}`, text: count })]),
      ),
    ),
  );
  renderRebindSkips(skips.recent);
}

export async function loadSummary(): Promise<void> {
  setStatus('summary-status', '');
  try {
    renderSummary(await api<SummaryJson>('/api/summary'));
  } catch (error) {
    report(error, 'summary-status');
  }
}

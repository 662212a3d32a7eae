import type { SyncsPage } from '../../api-shapes.js';
import { api, report } from './api.js';
import { badge, byId, code, fill, h, muted, setStatus, table } from './dom.js';
import { time } from './format.js';
import { readToken } from './session.js';

// The syncs this replica runs and ran lately, with a progress bar that follows a running one.

// Followed closely while one runs; otherwise looked at now and then for a new one.
const SYNC_POLL_MS = { running: 1000, idle: 5000 };
let syncPoll: ReturnType<typeof setTimeout> | undefined;

function syncRow(sync: SyncsPage['syncs'][number]): HTMLElement {
  const total = Math.max(sync.pagesTotal, sync.pagesDone);
  const running = sync.state === 'running';
  const percent = running ? (total > 0 ? Math.floor((100 * sync.pagesDone) / total) : 0) : 100;
  const changed = Object.entries(sync.decisions)
    .filter(([key, count]) => key !== 'unchanged' && count > 0)
    .map(([key, count]) => `${key} ${count}`)
    .join(', ');
  const tone = sync.state === 'completed' ? 'ok' : sync.state === 'failed' ? 'failed' : 'processing';
  return h('tr', { 'data-sync-id': sync.syncId, 'data-state': sync.state }, [
    h('td', {}, code(sync.userId)),
    h('td', {}, badge(tone, sync.state)),
    h('td', { class: 'progress-cell' }, [
      h('progress', { max: '100', value: String(percent), 'aria-label': `Sync of ${sync.userId}: ${percent}%` }),
      h('span', {
        class: 'progress-text',
        text: `${sync.pagesDone} / ${total || '?'} pages · ${sync.reposSeen} repos`,
      }),
    ]),
    h(
      'td',
      {},
      sync.error
        ? h('span', { class: 'error', text: sync.error })
        : changed || muted(running ? 'deciding…' : 'no change'),
    ),
    h('td', {}, time(sync.startedAt)),
  ]);
}

export function stopSyncPolling(): void {
  clearTimeout(syncPoll);
  syncPoll = undefined;
}

export async function loadSyncs(): Promise<void> {
  stopSyncPolling();
  if (!readToken()) return;
  let syncs: SyncsPage['syncs'];
  try {
    syncs = (await api<SyncsPage>('/api/syncs?limit=10')).syncs;
    setStatus('syncs-status', '');
  } catch (error) {
    report(error, 'syncs-status');
    return;
  }
  // The token was forgotten while this was on its way.
  if (!readToken()) return;
  const target = byId('syncs');
  if (syncs.length === 0) fill(target, h('p', { class: 'muted', text: 'No sync has run on this replica lately.' }));
  else fill(target, table('syncs', ['User', 'State', 'Progress', 'Decisions', 'Started'], syncs.map(syncRow)));
  const running = syncs.some((sync) => sync.state === 'running');
  const runningCount = syncs.filter((sync) => sync.state === 'running').length;
  byId('syncs-count').textContent =
    syncs.length === 0 ? 'none lately' : `${runningCount} running · ${syncs.length - runningCount} finished lately`;
  syncPoll = setTimeout(() => void loadSyncs(), running ? SYNC_POLL_MS.running : SYNC_POLL_MS.idle);
}

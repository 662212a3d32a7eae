import type { EndpointJson, EndpointsPage, RequeueAnswer, SendsPage, WakeSendJson } from '../../api-shapes.js';
import { api, report } from './api.js';
import { badge, byId, code, fill, h, muted, orDash, setStatus, table } from './dom.js';
import { time } from './format.js';
import { readToken } from './session.js';

// Runner endpoints (docs/wake-push.md): how each is doing, and its latest sends with every
// attempt, so "did the runner get the wake?" is answered here; a given-up send can be sent again.

const CONDITION_TONE: Record<EndpointJson['condition'], string> = {
  healthy: 'ok',
  failing: 'processing',
  paused: 'failed',
  disabled: 'unknown',
};

const attemptsText = (send: WakeSendJson): string =>
  send.attemptLog.length === 0 ? 'not tried yet' : send.attemptLog.map((a) => a.status ?? 'no answer').join(' → ');

function sendRow(endpointId: string, send: WakeSendJson): HTMLElement {
  const requeue =
    send.state === 'given_up'
      ? h('button', { type: 'button', class: 'quiet requeue', 'data-send-id': send.id, text: 'Send again' })
      : null;
  requeue?.addEventListener('click', () => void requeueSend(endpointId, send.id));
  const last = send.attemptLog.at(-1);
  return h('tr', { 'data-send-id': send.id, 'data-state': send.state }, [
    h('td', {}, code(send.wakeId)),
    h(
      'td',
      {},
      badge(send.state === 'delivered' ? 'ok' : send.state === 'given_up' ? 'failed' : 'processing', send.state),
    ),
    h('td', { class: 'attempts', text: attemptsText(send) }),
    h('td', { class: 'reason-cell' }, last?.error ? h('span', { class: 'error', text: last.error }) : muted('—')),
    h('td', {}, send.nextAttemptAt ? time(send.nextAttemptAt) : orDash(null)),
    h('td', {}, requeue),
  ]);
}

async function showSends(endpointId: string): Promise<void> {
  const target = byId('endpoint-sends');
  try {
    const { sends } = await api<SendsPage>(`/api/endpoints/${encodeURIComponent(endpointId)}/sends?limit=20`);
    fill(
      target,
      h('h3', {}, ['Latest sends to ', code(endpointId)]),
      sends.length === 0
        ? h('p', { class: 'muted', text: 'No wake was queued for this endpoint yet.' })
        : table(
            'sends',
            ['Wake', 'State', 'Attempts (status)', 'Last error', 'Next attempt', ''],
            sends.map((s) => sendRow(endpointId, s)),
          ),
    );
  } catch (error) {
    report(error, 'endpoints-status');
  }
}

async function requeueSend(endpointId: string, sendId: string): Promise<void> {
  try {
    const { requeued } = await api<RequeueAnswer>(`/api/endpoints/${encodeURIComponent(endpointId)}/requeue`, 'POST', {
      sendId,
    });
    await loadEndpoints();
    await showSends(endpointId);
    setStatus(
      'endpoints-status',
      requeued === 1 ? `Send ${sendId} goes out again.` : `Send ${sendId} was not given up.`,
    );
  } catch (error) {
    report(error, 'endpoints-status');
  }
}

function endpointRow(endpoint: EndpointJson): HTMLElement {
  const row = h('tr', { 'data-endpoint-id': endpoint.id, 'data-condition': endpoint.condition, class: 'clickable' }, [
    h('td', {}, [code(endpoint.id), h('div', { class: 'sub', text: endpoint.url })]),
    h('td', {}, [
      badge(CONDITION_TONE[endpoint.condition], endpoint.condition),
      endpoint.pausedUntil && endpoint.condition === 'paused'
        ? h('div', { class: 'sub' }, ['until ', time(endpoint.pausedUntil)])
        : null,
    ]),
    h('td', { text: endpoint.pending }),
    h('td', { text: endpoint.consecutiveFailures }),
    h('td', {}, endpoint.lastSuccessAt ? time(endpoint.lastSuccessAt) : muted('never')),
    h(
      'td',
      { class: 'reason-cell' },
      endpoint.lastFailure ? h('span', { class: 'error', text: endpoint.lastFailure }) : muted('—'),
    ),
  ]);
  row.addEventListener('click', () => void showSends(endpoint.id));
  return row;
}

export async function loadEndpoints(): Promise<void> {
  if (!readToken()) return;
  try {
    const { endpoints } = await api<EndpointsPage>('/api/endpoints');
    setStatus('endpoints-status', '');
    fill(
      byId('endpoints'),
      endpoints.length === 0
        ? h('p', {
            class: 'muted',
            text: 'No runner endpoint is registered: wakes are only pulled (GET /api/wakes). PUT /api/endpoints/:id registers one.',
          })
        : table(
            'endpoints',
            ['Endpoint', 'Condition', 'Pending', 'Failures in a row', 'Last delivered', 'Last failure'],
            endpoints.map(endpointRow),
          ),
    );
  } catch (error) {
    report(error, 'endpoints-status');
  }
}

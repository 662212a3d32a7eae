import type { DeliveriesPage } from '../../api-shapes.js';
import { api, report } from './api.js';
import { badge, byId, code, h, setStatus } from './dom.js';
import { deliveryHref, eventName, outcomeBadge, time } from './format.js';

// Recent deliveries, newest first, narrowed by outcome ("woke nothing" is the one people want).

const PAGE_SIZE = 25;
const FILTER_LABELS: Record<string, string> = {
  '': 'deliveries',
  woke_nothing: 'deliveries that woke nothing',
  woke: 'deliveries that woke a trigger',
  not_routed: 'deliveries not routed',
};

/** The list's state; `generation` tells an answer still on its way that it is outdated. */
export const list = {
  outcome: '',
  cursor: null as string | null,
  generation: 0,
  openId: null as string | null,
  reload: undefined as ReturnType<typeof setTimeout> | undefined,
};

let openStory = (_id: string): void => {};

/** What a click on the delivery already open does: its story is read again (story.ts). */
export function whenReopened(open: (id: string) => void): void {
  openStory = open;
}

function deliveryRow(delivery: DeliveriesPage['deliveries'][number]): HTMLElement {
  const waiting = delivery.state === 'failed' || delivery.state === 'received' || delivery.state === 'processing';
  const row = h('tr', { 'data-delivery-id': delivery.id, class: delivery.id === list.openId ? 'selected' : null }, [
    h(
      'td',
      { class: 'when' },
      h('a', { href: deliveryHref(delivery.id), title: `delivery ${delivery.id}` }, time(delivery.receivedAt)),
    ),
    h('td', {}, [
      code(eventName(delivery)),
      h('div', { class: 'sub' }, [
        delivery.repoId !== null ? `repo ${delivery.repoId}` : 'no repo',
        delivery.installationId !== null ? ` · installation ${delivery.installationId}` : '',
      ]),
    ]),
    h('td', {}, [outcomeBadge(delivery.outcome || 'not_routed'), waiting ? [' ', badge(delivery.state)] : null]),
    h('td', { class: 'summary-cell', text: delivery.summary || '' }),
  ]);
  row.addEventListener('click', (event) => {
    event.preventDefault();
    // Opening the delivery that is already in the hash reloads its story.
    if (location.hash === deliveryHref(delivery.id)) openStory(delivery.id);
    else location.hash = deliveryHref(delivery.id);
  });
  return row;
}

export async function loadDeliveries(reset: boolean): Promise<void> {
  const generation = ++list.generation;
  const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (list.outcome) params.set('outcome', list.outcome);
  if (!reset && list.cursor) params.set('cursor', list.cursor);
  const body = byId('deliveries-body');
  if (reset) byId('more-deliveries').hidden = true;
  setStatus('deliveries-status', 'Loading…');
  try {
    const page = await api<DeliveriesPage>(`/api/deliveries?${params.toString()}`);
    if (generation !== list.generation) return;
    if (reset) body.replaceChildren();
    for (const delivery of page.deliveries) body.append(deliveryRow(delivery));
    list.cursor = page.nextCursor;
    byId('more-deliveries').hidden = !page.nextCursor;
    const shown = body.children.length;
    const what = FILTER_LABELS[list.outcome] || 'deliveries';
    setStatus(
      'deliveries-status',
      shown === 0 ? `No ${what}.` : `${shown} ${what}, newest first${page.nextCursor ? '; older ones below.' : '.'}`,
    );
  } catch (error) {
    if (generation === list.generation) report(error, 'deliveries-status');
  }
}

export function chooseFilter(outcome: string): void {
  list.outcome = outcome;
  for (const button of document.querySelectorAll<HTMLButtonElement>('.filters button')) {
    button.setAttribute('aria-pressed', String(button.dataset.outcome === outcome));
  }
  void loadDeliveries(true);
}

export function markSelected(): void {
  for (const row of byId('deliveries-body').children) {
    row.classList.toggle('selected', (row as HTMLElement).dataset.deliveryId === list.openId);
  }
}

import type { DeliveriesPage, DeliveryItemJson } from '../../api-shapes.js';
import { apiIfChanged, report } from './api.js';
import { badge, byId, code, h, setStatus } from './dom.js';
import { deliveryHref, entityLink, eventName, outcomeBadge, repoLink, time } from './format.js';
import { filterQuery, readFilters, writeFilters, type Filters, isoOfLocalInput, localInputValue } from './filters.js';

// Recent deliveries, newest first, narrowed by the filters in the page's address; new ones
// appear at the top by themselves (a poll that sends the list's ETag and mostly hears 304).

const PAGE_SIZE = 25;
const TAIL_POLL_MS = 4000;

/** The list's state; `generation` tells an answer still on its way that it is outdated. */
export const list = {
  cursor: null as string | null,
  generation: 0,
  openId: null as string | null,
  reload: undefined as ReturnType<typeof setTimeout> | undefined,
  /** The ETag of the first page shown, for the live tail. */
  etag: null as string | null,
  tail: undefined as ReturnType<typeof setTimeout> | undefined,
};

let openStory = (_id: string): void => {};

/** What a click on the delivery already open does: its story is read again (story.ts). */
export function whenReopened(open: (id: string) => void): void {
  openStory = open;
}

/** Problem or expected non-match: what "woke nothing" means for this one. */
function problemTag(delivery: DeliveryItemJson): HTMLElement | null {
  if (delivery.outcome !== 'woke_none' && delivery.outcome !== 'no_candidates') return null;
  if (delivery.problem === undefined) return null;
  return delivery.problem
    ? h('span', {
        class: 'tag tag-problem',
        text: 'problem',
        title: 'a binding, coverage or installation reason: something to fix',
      })
    : h('span', {
        class: 'tag tag-expected',
        text: 'expected',
        title: 'not subscribed, outside the root directory, or no trigger: working as configured',
      });
}

function deliveryRow(delivery: DeliveryItemJson, fresh = false): HTMLElement {
  const waiting = delivery.state === 'failed' || delivery.state === 'received' || delivery.state === 'processing';
  const classes = [delivery.id === list.openId ? 'selected' : '', fresh ? 'fresh' : ''].filter(Boolean).join(' ');
  const row = h(
    'tr',
    {
      'data-delivery-id': delivery.id,
      'data-problem': delivery.problem === undefined ? null : String(delivery.problem),
      class: classes || null,
    },
    [
      h(
        'td',
        { class: 'when' },
        h('a', { href: deliveryHref(delivery.id), title: `delivery ${delivery.id}` }, time(delivery.receivedAt)),
      ),
      h('td', { class: 'event-cell' }, [
        code(eventName(delivery)),
        h('div', { class: 'sub' }, [
          delivery.repoId !== null ? repoLink(delivery.repoId, delivery.repoFullName) : 'no repo',
          delivery.installationId !== null
            ? [' · ', entityLink('installation', delivery.installationId, `installation ${delivery.installationId}`)]
            : '',
        ]),
      ]),
      h('td', { class: 'outcome-cell' }, [
        outcomeBadge(delivery.outcome || 'not_routed'),
        waiting ? [' ', badge(delivery.state)] : null,
        ' ',
        problemTag(delivery),
        (delivery.reasons ?? []).length > 0
          ? h(
              'div',
              { class: 'sub reasons-line' },
              (delivery.reasons ?? []).map((reason) => h('code', { class: 'reason-code', text: reason })),
            )
          : null,
      ]),
      h('td', { class: 'summary-cell', text: delivery.summary || '' }),
    ],
  );
  row.addEventListener('click', (event) => {
    // A link inside the row (a repo, an installation) goes where it points.
    if ((event.target as Element).closest('a.entity-link')) return;
    event.preventDefault();
    // Opening the delivery that is already in the hash reloads its story.
    if (location.hash === deliveryHref(delivery.id)) openStory(delivery.id);
    else location.hash = deliveryHref(delivery.id);
  });
  return row;
}

function describe(filters: Filters, shown: number, more: boolean): string {
  const narrowed = Object.keys(filters).length > 0;
  if (shown === 0) return narrowed ? 'No delivery matches these filters.' : 'No delivery was received yet.';
  const rows = [...byId('deliveries-body').children] as HTMLElement[];
  const problems = rows.filter((r) => r.dataset.problem === 'true').length;
  const expected = rows.filter(
    (r) => r.dataset.problem === 'false' && r.querySelector('.tag-expected') !== null,
  ).length;
  const split =
    problems + expected > 0 ? ` (woke nothing: ${problems} problems, ${expected} expected non-matches)` : '';
  return `${shown} deliveries${narrowed ? ' matching the filters' : ''}, newest first${split}${more ? '; older ones below.' : '.'}`;
}

const pagePath = (filters: Filters, cursor: string | null): string => {
  const params = filterQuery(filters);
  params.set('limit', String(PAGE_SIZE));
  if (cursor) params.set('cursor', cursor);
  return `/api/deliveries?${params.toString()}`;
};

export async function loadDeliveries(reset: boolean): Promise<void> {
  const generation = ++list.generation;
  const filters = readFilters();
  const body = byId('deliveries-body');
  if (reset) byId('more-deliveries').hidden = true;
  setStatus('deliveries-status', 'Loading…');
  try {
    const answered = await apiIfChanged<DeliveriesPage>(pagePath(filters, reset ? null : list.cursor), null);
    if (generation !== list.generation || answered === null) return;
    const page = answered.answer;
    if (reset) {
      body.replaceChildren();
      list.etag = answered.etag;
    }
    for (const delivery of page.deliveries) body.append(deliveryRow(delivery));
    list.cursor = page.nextCursor;
    byId('more-deliveries').hidden = !page.nextCursor;
    setStatus('deliveries-status', describe(filters, body.children.length, page.nextCursor !== null));
  } catch (error) {
    if (generation === list.generation) report(error, 'deliveries-status');
  }
  if (reset) followNewest();
}

/** The live tail: the first page again, with the ETag of the one shown; new deliveries go on top. */
async function pollNewest(): Promise<void> {
  const generation = list.generation;
  const filters = readFilters();
  const answered = await apiIfChanged<DeliveriesPage>(pagePath(filters, null), list.etag).catch(() => null);
  if (answered === null || generation !== list.generation) return;
  list.etag = answered.etag;
  const body = byId('deliveries-body');
  const shown = new Set([...body.children].map((row) => (row as HTMLElement).dataset.deliveryId));
  const fresh = answered.answer.deliveries.filter((delivery) => !shown.has(delivery.id));
  // Newest first: the new ones are those above the newest row already shown.
  body.prepend(...fresh.map((delivery) => deliveryRow(delivery, true)));
  // A delivery shown waiting may be finished now: its row is redrawn.
  for (const delivery of answered.answer.deliveries) {
    const row = body.querySelector<HTMLElement>(`tr[data-delivery-id="${CSS.escape(delivery.id)}"]`);
    if (row && !fresh.includes(delivery)) row.replaceWith(deliveryRow(delivery, row.classList.contains('fresh')));
  }
  if (fresh.length > 0) setStatus('deliveries-status', describe(filters, body.children.length, list.cursor !== null));
}

export function followNewest(): void {
  clearTimeout(list.tail);
  list.tail = setTimeout(() => {
    void (document.hidden ? Promise.resolve() : pollNewest()).finally(() => {
      if (list.tail !== undefined) followNewest();
    });
  }, TAIL_POLL_MS);
}

export function stopFollowing(): void {
  clearTimeout(list.tail);
  list.tail = undefined;
}

/** The outcome buttons: "Problems" is woke nothing for a problem reason. */
export function chooseFilter(outcome: string, problemsOnly: boolean): void {
  const filters = readFilters();
  delete filters.outcome;
  delete filters.problems;
  if (outcome) filters.outcome = outcome;
  if (problemsOnly) filters.problems = '1';
  writeFilters(filters);
  showFilters();
  void loadDeliveries(true);
}

const FORM_FIELDS = ['event', 'action', 'reason', 'installation', 'repo'] as const;

/** The filter controls show what the address says. */
export function showFilters(): void {
  const filters = readFilters();
  for (const button of document.querySelectorAll<HTMLButtonElement>('.filters button')) {
    const matches =
      (button.dataset.outcome || '') === (filters.outcome ?? '') &&
      (button.dataset.problems === '1') === (filters.problems === '1');
    button.setAttribute('aria-pressed', String(matches));
  }
  for (const name of FORM_FIELDS) byId<HTMLInputElement>(`filter-${name}`).value = filters[name] ?? '';
  byId<HTMLInputElement>('filter-since').value = localInputValue(filters.since);
  byId<HTMLInputElement>('filter-until').value = localInputValue(filters.until);
  byId<HTMLInputElement>('filter-problems').checked = filters.problems === '1';
  const active = Object.keys(filters).length;
  byId('filters-summary').textContent = active === 0 ? 'Filters' : `Filters (${active})`;
}

/** The filter form's values into the address, then the list again. */
export function applyFilterForm(event: SubmitEvent): void {
  event.preventDefault();
  const filters: Filters = { ...readFilters() };
  for (const name of FORM_FIELDS) {
    const value = byId<HTMLInputElement>(`filter-${name}`).value.trim();
    if (value) filters[name] = value;
    else delete filters[name];
  }
  for (const name of ['since', 'until'] as const) {
    const iso = isoOfLocalInput(byId<HTMLInputElement>(`filter-${name}`).value);
    if (iso) filters[name] = iso;
    else delete filters[name];
  }
  if (byId<HTMLInputElement>('filter-problems').checked) filters.problems = '1';
  else delete filters.problems;
  writeFilters(filters);
  showFilters();
  void loadDeliveries(true);
}

export function clearFilters(): void {
  writeFilters({});
  showFilters();
  void loadDeliveries(true);
}

export function markSelected(): void {
  for (const row of byId('deliveries-body').children) {
    row.classList.toggle('selected', (row as HTMLElement).dataset.deliveryId === list.openId);
  }
}

import { whenTokenRefused } from './api.js';
import { byId, fill, h } from './dom.js';
import {
  applyFilterForm,
  chooseFilter,
  clearFilters,
  list,
  loadDeliveries,
  showFilters,
  stopFollowing,
  whenReopened,
} from './deliveries.js';
import { runDiagnosis } from './diagnose.js';
import { closeEntity, openEntity } from './entity.js';
import { loadEndpoints } from './endpoints.js';
import { runSearch } from './search.js';
import { askForToken, dropToken, readToken, saveToken, showMain } from './session.js';
import { openStory } from './story.js';
import { loadSummary } from './summary.js';
import { loadSyncs, stopSyncPolling } from './syncs.js';

// The Observability view's entry, served as /view/app.js (a module: it imports its siblings
// from /view/). It asks for the API token once, then reads everything it shows from /api. The
// address says what is open: filters in the query (?event=push&problems=1), a delivery or an
// entity in the hash (#delivery=…, #repo=…, #trigger=…, #automation=…, #installation=…, #trace=…).

function clearData(): void {
  byId('deliveries-body').replaceChildren();
  fill(byId('story'), h('p', { class: 'muted', text: 'Choose a delivery to see its story.' }));
  byId('diagnose-result').replaceChildren();
  byId('rebind-skips').replaceChildren();
  byId('syncs').replaceChildren();
  byId('endpoints').replaceChildren();
  byId('endpoint-sends').replaceChildren();
  byId('search-results').replaceChildren();
  closeEntity();
  stopSyncPolling();
  stopFollowing();
  for (const id of ['coverage-figures', 'installations-figures', 'inbox-figures', 'rebind-figures'])
    byId(id).replaceChildren();
  list.cursor = null;
  list.openId = null;
  list.etag = null;
  // A page still on its way, or a reload still scheduled, belongs to the session just ended.
  list.generation += 1;
  clearTimeout(list.reload);
}

const ENTITY_KINDS = ['repo', 'trigger', 'automation', 'installation', 'trace'] as const;

/** Opens what the hash names; an address that is not valid percent-encoding names nothing. */
function openFromHash(): void {
  const match = /^#([a-z]+)=(.+)$/.exec(location.hash);
  if (!match?.[1] || !match[2]) return;
  let id: string;
  try {
    id = decodeURIComponent(match[2]);
  } catch {
    return;
  }
  const kind = match[1];
  if (kind === 'delivery') void openStory(id);
  else if ((ENTITY_KINDS as readonly string[]).includes(kind))
    void openEntity(kind as (typeof ENTITY_KINDS)[number], id);
}

function loadAll(): void {
  showMain();
  showFilters();
  void loadSummary();
  void loadSyncs();
  void loadEndpoints();
  void loadDeliveries(true);
  openFromHash();
}

function start(): void {
  whenTokenRefused(clearData);
  whenReopened((id) => void openStory(id));
  byId('token-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const input = byId<HTMLInputElement>('token-input');
    const token = input.value.trim();
    if (!token) return;
    saveToken(token);
    input.value = '';
    loadAll();
  });
  byId('forget-token').addEventListener('click', () => {
    dropToken();
    clearData();
    askForToken('The token is forgotten. Enter it to continue.');
  });
  for (const button of document.querySelectorAll<HTMLButtonElement>('.filters button')) {
    button.addEventListener('click', () => chooseFilter(button.dataset.outcome || '', button.dataset.problems === '1'));
  }
  byId<HTMLFormElement>('filters-form').addEventListener('submit', applyFilterForm);
  byId('filters-clear').addEventListener('click', clearFilters);
  byId<HTMLFormElement>('search-form').addEventListener('submit', (event) => void runSearch(event));
  byId('entity-close').addEventListener('click', (event) => {
    event.preventDefault();
    closeEntity();
    history.replaceState(null, '', `${location.pathname}${location.search}`);
  });
  byId('refresh').addEventListener('click', () => {
    void loadSummary();
    void loadSyncs();
    void loadEndpoints();
    void loadDeliveries(true);
  });
  byId('more-deliveries').addEventListener('click', () => void loadDeliveries(false));
  byId<HTMLFormElement>('diagnose-form').addEventListener('submit', (event) => void runDiagnosis(event));
  window.addEventListener('hashchange', openFromHash);
  // A link that changes the query (a filter link on an entity page) reloads the list, not the page.
  window.addEventListener('popstate', () => {
    showFilters();
    void loadDeliveries(true);
  });
  if (readToken()) loadAll();
  else askForToken('');
}

start();

import { whenTokenRefused } from './api.js';
import { byId, fill, h } from './dom.js';
import { chooseFilter, list, loadDeliveries, whenReopened } from './deliveries.js';
import { runDiagnosis } from './diagnose.js';
import { loadEndpoints } from './endpoints.js';
import { askForToken, dropToken, readToken, saveToken, showMain } from './session.js';
import { openFromHash, openStory } from './story.js';
import { loadSummary } from './summary.js';
import { loadSyncs, stopSyncPolling } from './syncs.js';

// The Observability view's entry, served as /view/app.js (a module: it imports its siblings
// from /view/). It asks for the API token once, then reads everything it shows from /api.

function clearData(): void {
  byId('deliveries-body').replaceChildren();
  fill(byId('story'), h('p', { class: 'muted', text: 'Choose a delivery to see its story.' }));
  byId('diagnose-result').replaceChildren();
  byId('rebind-skips').replaceChildren();
  byId('syncs').replaceChildren();
  byId('endpoints').replaceChildren();
  byId('endpoint-sends').replaceChildren();
  stopSyncPolling();
  for (const id of ['coverage-figures', 'installations-figures', 'inbox-figures', 'rebind-figures'])
    byId(id).replaceChildren();
  list.cursor = null;
  list.openId = null;
  // A page still on its way, or a reload still scheduled, belongs to the session just ended.
  list.generation += 1;
  clearTimeout(list.reload);
}

function loadAll(): void {
  showMain();
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
    button.addEventListener('click', () => chooseFilter(button.dataset.outcome || ''));
  }
  byId('refresh').addEventListener('click', () => {
    void loadSummary();
    void loadSyncs();
    void loadEndpoints();
    void loadDeliveries(true);
  });
  byId('more-deliveries').addEventListener('click', () => void loadDeliveries(false));
  byId<HTMLFormElement>('diagnose-form').addEventListener('submit', (event) => void runDiagnosis(event));
  window.addEventListener('hashchange', openFromHash);
  if (readToken()) loadAll();
  else askForToken('');
}

start();

// The Observability view's browser script, served as /view/app.js. Plain JavaScript in a string
// (no framework, no build step, nothing from a CDN), so it is written without template literals.
// Every value from the API reaches the DOM through text nodes or textContent, never innerHTML;
// the only attributes built from data are `#delivery=` links (encodeURIComponent) and the trace
// link, whose URL must come out as http(s).

export const PAGE_SCRIPT = String.raw`'use strict';
(function () {
  const TOKEN_KEY = 'reconciler.apiToken';
  const PAGE_SIZE = 25;
  const OUTCOME_LABELS = { woke: 'woke', woke_none: 'woke none', no_candidates: 'no candidates', not_routed: 'not routed' };
  const FILTER_LABELS = { '': 'deliveries', woke_nothing: 'deliveries that woke nothing', woke: 'deliveries that woke a trigger', not_routed: 'deliveries not routed' };

  const byId = (id) => document.getElementById(id);
  const traceTemplate = (document.querySelector('meta[name="reconciler-trace-url-template"]') || {}).content || '';

  // ---- DOM building: text only --------------------------------------------------------------

  function h(tag, props, children) {
    const node = document.createElement(tag);
    if (props) {
      for (const key of Object.keys(props)) {
        const value = props[key];
        if (value === null || value === undefined || value === false) continue;
        if (key === 'class') node.className = value;
        else if (key === 'text') node.textContent = String(value);
        else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
        else node.setAttribute(key, value === true ? '' : String(value));
      }
    }
    append(node, children);
    return node;
  }

  function append(node, children) {
    if (children === null || children === undefined || children === false) return;
    for (const child of Array.isArray(children) ? children.flat(Infinity) : [children]) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : String(child));
    }
  }

  /** Replaces a node's children; like append, it skips null and flattens arrays. */
  function fill(node, ...children) {
    node.replaceChildren();
    append(node, children);
  }

  const code = (value) => h('code', { text: value });
  const muted = (value) => h('span', { class: 'muted', text: value });
  const orDash = (value) => (value === null || value === undefined || value === '' ? muted('—') : String(value));
  const deliveryHref = (id) => '#delivery=' + encodeURIComponent(id);

  function badge(kind, label) {
    return h('span', { class: 'badge badge-' + String(kind).replace(/[^a-z_]/g, ''), text: label || kind });
  }
  const outcomeBadge = (outcome) => badge(outcome, OUTCOME_LABELS[outcome] || outcome);

  /** Local time; today's times without the date (the ISO time is in the tooltip). */
  function time(iso) {
    if (!iso) return muted('—');
    const at = new Date(iso);
    if (Number.isNaN(at.getTime())) return String(iso);
    const today = at.toDateString() === new Date().toDateString();
    const text = today
      ? at.toLocaleTimeString(undefined, { timeStyle: 'medium' })
      : at.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
    return h('time', { datetime: iso, title: iso, text: text });
  }

  function ago(iso) {
    const ms = Date.now() - new Date(iso).getTime();
    if (!Number.isFinite(ms)) return '';
    const s = Math.max(0, Math.round(ms / 1000));
    if (s < 90) return s + ' s ago';
    if (s < 5400) return Math.round(s / 60) + ' min ago';
    if (s < 172800) return Math.round(s / 3600) + ' h ago';
    return Math.round(s / 86400) + ' days ago';
  }

  function setStatus(id, message, isError) {
    const node = byId(id);
    node.textContent = message || '';
    node.classList.toggle('error', Boolean(isError));
  }

  /** The trace link: the configured template with {traceId} replaced, only if it is an http(s) URL. */
  function traceUrl(traceId) {
    if (!traceTemplate || !traceId) return null;
    try {
      const url = new URL(traceTemplate.split('{traceId}').join(encodeURIComponent(traceId)), location.href);
      return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
    } catch (error) {
      return null;
    }
  }

  // ---- the token ----------------------------------------------------------------------------

  let memoryToken = null;
  function storage() {
    try {
      return window.sessionStorage;
    } catch (error) {
      return null;
    }
  }
  function readToken() {
    const store = storage();
    return (store && store.getItem(TOKEN_KEY)) || memoryToken;
  }
  function saveToken(token) {
    memoryToken = token;
    const store = storage();
    if (store) store.setItem(TOKEN_KEY, token);
  }
  function dropToken() {
    memoryToken = null;
    const store = storage();
    if (store) store.removeItem(TOKEN_KEY);
  }

  class AuthNeeded extends Error {}
  class ApiError extends Error {}

  function askForToken(message) {
    byId('main').hidden = true;
    byId('forget-token').hidden = true;
    byId('token-state').textContent = 'No API token';
    byId('token-panel').hidden = false;
    const note = byId('token-message');
    note.textContent = message || '';
    note.hidden = !message;
    const input = byId('token-input');
    input.value = '';
    input.focus();
  }

  function showMain() {
    byId('token-panel').hidden = true;
    byId('main').hidden = false;
    byId('forget-token').hidden = false;
    byId('token-state').textContent = 'API token kept in this tab';
  }

  /** Every /api call: the bearer token, JSON both ways; a 401 forgets the token and asks again. */
  async function api(path, method) {
    const token = readToken();
    if (!token) {
      askForToken('');
      throw new AuthNeeded('no token');
    }
    let response;
    try {
      response = await fetch(path, {
        method: method || 'GET',
        headers: { Authorization: 'Bearer ' + token, Accept: 'application/json' },
        cache: 'no-store',
      });
    } catch (error) {
      throw new ApiError('the reconciler did not answer (' + error.message + ')');
    }
    if (response.status === 401) {
      dropToken();
      clearData();
      askForToken('The reconciler refused that token. Enter the API token again.');
      throw new AuthNeeded('refused');
    }
    const body = await response.json().catch(() => null);
    if (!response.ok) {
      const message = body && body.error && body.error.message ? body.error.message : 'HTTP ' + response.status;
      throw new ApiError(message);
    }
    return body;
  }

  function report(error, statusId) {
    if (error instanceof AuthNeeded) return;
    setStatus(statusId, error instanceof ApiError ? error.message : 'Something went wrong: ' + error.message, true);
  }

  // ---- summary --------------------------------------------------------------------------------

  function figure(metric, value, label, tone) {
    return h('div', { class: 'figure' + (tone && value > 0 ? ' tone-' + tone : '') }, [
      h('span', { class: 'value', 'data-metric': metric, text: value === null || value === undefined ? '—' : value }),
      h('span', { class: 'label', text: label }),
    ]);
  }

  function renderSummary(summary) {
    const coverage = summary.coverage || {};
    fill(byId('coverage-figures'),
      figure('coverage.covered', coverage.covered, 'covered', 'good'),
      figure('coverage.visible_only', coverage.visible_only, 'visible only', 'warn'),
      figure('coverage.bound_to_gone', coverage.bound_to_gone, 'bound to gone', 'bad'),
    );
    const installations = summary.installations || {};
    fill(byId('installations-figures'),
      figure('installations.active', installations.active, 'active', 'good'),
      figure('installations.suspended', installations.suspended, 'suspended', 'warn'),
      figure('installations.deleted', installations.deleted, 'deleted', 'bad'),
    );
    const inbox = summary.inbox || {};
    fill(byId('inbox-figures'),
      figure('inbox.pending', inbox.pending, 'pending', 'warn'),
      h('div', { class: 'figure wide' }, [
        h('span', { class: 'label', text: 'oldest pending' }),
        inbox.oldestReceivedAt ? h('span', {}, [time(inbox.oldestReceivedAt), ' (' + ago(inbox.oldestReceivedAt) + ')']) : muted('none waiting'),
      ]),
    );
    const skips = summary.rebindSkips || { byReason: {}, recent: [] };
    const byReason = skips.byReason || {};
    fill(byId('rebind-figures'),
      figure('rebindSkips.total', skips.total, 'total', 'warn'),
      h('ul', { class: 'reasons' }, Object.keys(byReason).map((reason) =>
        h('li', {}, [code(reason), ' ', h('strong', { 'data-metric': 'rebindSkips.' + reason, text: byReason[reason] })]))),
    );
    renderRebindSkips(skips.recent || []);
  }

  function subjectText(subject) {
    if (!subject) return '';
    const names = { userId: 'user', repoFullName: 'repo', repoId: 'repo id', installationId: 'installation', automationId: 'automation', triggerId: 'trigger' };
    return Object.keys(names).filter((key) => subject[key] !== undefined && subject[key] !== null)
      .map((key) => names[key] + ' ' + subject[key]).join(' · ');
  }

  function renderRebindSkips(records) {
    const target = byId('rebind-skips');
    if (records.length === 0) {
      fill(target, h('p', { class: 'muted', text: 'No rebind was skipped.' }));
      return;
    }
    fill(target, h('div', { class: 'scroll' }, h('table', {}, [
      h('thead', {}, h('tr', {}, [h('th', { text: 'When' }), h('th', { text: 'User' }), h('th', { text: 'Reason' }), h('th', { text: 'Installations held' }), h('th', { text: 'Synced' })])),
      h('tbody', {}, records.map((record) => {
        const after = record.after && typeof record.after === 'object' ? record.after : {};
        const held = Array.isArray(after.installationIds) ? after.installationIds.join(', ') : '';
        return h('tr', {}, [
          h('td', {}, time(record.occurredAt)),
          h('td', {}, orDash(record.subject && record.subject.userId)),
          h('td', {}, code(record.reason || '')),
          h('td', {}, held ? held : muted('none')),
          h('td', {}, orDash(after.syncedInstallationId !== undefined ? after.syncedInstallationId : record.subject && record.subject.installationId)),
        ]);
      })),
    ])));
  }

  async function loadSummary() {
    setStatus('summary-status', '');
    try {
      renderSummary(await api('/api/summary'));
    } catch (error) {
      report(error, 'summary-status');
    }
  }

  // ---- syncs --------------------------------------------------------------------------------

  // Followed closely while one runs; otherwise looked at now and then for a new one.
  const SYNC_POLL_MS = { running: 1000, idle: 5000 };
  let syncPoll = null;

  function syncRow(sync) {
    const total = Math.max(sync.pagesTotal, sync.pagesDone);
    const running = sync.state === 'running';
    const percent = running ? (total > 0 ? Math.floor((100 * sync.pagesDone) / total) : 0) : 100;
    const decisions = sync.decisions || {};
    const changed = Object.keys(decisions).filter((key) => key !== 'unchanged' && decisions[key] > 0)
      .map((key) => key + ' ' + decisions[key]).join(', ');
    return h('tr', { 'data-sync-id': sync.syncId, 'data-state': sync.state }, [
      h('td', {}, code(sync.userId)),
      h('td', {}, badge(sync.state === 'completed' ? 'ok' : sync.state === 'failed' ? 'failed' : 'processing', sync.state)),
      h('td', { class: 'progress-cell' }, [
        h('progress', { max: '100', value: String(percent), 'aria-label': 'Sync of ' + sync.userId + ': ' + percent + '%' }),
        h('span', { class: 'progress-text', text: sync.pagesDone + ' / ' + (total || '?') + ' pages · ' + sync.reposSeen + ' repos' }),
      ]),
      h('td', {}, sync.error ? h('span', { class: 'error', text: sync.error }) : changed || muted(running ? 'deciding…' : 'no change')),
      h('td', {}, [time(sync.startedAt), ' ', muted('(' + ago(sync.startedAt) + ')')]),
    ]);
  }

  async function loadSyncs() {
    clearTimeout(syncPoll);
    syncPoll = null;
    if (!readToken()) return;
    let syncs;
    try {
      syncs = (await api('/api/syncs?limit=10')).syncs;
      setStatus('syncs-status', '');
    } catch (error) {
      report(error, 'syncs-status');
      return;
    }
    // The token was forgotten while this was on its way.
    if (!readToken()) return;
    const target = byId('syncs');
    if (syncs.length === 0) fill(target, h('p', { class: 'muted', text: 'No sync has run on this replica lately.' }));
    else fill(target, h('div', { class: 'scroll' }, h('table', { class: 'syncs' }, [
      h('thead', {}, h('tr', {}, ['User', 'State', 'Progress', 'Decisions', 'Started'].map((title) => h('th', { text: title })))),
      h('tbody', {}, syncs.map(syncRow)),
    ])));
    const running = syncs.some((sync) => sync.state === 'running');
    syncPoll = setTimeout(loadSyncs, running ? SYNC_POLL_MS.running : SYNC_POLL_MS.idle);
  }

  // ---- deliveries ---------------------------------------------------------------------------

  const list = { outcome: '', cursor: null, generation: 0, openId: null, reload: null };

  function eventName(delivery) {
    return delivery.event + (delivery.action ? '.' + delivery.action : '');
  }

  function deliveryRow(delivery) {
    const row = h('tr', { 'data-delivery-id': delivery.id, class: delivery.id === list.openId ? 'selected' : null }, [
      h('td', { class: 'when' }, h('a', { href: deliveryHref(delivery.id), title: 'delivery ' + delivery.id }, time(delivery.receivedAt))),
      h('td', {}, [
        code(eventName(delivery)),
        h('div', { class: 'sub' }, [
          delivery.repoId !== null ? 'repo ' + delivery.repoId : 'no repo',
          delivery.installationId !== null ? ' · installation ' + delivery.installationId : '',
        ]),
      ]),
      h('td', {}, [
        outcomeBadge(delivery.outcome || 'not_routed'),
        delivery.state === 'failed' || delivery.state === 'received' || delivery.state === 'processing' ? [' ', badge(delivery.state)] : null,
      ]),
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

  async function loadDeliveries(reset) {
    const generation = ++list.generation;
    const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (list.outcome) params.set('outcome', list.outcome);
    if (!reset && list.cursor) params.set('cursor', list.cursor);
    const body = byId('deliveries-body');
    if (reset) byId('more-deliveries').hidden = true;
    setStatus('deliveries-status', 'Loading…');
    try {
      const page = await api('/api/deliveries?' + params.toString());
      if (generation !== list.generation) return;
      if (reset) body.replaceChildren();
      for (const delivery of page.deliveries) body.append(deliveryRow(delivery));
      list.cursor = page.nextCursor;
      byId('more-deliveries').hidden = !page.nextCursor;
      const shown = body.children.length;
      const what = FILTER_LABELS[list.outcome] || 'deliveries';
      setStatus('deliveries-status', shown === 0 ? 'No ' + what + '.' : shown + ' ' + what + ', newest first' + (page.nextCursor ? '; older ones below.' : '.'));
    } catch (error) {
      if (generation === list.generation) report(error, 'deliveries-status');
    }
  }

  function chooseFilter(outcome) {
    list.outcome = outcome;
    for (const button of document.querySelectorAll('.filters button')) {
      button.setAttribute('aria-pressed', String(button.dataset.outcome === outcome));
    }
    loadDeliveries(true);
  }

  function markSelected() {
    for (const row of byId('deliveries-body').children) {
      row.classList.toggle('selected', row.dataset.deliveryId === list.openId);
    }
  }

  // ---- the story of one delivery ------------------------------------------------------------

  function fact(label, value) {
    return [h('dt', { text: label }), h('dd', {}, value)];
  }

  function traceFact(traceId) {
    if (!traceId) return muted('no trace recorded');
    const url = traceUrl(traceId);
    return h('span', { class: 'trace' }, [
      h('code', { id: 'story-trace-id', text: traceId }),
      ' ',
      url
        ? h('a', { id: 'story-trace-link', href: url, target: '_blank', rel: 'noopener noreferrer', text: 'Open trace ↗' })
        : muted('(set TRACE_URL_TEMPLATE to link traces)'),
    ]);
  }

  function candidateCard(candidate) {
    const woken = candidate.outcome === 'woken';
    return h('li', { class: 'candidate ' + (woken ? 'is-woken' : 'is-not-woken'), 'data-trigger-id': candidate.triggerId }, [
      h('div', { class: 'candidate-head' }, [
        h('strong', {}, ['Trigger ', code(candidate.triggerId)]),
        ' ',
        badge(woken ? 'woken' : 'not_woken', woken ? 'woken' : 'not woken'),
        candidate.reason ? [' ', h('code', { class: 'reason', text: candidate.reason })] : null,
      ]),
      h('div', { class: 'sub' }, [
        'automation ', orDash(candidate.automationId),
        ' · user ', orDash(candidate.userId),
        ' · bound to installation ', orDash(candidate.boundInstallationId),
      ]),
      candidate.detail ? h('p', { class: 'detail', text: candidate.detail }) : null,
      candidate.fix ? h('p', { class: 'fix' }, [h('strong', { text: 'Fix: ' }), candidate.fix]) : null,
    ]);
  }

  function auditTable(records) {
    return h('div', { class: 'scroll' }, h('table', { class: 'audit' }, [
      h('thead', {}, h('tr', {}, ['#', 'When', 'Kind', 'Decision', 'Reason', 'Subject'].map((title) => h('th', { text: title })))),
      h('tbody', {}, records.map((record) => h('tr', {}, [
        h('td', { text: record.seq }),
        h('td', {}, time(record.occurredAt)),
        h('td', {}, code(record.kind)),
        h('td', { text: record.decision }),
        h('td', { class: 'reason-cell' }, orDash(record.reason)),
        h('td', { class: 'sub', text: subjectText(record.subject) }),
      ]))),
    ]));
  }

  async function replay(id, statusNode, button) {
    button.disabled = true;
    statusNode.textContent = 'Replaying…';
    try {
      const answer = await api('/api/deliveries/' + encodeURIComponent(id) + '/replay', 'POST');
      fill(statusNode, 'Replayed as ', h('a', { href: deliveryHref(answer.deliveryId) }, code(answer.deliveryId)),
        '; it goes through the same pipeline and has its own story.');
      loadDeliveries(true);
      // The worker takes a moment: show the replay's outcome once it is likely known.
      list.reload = setTimeout(() => loadDeliveries(true), 1500);
    } catch (error) {
      if (!(error instanceof AuthNeeded)) statusNode.textContent = error.message;
    } finally {
      button.disabled = false;
    }
  }

  function renderStory(story) {
    const delivery = story.delivery;
    const replayStatus = h('span', { class: 'status', role: 'status' });
    const replayButton = h('button', { type: 'button', id: 'replay-button', text: 'Re-test (replay this delivery)' });
    replayButton.addEventListener('click', () => replay(delivery.id, replayStatus, replayButton));
    const candidates = story.candidates || [];
    const audit = story.audit || [];
    fill(byId('story'),
      h('div', { class: 'story-head' }, [h('h3', {}, ['Delivery ', code(delivery.id)]), outcomeBadge(story.outcome)]),
      h('p', { class: 'story-summary', id: 'story-summary', text: story.summary }),
      h('dl', { class: 'facts' }, [
        fact('Event', code(eventName(delivery))),
        fact('State', [delivery.state, ' · ', delivery.attempts + (delivery.attempts === 1 ? ' attempt' : ' attempts')]),
        fact('Installation', orDash(delivery.installationId)),
        fact('Repo id', orDash(delivery.repoId)),
        fact('Received', time(delivery.receivedAt)),
        fact('Processed', time(delivery.processedAt)),
        delivery.nextAttemptAt ? fact('Next attempt', time(delivery.nextAttemptAt)) : null,
        delivery.error ? fact('Error', delivery.error) : null,
        delivery.replayOf ? fact('Replay of', h('a', { href: deliveryHref(delivery.replayOf) }, code(delivery.replayOf))) : null,
        fact('Trace', traceFact(story.traceId)),
      ].flat().filter(Boolean)),
      h('div', { class: 'actions' }, [replayButton, ' ', replayStatus]),
      h('h4', { text: 'Candidate triggers (' + candidates.length + ')' }),
      candidates.length === 0
        ? h('p', { class: 'muted', text: story.outcome === 'not_routed' ? 'Not routed, so no trigger was considered.' : 'No trigger is registered for this repository.' })
        : h('ul', { class: 'candidates', id: 'story-candidates' }, candidates.map(candidateCard)),
      h('h4', { text: 'Audit records (' + audit.length + ')' }),
      audit.length === 0 ? h('p', { class: 'muted', text: 'No audit record names this delivery.' }) : auditTable(audit),
      story.auditTruncated
        ? h('p', { class: 'hint' }, ['Only the first ', String(audit.length), ' records are shown; GET ', code('/api/audit?deliveryId=' + encodeURIComponent(delivery.id)), ' has them all.'])
        : null,
    );
  }

  async function openStory(id) {
    list.openId = id;
    markSelected();
    const target = byId('story');
    fill(target, h('p', { class: 'muted' }, ['Loading delivery ', code(id), '…']));
    try {
      const story = await api('/api/deliveries/' + encodeURIComponent(id));
      if (list.openId !== id) return;
      renderStory(story);
      // Opened from far down the list (or below it on a narrow screen): bring the story into view.
      const top = byId('story-panel').getBoundingClientRect().top;
      if (top < 0 || top > window.innerHeight - 120) byId('story-panel').scrollIntoView({ behavior: 'smooth' });
    } catch (error) {
      if (error instanceof AuthNeeded || list.openId !== id) return;
      fill(target, h('p', { class: 'status error', text: error.message }));
    }
  }

  function openFromHash() {
    const match = /^#delivery=(.+)$/.exec(location.hash);
    if (!match) return;
    let id;
    try {
      id = decodeURIComponent(match[1]);
    } catch (error) {
      return;
    }
    openStory(id);
  }

  // ---- diagnosis ----------------------------------------------------------------------------

  function renderDiagnosis(answer) {
    const steps = answer.steps || [];
    const problems = steps.filter((s) => s.status === 'problem').length;
    const unknown = steps.filter((s) => s.status === 'unknown').length;
    fill(byId('diagnose-result'),
      h('p', { class: 'diagnose-head' }, [
        h('strong', {}, ['User ', code(answer.userId), ' · ', code(answer.repo)]),
        ' — ',
        problems === 0 && unknown === 0 ? 'every step is ok' : problems + (problems === 1 ? ' problem' : ' problems') + ', ' + unknown + ' unknown',
      ]),
      h('ol', { class: 'steps', id: 'diagnose-steps' }, steps.map((step) => h('li', { class: 'step status-' + step.status, 'data-step': step.step, 'data-status': step.status }, [
        h('div', { class: 'step-head' }, [badge(step.status), ' ', h('strong', { text: step.step + '. ' + step.name })]),
        h('p', { class: 'evidence', text: step.evidence }),
        step.next ? h('p', { class: 'next' }, [h('strong', { text: 'Next: ' }), step.next]) : null,
      ]))),
    );
  }

  async function runDiagnosis(event) {
    event.preventDefault();
    const userId = byId('diagnose-user').value.trim();
    const repo = byId('diagnose-repo').value.trim();
    const result = byId('diagnose-result');
    if (!/^[^\/\s]+\/[^\/\s]+$/.test(repo)) {
      fill(result, h('p', { class: 'status error', text: 'Repository must be owner/name.' }));
      return;
    }
    fill(result, h('p', { class: 'muted', text: 'Diagnosing…' }));
    try {
      renderDiagnosis(await api('/api/diagnose?' + new URLSearchParams({ userId: userId, repo: repo }).toString()));
    } catch (error) {
      if (error instanceof AuthNeeded) return;
      fill(result, h('p', { class: 'status error', text: error.message }));
    }
  }

  // ---- wiring -------------------------------------------------------------------------------

  function clearData() {
    byId('deliveries-body').replaceChildren();
    fill(byId('story'), h('p', { class: 'muted', text: 'Choose a delivery to see its story.' }));
    byId('diagnose-result').replaceChildren();
    byId('rebind-skips').replaceChildren();
    byId('syncs').replaceChildren();
    clearTimeout(syncPoll);
    for (const id of ['coverage-figures', 'installations-figures', 'inbox-figures', 'rebind-figures']) byId(id).replaceChildren();
    list.cursor = null;
    list.openId = null;
    // A page still on its way, or a reload still scheduled, belongs to the session just ended.
    list.generation += 1;
    clearTimeout(list.reload);
  }

  function loadAll() {
    showMain();
    loadSummary();
    loadSyncs();
    loadDeliveries(true);
    openFromHash();
  }

  function start() {
    byId('token-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const token = byId('token-input').value.trim();
      if (!token) return;
      saveToken(token);
      byId('token-input').value = '';
      loadAll();
    });
    byId('forget-token').addEventListener('click', () => {
      dropToken();
      clearData();
      askForToken('The token is forgotten. Enter it to continue.');
    });
    for (const button of document.querySelectorAll('.filters button')) {
      button.addEventListener('click', () => chooseFilter(button.dataset.outcome || ''));
    }
    byId('refresh').addEventListener('click', () => {
      loadSummary();
      loadSyncs();
      loadDeliveries(true);
    });
    byId('more-deliveries').addEventListener('click', () => loadDeliveries(false));
    byId('diagnose-form').addEventListener('submit', runDiagnosis);
    window.addEventListener('hashchange', openFromHash);
    if (readToken()) loadAll();
    else askForToken('');
  }

  start();
})();
`;

// The Observability view's HTML shell (R11): static markup only. Every value the page shows is
// fetched from /api by the view's program (view/app/) and inserted as text; the one value
// rendered here, the trace URL template, is escaped into an attribute.

const escapeAttribute = (value: string): string => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function renderPageShell(traceUrlTemplate: string | null): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="reconciler-trace-url-template" content="${escapeAttribute(traceUrlTemplate ?? '')}">
<title>Reconciler · Observability</title>
<link rel="icon" href="/view/icon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/view/app.css">
<script type="module" src="/view/app.js"></script>
</head>
<body>
<header class="topbar">
  <h1>Reconciler <span>Observability</span></h1>
  <div class="session">
    <span id="token-state">No API token</span>
    <button id="forget-token" type="button" class="quiet" hidden>Forget token</button>
  </div>
</header>

<section id="token-panel" class="panel token-panel" hidden>
  <form id="token-form" autocomplete="off">
    <h2>Enter the API token</h2>
    <p>This page reads the reconciler's API, which needs its token (<code>API_TOKEN</code>; in
    development mode it is printed at start and kept in <code>data/dev-credentials.json</code>).
    The token stays in this browser tab only, until you forget it or close the tab.</p>
    <p id="token-message" class="notice" role="alert" hidden></p>
    <label for="token-input">API token</label>
    <div class="inline">
      <input id="token-input" name="token" type="password" required spellcheck="false">
      <button type="submit">Use token</button>
    </div>
  </form>
</section>

<main id="main" hidden>
  <section class="panel search-panel" aria-label="Find">
    <form id="search-form" class="search-form" role="search" autocomplete="off">
      <label for="search-input">Find a repo, delivery, trigger, automation, installation or trace</label>
      <div class="inline">
        <input id="search-input" name="q" type="search" spellcheck="false" placeholder="acme-org/billing-api, a former name, 10002, a delivery id, t-deploy, acme-org, a trace id">
        <button type="submit">Find</button>
      </div>
    </form>
    <p id="search-status" class="status" role="status"></p>
    <ul id="search-results" class="search-results" hidden></ul>
  </section>

  <section class="panel" id="entity-panel" aria-labelledby="entity-title" hidden>
    <div class="panel-head">
      <h2 id="entity-title">Entity</h2>
      <a id="entity-close" class="quiet-link" href="#">Close</a>
    </div>
    <div id="entity"></div>
  </section>

  <section class="panel" id="diagnose-panel" aria-labelledby="diagnose-title">
    <h2 id="diagnose-title">Diagnose a repo</h2>
    <p class="hint">The troubleshooting order for one user and one repository: installation, coverage, last sync, ambiguous installations, recent deliveries. Each fix is a button, or a command to copy.</p>
    <form id="diagnose-form" class="diagnose-form">
      <div>
        <label for="diagnose-user">User id</label>
        <input id="diagnose-user" name="userId" required spellcheck="false" placeholder="u1">
      </div>
      <div>
        <label for="diagnose-repo">Repository</label>
        <input id="diagnose-repo" name="repo" required spellcheck="false" placeholder="owner/name">
      </div>
      <button type="submit">Diagnose</button>
    </form>
    <div id="diagnose-result"></div>
  </section>

  <section class="cards" aria-label="Summary">
    <article class="card" id="coverage-card">
      <h2>Repo coverage</h2>
      <div class="figures" id="coverage-figures"><span class="muted">Loading…</span></div>
      <p class="hint">Repo rows of all users: covered by a live installation, visible only through OAuth, or bound to an installation that is gone.</p>
    </article>
    <article class="card" id="installations-card">
      <h2>Installations</h2>
      <div class="figures" id="installations-figures"><span class="muted">Loading…</span></div>
    </article>
    <article class="card" id="inbox-card">
      <h2>Inbox</h2>
      <div class="figures" id="inbox-figures"><span class="muted">Loading…</span></div>
    </article>
    <article class="card" id="rebind-card">
      <h2>Rebind skips</h2>
      <div class="figures" id="rebind-figures"><span class="muted">Loading…</span></div>
    </article>
  </section>
  <p id="summary-status" class="status" role="status"></p>

  <div class="columns">
    <section class="panel" id="deliveries-panel" aria-labelledby="deliveries-title">
      <div class="panel-head">
        <h2 id="deliveries-title">Recent deliveries</h2>
        <div class="filters" role="group" aria-label="Show deliveries">
          <button type="button" data-outcome="" aria-pressed="true">All</button>
          <button type="button" data-outcome="woke_nothing" data-problems="1" aria-pressed="false" title="Woke nothing for a binding, coverage or installation reason: something to fix">Problems</button>
          <button type="button" data-outcome="woke_nothing" aria-pressed="false" title="Routed, but no trigger woke: every candidate said no, or there was none (problems and expected non-matches)">Woke nothing</button>
          <button type="button" data-outcome="woke" aria-pressed="false">Woke</button>
          <button type="button" data-outcome="not_routed" aria-pressed="false" title="Waiting, failed, or an event that names no repository">Not routed</button>
        </div>
        <button type="button" id="refresh" class="quiet">Refresh</button>
      </div>
      <details id="filters-panel" class="filters-panel">
        <summary id="filters-summary">Filters</summary>
        <form id="filters-form" class="filters-form" autocomplete="off">
          <div><label for="filter-repo">Repo (owner/name)</label><input id="filter-repo" name="repo" spellcheck="false"></div>
          <div><label for="filter-event">Event</label><input id="filter-event" name="event" spellcheck="false" placeholder="push"></div>
          <div><label for="filter-action">Action</label><input id="filter-action" name="action" spellcheck="false" placeholder="opened"></div>
          <div><label for="filter-reason">Reason code</label><input id="filter-reason" name="reason" spellcheck="false" placeholder="installation_mismatch"></div>
          <div><label for="filter-installation">Installation (id or login)</label><input id="filter-installation" name="installation" spellcheck="false"></div>
          <div><label for="filter-since">Since</label><input id="filter-since" name="since" type="datetime-local"></div>
          <div><label for="filter-until">Until</label><input id="filter-until" name="until" type="datetime-local"></div>
          <div class="check"><input id="filter-problems" name="problems" type="checkbox"><label for="filter-problems">Problems only</label></div>
          <div class="filter-buttons"><button type="submit">Apply</button> <button type="button" id="filters-clear" class="quiet">Clear</button></div>
        </form>
      </details>
      <p id="deliveries-status" class="status" role="status"></p>
      <div class="scroll">
        <table class="deliveries">
          <thead><tr><th>Received</th><th>Event · repo</th><th>Outcome</th><th>Summary</th></tr></thead>
          <tbody id="deliveries-body"></tbody>
        </table>
      </div>
      <button type="button" id="more-deliveries" class="quiet" hidden>Load older deliveries</button>
    </section>

    <section class="panel" id="story-panel" aria-labelledby="story-title">
      <h2 id="story-title">Delivery story</h2>
      <div id="story"><p class="muted">Choose a delivery to see what it was, which triggers it could wake, and why each did or did not.</p></div>
    </section>
  </div>

  <details class="panel collapsible" id="syncs-panel" open>
    <summary><h2 id="syncs-title">Syncs</h2> <span id="syncs-count" class="sub"></span></summary>
    <p class="hint">User syncs on this replica: running ones with their progress (pages read of those GitHub announced), then the latest finished.</p>
    <p id="syncs-status" class="status" role="status"></p>
    <div id="syncs"><p class="muted">Loading…</p></div>
  </details>

  <div class="columns wide-first">
    <section class="panel" id="endpoints-panel" aria-labelledby="endpoints-title">
      <h2 id="endpoints-title">Runner endpoints</h2>
      <p class="hint">Where woken triggers are pushed (signed, retried for about a day). Choose one to see its latest sends and every attempt's status.</p>
      <p id="endpoints-status" class="status" role="status"></p>
      <div id="endpoints"><p class="muted">Loading…</p></div>
      <div id="endpoint-sends"></div>
    </section>

    <section class="panel" id="rebind-panel" aria-labelledby="rebind-title">
      <h2 id="rebind-title">Recent rebind skips</h2>
      <p class="hint">Installation-backed sync could not move a user's stale bindings, because the user does not hold exactly the one installation that was synced. Diagnose the repo for the explicit rebind.</p>
      <div id="rebind-skips"><p class="muted">Loading…</p></div>
    </section>
  </div>
</main>
</body>
</html>
`;
}

// The Observability view's stylesheet, served as /view/app.css (no inline style: the page's
// Content-Security-Policy is default-src 'self' with no exception).

export const PAGE_STYLE = `:root {
  --bg: #f5f6f8;
  --panel: #ffffff;
  --ink: #1d2330;
  --muted: #5f6b7a;
  --line: #dde1e7;
  --accent: #2357c6;
  --good: #1a7f37;
  --good-bg: #dcf3e3;
  --warn: #8a5a00;
  --warn-bg: #fcefd0;
  --bad: #b42318;
  --bad-bg: #fde2df;
  --plain-bg: #eceff3;
  --selected: #eaf1ff;
  color-scheme: light;
}
* { box-sizing: border-box; }
[hidden] { display: none !important; }
html { background: var(--bg); }
body {
  margin: 0;
  color: var(--ink);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
}
code, time { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 12.5px; }
time { font-family: inherit; font-size: inherit; white-space: nowrap; }
a { color: var(--accent); }
h1, h2, h3, h4 { margin: 0; line-height: 1.25; }
h2 { font-size: 15px; }
h3 { font-size: 15px; font-weight: 600; }
h4 { font-size: 13px; margin: 18px 0 8px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
p { margin: 6px 0; }

.topbar {
  display: flex; align-items: center; justify-content: space-between; gap: 16px;
  padding: 12px 24px; background: #182033; color: #fff;
}
.topbar h1 { font-size: 17px; font-weight: 650; }
.topbar h1 span { font-weight: 400; opacity: .75; margin-left: 4px; }
.session { display: flex; align-items: center; gap: 12px; font-size: 13px; opacity: .95; }
.session .quiet { color: #fff; border-color: rgba(255, 255, 255, .45); background: transparent; }

button {
  font: inherit; cursor: pointer; border-radius: 6px; padding: 6px 12px;
  border: 1px solid var(--accent); background: var(--accent); color: #fff;
}
button:hover { filter: brightness(1.08); }
button:disabled { opacity: .6; cursor: progress; }
button.quiet { background: var(--panel); color: var(--ink); border-color: var(--line); }
input {
  font: inherit; padding: 6px 9px; border: 1px solid #c3c9d2; border-radius: 6px; min-width: 0; background: #fff; color: var(--ink);
}
input:focus, button:focus-visible, a:focus-visible { outline: 2px solid var(--accent); outline-offset: 1px; }
label { display: block; font-weight: 600; font-size: 12.5px; margin-bottom: 4px; }

main { padding: 20px 24px 40px; max-width: 1600px; margin: 0 auto; }
.panel {
  background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 16px 18px; min-width: 0;
}
.token-panel { max-width: 560px; margin: 60px auto; }
.token-panel h2 { font-size: 18px; margin-bottom: 6px; }
.inline { display: flex; gap: 8px; }
.inline input { flex: 1; }

.cards { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 14px; }
.card { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 14px 16px; }
.card h2 { font-size: 12.5px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); margin-bottom: 8px; }
.figures { display: flex; flex-wrap: wrap; gap: 6px 22px; align-items: flex-end; }
.figure { display: flex; flex-direction: column; }
.figure.wide { flex-basis: 100%; }
.figure .value { font-size: 24px; font-weight: 650; line-height: 1.1; }
.figure .label { font-size: 12px; color: var(--muted); }
.figure.tone-good .value { color: var(--good); }
.figure.tone-warn .value { color: var(--warn); }
.figure.tone-bad .value { color: var(--bad); }
.reasons { list-style: none; margin: 0; padding: 0; font-size: 12.5px; }
.reasons li { display: flex; justify-content: space-between; gap: 10px; }
.hint { color: var(--muted); font-size: 12.5px; }

.columns { display: grid; grid-template-columns: minmax(0, 5fr) minmax(0, 6fr); gap: 16px; margin-top: 16px; align-items: start; }
.columns.wide-first { grid-template-columns: minmax(0, 6fr) minmax(0, 5fr); }
.panel-head { display: flex; flex-wrap: wrap; align-items: center; gap: 10px 14px; margin-bottom: 6px; }
.panel-head h2 { margin-right: auto; }
.filters { display: inline-flex; border: 1px solid var(--line); border-radius: 7px; overflow: hidden; }
.filters button { border: 0; border-radius: 0; background: var(--panel); color: var(--ink); padding: 5px 11px; }
.filters button + button { border-left: 1px solid var(--line); }
.filters button[aria-pressed="true"] { background: var(--accent); color: #fff; }

.status { color: var(--muted); font-size: 12.5px; min-height: 1em; }
.status.error, .error { color: var(--bad); }
.notice { background: var(--warn-bg); color: var(--warn); padding: 8px 10px; border-radius: 6px; }
.muted { color: var(--muted); }
.sub { color: var(--muted); font-size: 12px; }
.scroll { overflow-x: auto; }
#syncs-panel { margin: 16px 0; }
.progress-cell { min-width: 180px; }
.progress-cell progress { width: 140px; height: 10px; vertical-align: middle; margin-right: 8px; accent-color: var(--good); }
.progress-text { font-size: 12.5px; color: var(--muted); }

table { width: 100%; border-collapse: collapse; table-layout: fixed; }
td time { white-space: normal; }
th { text-align: left; font-size: 12px; font-weight: 600; color: var(--muted); padding: 6px 8px; border-bottom: 1px solid var(--line); white-space: nowrap; }
td { padding: 7px 8px; border-bottom: 1px solid #eef0f3; vertical-align: top; }
table.deliveries tbody tr, table.endpoints tbody tr { cursor: pointer; }
.attempts { font-variant-numeric: tabular-nums; white-space: nowrap; }
table.deliveries tbody tr:hover { background: #f7f9fc; }
table.deliveries tbody tr.selected { background: var(--selected); box-shadow: inset 3px 0 0 var(--accent); }
td.when a { text-decoration: none; }
table.deliveries .sub { white-space: nowrap; }
td.summary-cell { color: var(--ink); }
#more-deliveries { margin-top: 10px; }

.badge {
  display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 11.5px; font-weight: 600;
  white-space: nowrap; background: var(--plain-bg); color: var(--muted);
}
.badge-woke, .badge-woken, .badge-ok { background: var(--good-bg); color: var(--good); }
.badge-woke_none, .badge-not_woken, .badge-problem, .badge-failed { background: var(--bad-bg); color: var(--bad); }
.badge-no_candidates, .badge-unknown, .badge-received, .badge-processing { background: var(--warn-bg); color: var(--warn); }

.story-head { display: flex; align-items: center; gap: 10px; flex-wrap: wrap; margin: 8px 0 4px; }
.story-summary { font-size: 15px; font-weight: 500; margin: 8px 0 12px; }
.facts { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 4px 16px; margin: 0 0 12px; }
.facts dt { color: var(--muted); font-size: 12.5px; }
.facts dd { margin: 0; overflow-wrap: anywhere; }
.trace code { background: var(--plain-bg); padding: 1px 5px; border-radius: 4px; }
.actions { display: flex; align-items: center; gap: 10px; flex-wrap: wrap; }
.retest { border: 1px solid var(--line); border-radius: 8px; padding: 9px 12px; margin: 10px 0; }
.retest-sides { display: grid; grid-template-columns: repeat(auto-fit, minmax(240px, 1fr)); gap: 12px; }
.retest-side h5 { margin: 0 0 4px; font-size: 12.5px; color: var(--muted); }
.retest-woke { margin: 0; font-weight: 500; overflow-wrap: anywhere; }

.candidates, .steps { list-style: none; margin: 0; padding: 0; display: grid; gap: 8px; }
.candidate, .step { border: 1px solid var(--line); border-left-width: 4px; border-radius: 8px; padding: 9px 12px; }
.candidate.is-woken, .step.status-ok { border-left-color: var(--good); }
.candidate.is-not-woken, .step.status-problem { border-left-color: var(--bad); }
.step.status-unknown { border-left-color: #d4a72c; }
.candidate-head, .step-head { display: flex; align-items: center; flex-wrap: wrap; gap: 6px; }
code.reason { color: var(--bad); font-weight: 600; }
.detail, .evidence { margin: 6px 0 0; }
.fix, .next { margin: 6px 0 0; padding: 6px 9px; background: #f3f6fb; border-radius: 6px; overflow-wrap: anywhere; }
table.audit td { font-size: 12.5px; }
td.reason-cell { max-width: 340px; overflow-wrap: anywhere; }

.diagnose-form { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 2fr) auto; gap: 10px; align-items: end; margin: 10px 0 12px; }
.diagnose-form input { width: 100%; }
.diagnose-head { margin: 4px 0 10px; }

.search-panel { margin-bottom: 16px; }
.search-form label { font-size: 13px; }
.search-form input { font-size: 15px; padding: 8px 11px; }
.search-results { list-style: none; margin: 8px 0 0; padding: 0; display: grid; gap: 6px; }
.search-results li { border: 1px solid var(--line); border-radius: 8px; padding: 7px 10px; overflow-wrap: anywhere; }
.search-match { text-decoration: none; }
.tag {
  display: inline-block; padding: 0 7px; border-radius: 4px; font-size: 11px; font-weight: 600; letter-spacing: .02em;
  text-transform: uppercase; background: var(--plain-bg); color: var(--muted); white-space: nowrap;
}
.tag-problem { background: var(--bad-bg); color: var(--bad); }
.tag-expected { background: var(--plain-bg); color: var(--muted); }
.reasons-line { display: flex; flex-wrap: wrap; gap: 2px 6px; margin-top: 3px; }
code.reason-code { font-size: 11.5px; color: var(--muted); overflow-wrap: anywhere; }
.quiet-link { font-size: 13px; }
#entity-panel, #diagnose-panel { margin-bottom: 16px; }
#entity h3 { margin: 4px 0 8px; overflow-wrap: anywhere; }
.former-names { color: var(--muted); }
.entity-link { overflow-wrap: anywhere; }
.repo-name { font-weight: 500; }
.events-cell { display: flex; flex-wrap: wrap; gap: 2px 6px; }
code.event-name, td.event-cell code { overflow-wrap: anywhere; white-space: normal; }
td { overflow-wrap: anywhere; }
th { white-space: normal; }
table.deliveries td.when { width: 1%; min-width: 9.5em; }
table.deliveries time { white-space: normal; }
.ago { color: var(--muted); }

.filters-panel { margin: 6px 0 8px; }
.filters-panel > summary { cursor: pointer; color: var(--accent); font-size: 13px; }
.filters-form { display: grid; grid-template-columns: repeat(auto-fit, minmax(160px, 1fr)); gap: 8px 12px; margin-top: 8px; align-items: end; }
.filters-form input:not([type=checkbox]) { width: 100%; }
.filters-form .check { display: flex; align-items: center; gap: 6px; }
.filters-form .check label { margin: 0; }
table.deliveries tbody tr.fresh { animation: fresh 3s ease-out; }
@keyframes fresh { from { background: #fff6cc; } to { background: transparent; } }

details.collapsible > summary { cursor: pointer; list-style: none; display: flex; align-items: baseline; gap: 10px; }
details.collapsible > summary::before { content: "▸"; color: var(--muted); }
details.collapsible[open] > summary::before { content: "▾"; }
details.collapsible > summary h2 { display: inline; }

.story-section { border: 1px solid var(--line); border-radius: 8px; padding: 8px 12px; margin: 10px 0; }
.story-section > summary { cursor: pointer; font-weight: 600; }
.payload-part { margin: 8px 0; }
.payload-part > summary, .json-field > summary, .payload-raw > summary { cursor: pointer; }
.json-fields { display: grid; gap: 2px; margin: 6px 0; }
.json-field { overflow-wrap: anywhere; }
.json-value { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
pre.json, pre.command {
  margin: 4px 0; padding: 8px 10px; background: #f6f8fa; border-radius: 6px; font-size: 12px;
  white-space: pre-wrap; overflow-wrap: anywhere; max-height: 420px; overflow-y: auto;
}
.headers dd { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }

.trace-head { overflow-wrap: anywhere; }
.waterfall { list-style: none; margin: 6px 0; padding: 0; display: grid; gap: 2px; }
.span-head {
  display: grid; grid-template-columns: minmax(0, 2fr) minmax(0, 3fr) 5.5em; gap: 8px; align-items: center; width: 100%;
  background: none; color: var(--ink); border: 0; border-radius: 4px; padding: 3px 4px; text-align: left;
}
.span-head:hover { background: #f3f6fb; filter: none; }
.span-name { overflow-wrap: anywhere; font-size: 12.5px; }
.span-track { display: block; background: #eef1f5; border-radius: 3px; height: 12px; }
.span-bar { display: block; height: 12px; border-radius: 3px; background: #6f9ce8; min-width: 2px; }
.span-bar.status-error { background: var(--bad); }
.span-bar.status-ok { background: var(--good); }
.span-ms { font-variant-numeric: tabular-nums; font-size: 12px; color: var(--muted); text-align: right; }
.span-detail { margin: 4px 0 8px 12px; padding: 6px 10px; border-left: 3px solid var(--line); }
.span-events ul { margin: 4px 0; padding-left: 18px; }
.span-events h5 { margin: 6px 0 2px; font-size: 12.5px; }
.step-fix { margin: 6px 0 0; }

@media (max-width: 1100px) {
  .cards { grid-template-columns: repeat(2, minmax(0, 1fr)); }
  .columns, .columns.wide-first { grid-template-columns: minmax(0, 1fr); }
}
@media (max-width: 560px) {
  main { padding: 12px; }
  .cards { grid-template-columns: minmax(0, 1fr); }
  .diagnose-form { grid-template-columns: minmax(0, 1fr); }
  .topbar { flex-wrap: wrap; padding: 10px 12px; }
}
`;

import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { freePort } from './free-port.js';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExecutionContext } from 'ava';
import { temporaryDir } from './test-service.js';

// The dashboards and alert rules as data, and the real Prometheus tools to check them with:
// promtool for parsing and rule unit tests, the prometheus binary for live queries. A missing
// binary fails the test that needs it with a message saying what to install; nothing is skipped.

export const DASHBOARDS_DIR = fileURLToPath(new URL('../../../dashboards/', import.meta.url));
export const ALERTS_FILE = join(DASHBOARDS_DIR, 'alerts.yml');
export const ALERTS_TEST_FILE = join(DASHBOARDS_DIR, 'alerts.test.yml');

export interface DataSourceRef {
  type: string;
  uid: string;
}

export interface PanelTarget {
  refId: string;
  datasource?: DataSourceRef;
  /** PromQL, on Prometheus targets. */
  expr?: string;
  /** TraceQL, on Tempo targets. */
  query?: string;
  queryType?: string;
}

export interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: DataSourceRef;
  targets?: PanelTarget[];
  /** A row's panels: present, and the only place they are, while the row is collapsed. */
  panels?: Panel[];
  /** Data links: open the reconciler's view with the panel's filters. */
  fieldConfig?: { defaults?: { links?: { title: string; url: string }[] } };
}

export interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
  templating: { list: { name: string; type: string; query: string }[] };
}

export interface LoadedDashboard {
  file: string;
  dashboard: Dashboard;
}

export function loadDashboards(): LoadedDashboard[] {
  return readdirSync(DASHBOARDS_DIR)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({ file, dashboard: JSON.parse(readFileSync(join(DASHBOARDS_DIR, file), 'utf8')) as Dashboard }));
}

/** Every panel, rows' nested panels included, in reading order. */
export function allPanels(panels: readonly Panel[]): Panel[] {
  return panels.flatMap((panel) => [panel, ...allPanels(panel.panels ?? [])]);
}

export interface Expression {
  /** Where it comes from, for messages: `routing.json › Woken vs not woken › A` or `alerts.yml › ReconcilerX`. */
  source: string;
  expr: string;
}

export interface PanelTargetAt {
  source: string;
  panel: Panel;
  target: PanelTarget;
}

export function panelTargets(loaded: readonly LoadedDashboard[]): PanelTargetAt[] {
  return loaded.flatMap(({ file, dashboard }) =>
    allPanels(dashboard.panels).flatMap((panel) =>
      (panel.targets ?? []).map((target) => ({ source: `${file} › ${panel.title} › ${target.refId}`, panel, target })),
    ),
  );
}

export function dashboardExpressions(loaded: readonly LoadedDashboard[]): Expression[] {
  return panelTargets(loaded).flatMap(({ source, target }) =>
    target.expr === undefined ? [] : [{ source, expr: target.expr }],
  );
}

export interface RuleExpression extends Expression {
  kind: 'record' | 'alert';
  name: string;
}

/**
 * The rules of a Prometheus rule file, read line by line (the project has no YAML parser). Each
 * `expr` must be one line; anything else fails loudly rather than being skipped, and the tests
 * compare the count with what promtool and Prometheus find.
 */
export function ruleExpressions(yaml: string, file = 'alerts.yml'): RuleExpression[] {
  const rules: RuleExpression[] = [];
  let current: { kind: 'record' | 'alert'; name: string } | null = null;
  for (const [index, line] of yaml.split('\n').entries()) {
    const head = /^\s*-\s+(record|alert):\s*(\S+)\s*$/.exec(line);
    if (head !== null) {
      current = { kind: head[1] as 'record' | 'alert', name: head[2] ?? '' };
      continue;
    }
    const body = /^\s+expr:\s*(.*?)\s*$/.exec(line);
    if (body === null) continue;
    const raw = body[1] ?? '';
    if (current === null) throw new Error(`${file}:${index + 1}: an expr before any record or alert`);
    if (raw === '' || /^[|>]/.test(raw))
      throw new Error(`${file}:${index + 1}: keep ${current.name}'s expr on one line`);
    const expr = /^'.*'$/.test(raw) ? raw.slice(1, -1).replaceAll("''", "'") : raw;
    rules.push({ ...current, source: `${file} › ${current.name}`, expr });
    current = null;
  }
  return rules;
}

/** Grafana's interval variables, as a dashboard would fill them over a short range. */
const GRAFANA_VARIABLES: Readonly<Record<string, string>> = {
  __rate_interval: '1m',
  __interval: '1m',
  __range: '1m',
  // The replica variable with All selected.
  instance: '.*',
};

export function substituteGrafanaVariables(expr: string): string {
  return expr.replace(/\$\{?(\w+)\}?/g, (_whole, name: string) => {
    const value = GRAFANA_VARIABLES[name];
    if (value === undefined) throw new Error(`unknown dashboard variable $${name} in ${expr}`);
    return value;
  });
}

const PROMQL_KEYWORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'offset',
  'bool',
  'and',
  'or',
  'unless',
  'inf',
  'nan',
]);

/** The metric (series) names a PromQL expression selects: not functions, labels or keywords. */
export function metricNamesIn(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = new Set<string>();
  for (const match of stripped.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*/g)) {
    const before = stripped[match.index - 1] ?? ' ';
    const after = stripped.slice(match.index + match[0].length);
    if (/[0-9.]/.test(before)) continue; // an exponent or a duration unit: 1e3, offset 1h
    if (/^\s*\(/.test(after)) continue; // a function or an aggregation
    if (PROMQL_KEYWORDS.has(match[0].toLowerCase())) continue;
    names.add(match[0]);
  }
  return [...names];
}

/** Metric families of a text exposition, by name, from its `# TYPE` lines. */
export function exportedFamilies(exposition: string): Map<string, string> {
  const families = new Map<string, string>();
  for (const match of exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)) families.set(match[1] ?? '', match[2] ?? '');
  return families;
}

/** The series names a scrape of these families can produce (a histogram's _bucket, _sum, _count). */
export function seriesNames(families: ReadonlyMap<string, string>): Set<string> {
  const names = new Set<string>();
  for (const [name, type] of families) {
    names.add(name);
    if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${name}${suffix}`);
    if (type === 'summary') for (const suffix of ['_sum', '_count']) names.add(`${name}${suffix}`);
  }
  return names;
}

export interface ToolResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function missingBinary(binary: string): Error {
  return new Error(
    `${binary} is not installed (or not on PATH): the dashboard and alert tests need Prometheus' own tools. ` +
      'Install them with `apt-get install prometheus` (Debian/Ubuntu: /usr/bin/prometheus and /usr/bin/promtool).',
  );
}

/** Runs a tool to its end without blocking the event loop (the service under test keeps answering). */
export function runTool(binary: string, args: readonly string[], options: { stdin?: string; cwd?: string } = {}) {
  return new Promise<ToolResult>((resolve, reject) => {
    const child = spawn(binary, args, { cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'ENOENT' ? missingBinary(binary) : error),
    );
    child.once('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.on('error', () => undefined); // a tool that exits early closes its stdin
    child.stdin.end(options.stdin ?? '');
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface PromSeries {
  metric: Record<string, string>;
  value: [number, string];
}

export interface RunningPrometheus {
  url: string;
  /** An instant query; throws with Prometheus' own message when it refuses the expression. */
  query(expr: string): Promise<PromSeries[]>;
  /** GET an API path (e.g. /api/v1/rules) and return its `data`. */
  api<T>(path: string): Promise<T>;
  /** Resolves once every target is up and has been scraped at least `count` times. */
  waitForScrapes(count: number, timeoutMs?: number): Promise<void>;
  /** Resolves once every target has been scraped, and the rules evaluated, after this call. */
  waitForFreshScrape(timeoutMs?: number): Promise<void>;
  output(): string;
}

/**
 * The real Prometheus (Debian's /usr/bin/prometheus), scraping `targets` every second with
 * `ruleFiles` evaluated every second, storing in a temporary directory; stopped when the test ends.
 */
export async function startPrometheus(
  t: ExecutionContext,
  options: { targets: readonly string[]; ruleFiles: readonly string[] },
): Promise<RunningPrometheus> {
  const dir = temporaryDir(t, 'reconciler-prometheus-');
  const port = await freePort();
  const config = [
    'global:',
    '  scrape_interval: 1s',
    '  scrape_timeout: 1s',
    '  evaluation_interval: 1s',
    'rule_files:',
    ...options.ruleFiles.map((file) => `  - ${JSON.stringify(file)}`),
    'scrape_configs:',
    '  - job_name: reconciler',
    '    metrics_path: /metrics',
    '    static_configs:',
    `      - targets: ${JSON.stringify(options.targets)}`,
    '',
  ].join('\n');
  writeFileSync(join(dir, 'prometheus.yml'), config);
  const child = spawn(
    'prometheus',
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const failed = new Promise<never>((_resolve, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'ENOENT' ? missingBinary('prometheus') : error),
    );
    void exited.then(() => reject(new Error(`prometheus exited (${child.exitCode}):\n${output}`)));
  });
  failed.catch(() => undefined);
  t.teardown(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(killer);
  });

  const url = `http://127.0.0.1:${port}`;
  const ready = async (): Promise<void> => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const answered = await fetch(`${url}/-/ready`).then(
        (response) => response.ok,
        () => false,
      );
      if (answered) return;
      if (Date.now() > deadline) throw new Error(`prometheus was not ready within 30 s:\n${output}`);
      await sleep(100);
    }
  };
  await Promise.race([ready(), failed]);

  const api = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${url}${path}`);
    const body = (await response.json()) as { status: string; data: T; error?: string; errorType?: string };
    if (body.status !== 'success') throw new Error(`${path}: ${body.errorType ?? response.status}: ${body.error}`);
    return body.data;
  };
  const query = async (expr: string): Promise<PromSeries[]> => {
    const data = await api<{ resultType: string; result: PromSeries[] }>(
      `/api/v1/query?query=${encodeURIComponent(expr)}`,
    );
    if (data.resultType !== 'vector') throw new Error(`${expr}: a ${data.resultType}, not an instant vector`);
    return data.result;
  };
  return {
    url,
    query,
    api,
    output: () => output,
    async waitForScrapes(count, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const scrapes = await query('count_over_time(up[1m])');
        const up = await query('up');
        if (
          scrapes.length === options.targets.length &&
          scrapes.every((s) => Number(s.value[1]) >= count) &&
          up.every((s) => s.value[1] === '1')
        )
          return;
        if (Date.now() > deadline) {
          const targets = await api<unknown>('/api/v1/targets');
          throw new Error(`targets not scraped ${count} times within ${timeoutMs} ms: ${JSON.stringify(targets)}`);
        }
        await sleep(200);
      }
    },
    async waitForFreshScrape(timeoutMs = 20_000) {
      // A scrape that started after now, and a rule evaluation a second after it.
      const since = Date.now() / 1000 + 1;
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const scraped = await query('timestamp(up)');
        if (scraped.length === options.targets.length && scraped.every((s) => Number(s.value[1]) > since)) {
          await sleep(1_500);
          return;
        }
        if (Date.now() > deadline) throw new Error(`targets not scraped again within ${timeoutMs} ms:\n${output}`);
        await sleep(200);
      }
    },
  };
}

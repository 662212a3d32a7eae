import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { parseDocument } from 'yaml';
import { parseConfig } from '../src/config.js';
import { runTool } from './support/prometheus.js';

// The docker-compose stack (Dockerfile, docker-compose.yml, deploy/*, the Grafana provisioning under
// dashboards/), checked without a Docker engine: every file parses, every mount, dependency, port
// and cross-service address lines up with what each process listens on, the collector's pipelines
// name defined components, Prometheus' config passes promtool, and the reconciler's environment
// passes the service's own configuration parser. docs/docker-compose.md describes the stack.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

type Yaml = unknown;
type Obj = Record<string, Yaml>;

function isObj(value: Yaml): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
function obj(value: Yaml, what: string): Obj {
  if (!isObj(value)) throw new Error(`${what} is not a mapping`);
  return value;
}
function list(value: Yaml): Yaml[] {
  return Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
}
function strings(value: Yaml): string[] {
  return list(value).map((item) => String(item));
}

function loadYaml(path: string): Yaml {
  const doc = parseDocument(readFileSync(path, 'utf8'), { uniqueKeys: true, prettyErrors: true });
  const problems = [...doc.errors, ...doc.warnings];
  if (problems.length > 0) throw new Error(`${path}: ${problems.map((p) => p.message).join('; ')}`);
  return doc.toJS() as Yaml;
}

function yamlFilesUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.ya?ml$/.test(file))
    .map((file) => join(dir, file))
    .sort();
}

// ---- compose: variables, as `docker compose` reads .env (here: .env.example) ------------------

function readEnvFile(path: string): Map<string, string> {
  const env = new Map<string, string>();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (match) env.set(match[1]!, match[2]!.trim());
  }
  return env;
}

const VARIABLE = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

function interpolate(text: string, env: ReadonlyMap<string, string>, used: Set<string>): string {
  return text.replace(VARIABLE, (whole, braced?: string, op?: string, arg?: string, bare?: string) => {
    if (whole === '$$') return '$';
    const name = (braced ?? bare)!;
    used.add(name);
    const value = env.get(name);
    const set = op?.startsWith(':') ? value !== undefined && value !== '' : value !== undefined;
    switch (op?.replace(':', '')) {
      case '-':
        return set ? value! : (arg ?? '');
      case '?':
        if (!set) throw new Error(`compose would stop: ${name}: ${arg ?? 'required'}`);
        return value!;
      case '+':
        return set ? (arg ?? '') : '';
      default:
        return value ?? '';
    }
  });
}

function interpolateTree(node: Yaml, env: ReadonlyMap<string, string>, used: Set<string>): Yaml {
  if (typeof node === 'string') return interpolate(node, env, used);
  if (Array.isArray(node)) return node.map((item) => interpolateTree(item, env, used));
  if (isObj(node)) return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, interpolateTree(v, env, used)]));
  return node;
}

const exampleEnv = readEnvFile(join(ROOT, '.env.example'));
const composeVariables = new Set<string>();
const compose = obj(
  interpolateTree(loadYaml(join(ROOT, 'docker-compose.yml')), exampleEnv, composeVariables),
  'compose',
);
const services = obj(compose.services, 'services');
const namedVolumes = new Set(Object.keys(isObj(compose.volumes) ? compose.volumes : {}));

function service(name: string): Obj {
  return obj(services[name], `service ${name}`);
}
function environment(svc: Obj): Record<string, string> {
  const env = svc.environment;
  if (Array.isArray(env)) {
    return Object.fromEntries(env.map((entry) => String(entry).split(/=(.*)/s).slice(0, 2) as [string, string]));
  }
  return Object.fromEntries(Object.entries(isObj(env) ? env : {}).map(([k, v]) => [k, v === null ? '' : String(v)]));
}
function command(svc: Obj): string[] {
  return typeof svc.command === 'string' ? svc.command.split(/\s+/).filter(Boolean) : strings(svc.command);
}
function flag(args: readonly string[], name: string): string | undefined {
  for (let i = 0; i < args.length; i += 1) {
    if (args[i] === name) return args[i + 1];
    if (args[i]!.startsWith(`${name}=`)) return args[i]!.slice(name.length + 1);
  }
  return undefined;
}

interface Mount {
  source: string;
  target: string;
  bind: boolean;
}
function mounts(svc: Obj): Mount[] {
  return list(svc.volumes).map((entry) => {
    if (isObj(entry)) {
      const source = String(entry.source ?? '');
      return { source, target: String(entry.target), bind: entry.type === 'bind' };
    }
    const [source, target] = String(entry).split(':');
    if (target === undefined) return { source: '', target: source!, bind: false };
    return { source: source!, target, bind: /^[./~]/.test(source!) };
  });
}
/** The repository file that a service sees at `target` (a bind mount of it or of a directory above it). */
function hostPathOf(svc: Obj, target: string): string | null {
  for (const mount of mounts(svc).filter((m) => m.bind)) {
    if (target === mount.target) return resolve(ROOT, mount.source);
    if (target.startsWith(`${mount.target}/`))
      return resolve(ROOT, mount.source, target.slice(mount.target.length + 1));
  }
  return null;
}

interface Port {
  published: number | null;
  target: number;
}
function ports(svc: Obj): Port[] {
  return list(svc.ports).map((entry) => {
    if (isObj(entry)) {
      return {
        published: entry.published === undefined ? null : Number(entry.published),
        target: Number(entry.target),
      };
    }
    const parts = String(entry)
      .replace(/\/(tcp|udp)$/, '')
      .split(':');
    const target = Number(parts.at(-1));
    const published = parts.length >= 2 ? Number(parts.at(-2)) : null;
    if (!Number.isInteger(target) || (published !== null && !Number.isInteger(published))) {
      throw new Error(`unsupported port entry "${String(entry)}"`);
    }
    return { published, target };
  });
}

// ---- the Dockerfile ---------------------------------------------------------------------------

interface Instruction {
  op: string;
  args: string;
}
interface Stage {
  name: string;
  base: string;
  parent: Stage | null;
  instructions: Instruction[];
}

function parseDockerfile(text: string): { args: Map<string, string>; stages: Stage[] } {
  const logical: string[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#') || line === '') continue;
    if (line.endsWith('\\')) pending += `${line.slice(0, -1)} `;
    else {
      logical.push(pending + line);
      pending = '';
    }
  }
  const args = new Map<string, string>();
  const stages: Stage[] = [];
  for (const line of logical) {
    const [, op = '', rest = ''] = /^(\S+)\s*(.*)$/s.exec(line) ?? [];
    const upper = op.toUpperCase();
    if (upper === 'FROM') {
      const [image = '', , alias] = rest.split(/\s+/);
      const base = image.replace(/\$\{?([A-Za-z_]+)\}?/g, (_m, name: string) => args.get(name) ?? '');
      const parent = stages.find((s) => s.name === base) ?? null;
      stages.push({ name: alias ?? String(stages.length), base, parent, instructions: [] });
    } else if (stages.length === 0) {
      if (upper === 'ARG') {
        const [name = '', value = ''] = rest.split('=');
        args.set(name, value);
      }
    } else {
      stages.at(-1)!.instructions.push({ op: upper, args: rest });
    }
  }
  return { args, stages };
}

function lineage(stage: Stage): Stage[] {
  return stage.parent ? [...lineage(stage.parent), stage] : [stage];
}
function envOf(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const s of lineage(stage)) {
    for (const { op, args } of s.instructions) {
      if (op !== 'ENV') continue;
      for (const pair of args.split(/\s+/)) {
        const [key, value] = pair.split(/=(.*)/s);
        if (key && value !== undefined) env[key] = value.replace(/^"(.*)"$/, '$1');
      }
    }
  }
  return env;
}

const dockerfile = parseDockerfile(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
const runtime = dockerfile.stages.at(-1)!;
const runtimeLines = lineage(runtime).flatMap((s) => s.instructions);

// ---- what each service listens on, read from its own configuration ----------------------------

function endpointsIn(node: Yaml): string[] {
  if (Array.isArray(node)) return node.flatMap(endpointsIn);
  if (!isObj(node)) return [];
  return Object.entries(node).flatMap(([key, value]) =>
    key === 'endpoint' && typeof value === 'string' ? [value] : endpointsIn(value),
  );
}
function portOf(endpoint: string): number {
  return Number(/:(\d+)$/.exec(endpoint)?.[1]);
}

const collectorConfigPath = hostPathOf(
  service('otel-collector'),
  flag(command(service('otel-collector')), '--config')!,
);
const collector = obj(loadYaml(collectorConfigPath!), 'collector config');
const collectorListens = [
  ...endpointsIn(collector.receivers),
  ...Object.entries(obj(collector.exporters, 'exporters'))
    .filter(([id]) => id.split('/')[0] === 'prometheus')
    .flatMap(([, config]) => endpointsIn(config)),
];

const tempoConfigPath = hostPathOf(service('tempo'), flag(command(service('tempo')), '-config.file')!);
const tempo = obj(loadYaml(tempoConfigPath!), 'tempo config');
const tempoServer = obj(tempo.server, 'tempo server');
const tempoListens = endpointsIn(obj(tempo.distributor, 'tempo distributor').receivers);

const prometheusConfigPath = hostPathOf(service('prometheus'), flag(command(service('prometheus')), '--config.file')!);
const prometheus = obj(loadYaml(prometheusConfigPath!), 'prometheus config');

/** Dockerfile ENV, then the compose environment: what the reconciler's process sees. */
const reconcilerEnv = { ...envOf(runtime), ...environment(service('reconciler')) };
const reconcilerConfig = parseConfig(reconcilerEnv, () => {
  throw new Error('no files are read in this test');
});

const LISTENS: Record<string, number[]> = {
  mongo: [Number(flag(command(service('mongo')), '--port') ?? 27017)],
  reconciler: [reconcilerConfig.port],
  'otel-collector': collectorListens.map(portOf),
  tempo: [
    Number(tempoServer.http_listen_port),
    Number(tempoServer.grpc_listen_port ?? 9095),
    ...tempoListens.map(portOf),
  ],
  prometheus: [portOf(flag(command(service('prometheus')), '--web.listen-address') ?? ':9090')],
  grafana: [Number(environment(service('grafana')).GF_SERVER_HTTP_PORT ?? 3000)],
};

// ---- tests ------------------------------------------------------------------------------------

test('every YAML file of the stack parses (compose, deploy/, Grafana provisioning)', (t) => {
  const files = ['docker-compose.yml', ...yamlFilesUnder('deploy'), ...yamlFilesUnder('dashboards/provisioning')];
  t.true(files.includes('deploy/prometheus.yml') && files.includes('deploy/otel-collector.yaml'));
  for (const file of files) t.notThrows(() => loadYaml(join(ROOT, file)), file);
});

test('the services are the expected ones and each listens where the stack expects', (t) => {
  t.deepEqual(Object.keys(services).sort(), Object.keys(LISTENS).sort());
  const expected: Record<string, number[]> = {
    mongo: [27017],
    reconciler: [3000],
    'otel-collector': [4317, 4318, 8889],
    tempo: [3200, 4317, 4318],
    prometheus: [9090],
    grafana: [3000],
  };
  for (const [name, wanted] of Object.entries(expected)) {
    for (const port of wanted) t.true(LISTENS[name]!.includes(port), `${name} listens on ${port}`);
  }
  // A receiver bound to localhost is unreachable from the other containers.
  for (const endpoint of [...collectorListens, ...tempoListens]) {
    t.notRegex(endpoint, /^(localhost|127\.)/, `${endpoint} binds every interface`);
  }
  t.is(reconcilerConfig.host, '0.0.0.0', 'the reconciler listens on every interface');
});

test('compose variables: the required ones are set in .env.example, every one is documented there', (t) => {
  const documented = new Set(
    [...readFileSync(join(ROOT, '.env.example'), 'utf8').matchAll(/^#?\s*([A-Z_][A-Z0-9_]*)=/gm)].map((m) => m[1]),
  );
  for (const name of composeVariables) t.true(documented.has(name), `${name} is in .env.example`);
  const required = [...readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8').matchAll(/\$\{([A-Z_][A-Z0-9_]*):?\?/g)];
  t.true(required.length >= 2);
  for (const [, name] of required) {
    t.regex(exampleEnv.get(name!) ?? '', /^change-me/, `${name} is required and documented as change-me`);
  }
});

test('every bind mount exists in the repository and every named volume is declared', (t) => {
  let binds = 0;
  for (const [name, svc] of Object.entries(services)) {
    for (const mount of mounts(obj(svc, name))) {
      if (mount.bind) {
        binds += 1;
        t.true(existsSync(resolve(ROOT, mount.source)), `${name}: ${mount.source} exists`);
      } else if (mount.source !== '') {
        t.true(namedVolumes.has(mount.source), `${name}: volume ${mount.source} is declared`);
      }
    }
  }
  t.true(binds >= 7);
  for (const volume of ['mongo-data', 'tempo-data', 'prometheus-data', 'grafana-data'])
    t.true(namedVolumes.has(volume));
});

test('each service reads the config file its command names, and Grafana its provisioning', (t) => {
  t.is(collectorConfigPath, join(ROOT, 'deploy/otel-collector.yaml'));
  t.is(tempoConfigPath, join(ROOT, 'deploy/tempo.yaml'));
  t.is(prometheusConfigPath, join(ROOT, 'deploy/prometheus.yml'));
  for (const rule of strings(prometheus.rule_files)) {
    t.is(hostPathOf(service('prometheus'), rule), join(ROOT, 'dashboards/alerts.yml'), `rule file ${rule}`);
  }
  const grafana = service('grafana');
  t.true(existsSync(hostPathOf(grafana, '/etc/grafana/provisioning/datasources/datasources.yml') ?? ''));
  t.true(existsSync(hostPathOf(grafana, '/etc/grafana/provisioning/dashboards/dashboards.yml') ?? ''));
  const providers = list(obj(loadYaml(join(ROOT, 'dashboards/provisioning/dashboards/dashboards.yml')), 'p').providers);
  for (const provider of providers) {
    const path = String(obj(obj(provider, 'provider').options, 'options').path);
    const onHost = hostPathOf(grafana, path);
    t.truthy(onHost, `${path} is mounted`);
    t.true(readdirSync(onHost!).filter((f) => f.endsWith('.json')).length >= 4, `dashboards JSON under ${path}`);
  }
});

test('depends_on names defined services, and service_healthy targets have a healthcheck', (t) => {
  const dockerfileHealthcheck = runtimeLines.some((i) => i.op === 'HEALTHCHECK' && !/^NONE\b/i.test(i.args));
  const hasHealthcheck = (name: string): boolean => {
    const svc = service(name);
    if (isObj(svc.healthcheck)) return svc.healthcheck.disable !== true;
    return svc.build !== undefined && dockerfileHealthcheck;
  };
  for (const [name, svc] of Object.entries(services)) {
    const deps = obj(svc, name).depends_on;
    const entries: [string, Yaml][] = Array.isArray(deps)
      ? deps.map((d) => [String(d), {}])
      : Object.entries(isObj(deps) ? deps : {});
    for (const [dep, spec] of entries) {
      t.true(dep in services, `${name} depends on defined service ${dep}`);
      if (isObj(spec) && spec.condition === 'service_healthy') t.true(hasHealthcheck(dep), `${dep} has a healthcheck`);
    }
  }
  t.deepEqual(obj(service('reconciler').depends_on, 'depends_on').mongo, { condition: 'service_healthy' });
  t.true(hasHealthcheck('reconciler'), 'the reconciler inherits the Dockerfile HEALTHCHECK');
  t.is(service('reconciler').healthcheck, undefined);
  t.regex(strings(obj(service('mongo').healthcheck, 'hc').test).join(' '), /rs\.initiate\(.*rs0.*mongo:27017/);
});

test('published ports are unique, reach a port the process listens on, and the reconciler can scale', (t) => {
  const hostPorts = new Map<number, string>();
  for (const [name, svc] of Object.entries(services)) {
    for (const port of ports(obj(svc, name))) {
      t.true(LISTENS[name]!.includes(port.target), `${name} listens on container port ${port.target}`);
      if (port.published === null) continue;
      t.false(hostPorts.has(port.published), `host port ${port.published} published once`);
      hostPorts.set(port.published, name);
    }
  }
  t.deepEqual(ports(service('reconciler')), [{ published: null, target: 3000 }], 'no fixed host port: --scale works');
  t.false('container_name' in service('reconciler'), 'a container_name would forbid --scale');
  t.is(hostPorts.get(3001), 'grafana');
  t.is(hostPorts.get(9090), 'prometheus');
  t.is(hostPorts.get(3200), 'tempo');
});

test('every address of another service names a compose service and a port it listens on', (t) => {
  const found = new Set<string>();
  const check = (where: string, text: string): void => {
    for (const [, host, port] of text.matchAll(/(?<![\w.-])([a-z][a-z0-9_-]*):(\d{2,5})\b/g)) {
      const address = `${host}:${port}`;
      if (host === 'localhost') {
        // Links a browser follows (TRACE_URL_TEMPLATE, Grafana's root URL): a published host port.
        t.true(
          Object.values(services).some((svc) => ports(obj(svc, 'svc')).some((p) => p.published === Number(port))),
          `${where}: ${address} is a published host port`,
        );
        continue;
      }
      found.add(address);
      t.true(host! in services, `${where}: ${address} names a compose service`);
      t.true(LISTENS[host!]?.includes(Number(port)) ?? false, `${where}: ${host} listens on ${port}`);
    }
  };
  const walk = (where: string, node: Yaml, skip: ReadonlySet<string> = new Set()): void => {
    if (typeof node === 'string') check(where, node);
    else if (Array.isArray(node)) node.forEach((item) => walk(where, item, skip));
    else if (isObj(node)) for (const [k, v] of Object.entries(node)) if (!skip.has(k)) walk(where, v, skip);
  };
  for (const [name, svc] of Object.entries(services))
    walk(`compose ${name}`, svc, new Set(['image', 'ports', 'volumes']));
  for (const file of [...yamlFilesUnder('deploy'), ...yamlFilesUnder('dashboards/provisioning')]) {
    walk(file, loadYaml(join(ROOT, file)));
  }
  // Prometheus' DNS discovery names a service and a port separately.
  for (const job of list(prometheus.scrape_configs).map((j) => obj(j, 'job'))) {
    for (const sd of list(job.dns_sd_configs).map((s) => obj(s, 'dns_sd'))) {
      t.is(sd.type, 'A');
      for (const name of strings(sd.names)) check(`prometheus ${String(job.job_name)}`, `${name}:${String(sd.port)}`);
    }
  }
  for (const address of [
    'mongo:27017',
    'otel-collector:4318',
    'tempo:4317',
    'tempo:3200',
    'prometheus:9090',
    'otel-collector:8889',
    'reconciler:3000',
  ]) {
    t.true(found.has(address), `${address} is referenced`);
  }
});

test('the reconciler environment passes the service’s configuration parser', (t) => {
  t.is(reconcilerConfig.mode, 'production');
  t.deepEqual(reconcilerConfig.store, {
    kind: 'mongodb',
    uri: 'mongodb://mongo:27017/?replicaSet=rs0',
    database: 'reconciler',
  });
  t.is(reconcilerEnv.OTEL_EXPORTER_OTLP_ENDPOINT, 'http://otel-collector:4318');
  t.is(reconcilerEnv.OTEL_SERVICE_NAME, 'reconciler');
  // The trace link opens Grafana Explore on the provisioned Tempo data source.
  const template = reconcilerConfig.traceUrlTemplate!;
  const url = new URL(template.replace('{traceId}', '0af7651916cd43dd8448eb211c80319c'));
  t.is(url.pathname, '/explore');
  const panes = JSON.parse(url.searchParams.get('panes') ?? '{}') as Record<
    string,
    { queries: { datasource: { uid: string }; query: string }[] }
  >;
  const query = Object.values(panes)[0]!.queries[0]!;
  t.is(query.query, '0af7651916cd43dd8448eb211c80319c');
  const datasources = list(
    obj(loadYaml(join(ROOT, 'dashboards/provisioning/datasources/datasources.yml')), 'ds').datasources,
  );
  t.true(datasources.some((ds) => isObj(ds) && ds.uid === query.datasource.uid && ds.type === 'tempo'));
});

test('the collector’s pipelines name only components its config defines', (t) => {
  const pipelines = obj(obj(collector.service, 'service').pipelines, 'pipelines');
  t.true('traces' in pipelines && 'metrics' in pipelines);
  const used = new Set<string>();
  for (const [id, pipeline] of Object.entries(pipelines)) {
    t.regex(id, /^(traces|metrics|logs)(\/.+)?$/);
    const spec = obj(pipeline, id);
    t.true(strings(spec.receivers).length > 0 && strings(spec.exporters).length > 0, `${id} receives and exports`);
    for (const kind of ['receivers', 'processors', 'exporters'] as const) {
      const defined = isObj(collector[kind]) ? collector[kind] : {};
      for (const name of strings(spec[kind])) {
        t.true(name in defined, `${id}: ${kind} ${name} is defined`);
        used.add(`${kind}:${name}`);
      }
    }
  }
  for (const kind of ['receivers', 'processors', 'exporters'] as const) {
    for (const name of Object.keys(isObj(collector[kind]) ? collector[kind] : {})) {
      t.true(used.has(`${kind}:${name}`), `${kind} ${name} is used by a pipeline`);
    }
  }
  const traces = obj(pipelines.traces, 'traces');
  const toTempo = strings(traces.exporters).map((id) => obj(obj(collector.exporters, 'e')[id], id));
  t.true(toTempo.some((e) => e.endpoint === 'tempo:4317' && obj(e.tls, 'tls').insecure === true));
  t.true(strings(obj(pipelines.metrics, 'metrics').exporters).some((id) => id.split('/')[0] === 'prometheus'));
});

test('Prometheus: promtool accepts the config (rule files at their repository paths)', async (t) => {
  t.is(String(obj(prometheus.global, 'global').scrape_interval), '15s');
  const datasources = list(
    obj(loadYaml(join(ROOT, 'dashboards/provisioning/datasources/datasources.yml')), 'ds').datasources,
  );
  const promDs = datasources.map((d) => obj(d, 'ds')).find((d) => d.type === 'prometheus')!;
  t.is(String(obj(promDs.jsonData, 'jsonData').timeInterval), '15s', 'scrape_interval equals the timeInterval');
  const flags = command(service('prometheus'));
  t.true(flags.includes('--enable-feature=exemplar-storage'));
  t.true(flags.includes('--web.enable-lifecycle'));
  t.truthy(flag(flags, '--storage.tsdb.path'));

  const dir = mkdtempSync(join(tmpdir(), 'deploy-promtool-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const copy = {
    ...prometheus,
    rule_files: strings(prometheus.rule_files).map((r) => hostPathOf(service('prometheus'), r)),
  };
  const path = join(dir, 'prometheus.yml');
  writeFileSync(path, JSON.stringify(copy)); // JSON is YAML
  const result = await runTool('promtool', ['check', 'config', path]);
  t.is(result.code, 0, `${result.stdout}\n${result.stderr}`);
  t.regex(result.stdout + result.stderr, /SUCCESS: \d+ rules found/);
});

test('Dockerfile: multi-stage, native build, production deps, non-root, healthcheck, tracing preload', (t) => {
  const { stages } = dockerfile;
  t.true(stages.length >= 2, 'at least two FROM stages');
  for (const stage of stages.filter((s) => s.parent === null)) t.is(stage.base, 'node:20-bookworm-slim');

  const runs = (stage: Stage): string[] => stage.instructions.filter((i) => i.op === 'RUN').map((i) => i.args);
  const deps = stages.find((s) => runs(s).some((r) => /npm ci\b.*--omit=dev/.test(r)));
  t.truthy(deps, 'npm ci --omit=dev');
  const toolchain = lineage(deps!).flatMap(runs).join('\n');
  for (const tool of ['python3', 'make', 'g++'])
    t.true(toolchain.includes(tool), `${tool} where better-sqlite3 builds`);
  const copies = runtime.instructions.filter((i) => i.op === 'COPY').map((i) => i.args);
  t.true(
    lineage(runtime).includes(deps!) ||
      copies.some((c) => c.includes(`--from=${deps!.name}`) && c.includes('node_modules')),
    'the runtime gets the production node_modules',
  );
  const build = stages.find((s) => runs(s).some((r) => r.includes('npm run build')))!;
  t.true(
    copies.some((c) => c.includes(`--from=${build.name}`) && c.includes('dist')),
    'the runtime gets dist/',
  );
  t.false(lineage(runtime).flatMap(runs).join('\n').includes('g++'), 'no compiler in the runtime image');

  const users = runtimeLines.filter((i) => i.op === 'USER').map((i) => i.args.trim());
  t.true(users.length > 0 && !/^(root|0)(:|$)/.test(users.at(-1)!), `runs as ${users.at(-1)}`);
  const health = runtimeLines.filter((i) => i.op === 'HEALTHCHECK').map((i) => i.args);
  t.is(health.length, 1);
  t.regex(health[0]!, /CMD \[\s*"node"/);
  t.regex(health[0]!, /\/readyz/);
  const env = envOf(runtime);
  t.like(env, { HOST: '0.0.0.0', NODE_ENV: 'production', DATA_DIR: '/data' });
  t.true(runtimeLines.some((i) => i.op === 'EXPOSE' && i.args.split(/\s+/).includes(String(reconcilerConfig.port))));

  const cmd = JSON.parse(runtimeLines.filter((i) => i.op === 'CMD').at(-1)!.args) as string[];
  t.deepEqual(cmd, ['node', '--import', './dist/src/telemetry/instrument.js', 'dist/src/main.js']);
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  t.true(pkg.scripts.start!.includes(cmd.slice(1).join(' ')), 'the same preload as npm start');
  t.true(existsSync(join(ROOT, 'src/telemetry/instrument.ts')));
  const reconciler = service('reconciler');
  t.is(reconciler.build, '.');
  t.is(reconciler.entrypoint, undefined);
  if (reconciler.command !== undefined)
    t.true(command(reconciler).join(' ').includes('--import ./dist/src/telemetry/instrument.js'));

  // What the Dockerfile copies from the context exists and is not ignored.
  const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim());
  for (const entry of ['node_modules', 'dist', 'data', 'test-output', '.git', '.env'])
    t.true(ignored.includes(entry), entry);
  for (const args of stages.flatMap((s) =>
    s.instructions.filter((i) => i.op === 'COPY' && !i.args.includes('--from')),
  )) {
    const sources = args.args
      .split(/\s+/)
      .filter((a) => !a.startsWith('--'))
      .slice(0, -1);
    for (const source of sources) {
      t.true(existsSync(join(ROOT, source)), `COPY ${source} exists`);
      t.false(ignored.includes(source.split('/')[0]!), `COPY ${source} is not in .dockerignore`);
    }
  }
});

import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import test, { type ExecutionContext } from 'ava';
import fc from 'fast-check';
import type { Delivery } from '../src/domain/delivery.js';
import { asGitHubId } from '../src/domain/delivery.js';
import {
  coveredRepoWorld,
  installationPayload,
  OCTO_API,
  pullRequestPayload,
  pushPayload,
  repositoryPayload,
  scopePayload,
} from './support/github-payloads.js';
import { startFakeGitHub, type FakeGitHub } from './support/fake-github.js';
import { openSnapshotReader, type ModelSnapshot, type SnapshotReader } from './support/store-snapshot.js';
import { json, startTestService, temporaryDir, TEST_SECRET, type TestService } from './support/test-service.js';
import { postDelivery, signedDelivery } from './support/webhook-samples.js';

// Hostile input (issue 8, item 4): correctly signed deliveries whose JSON is random, truncated
// or a real payload with fields dropped, retyped, renested or made huge. Each run sends the
// mutated payload M to twin A and, to twin B (the same world), the payload C that is the
// original with only the fields the reconciler reads taken from M. Whatever M does, the noise
// around those fields must not matter: A and B end in the same state. On top of that a delivery
// that was not applied changes nothing, none fails (the fake GitHub answers every resync, so
// only a crash could fail one), and the worker keeps applying good deliveries afterwards.

type Json = Record<string, unknown>;

/** Every path of a payload the reconciler reads (src/reconcile/webhooks/, route-delivery.ts). */
const READ_PATHS = [
  'action',
  'installation.id',
  'installation.account.id',
  'installation.account.login',
  'installation.account.slug',
  'installation.account.type',
  'installation.permissions',
  'installation.repository_selection',
  'installation.events',
  'installation.target_type',
  'installation.suspended_at',
  'installation.suspended_by.login',
  'sender.login',
  'repositories',
  'repositories_added',
  'repositories_removed',
  'repository.id',
  'repository.full_name',
  'repository.name',
  'repository.owner.login',
  'repository.default_branch',
  'repository.visibility',
  'repository.private',
  'repository.archived',
  'account.login',
  'account.slug',
  'changes.login.from',
  'changes.slug.from',
  'commits',
  'created',
  'forced',
].map((path) => path.split('.'));

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The original with M's value at every read path. Where M has no object on the way to a read
 * field (dropped or retyped), C gets M's value (or absence) at that point too.
 */
function carryReadFields(original: Json, mutated: Json): Json {
  const carried = structuredClone(original);
  for (const path of READ_PATHS) {
    let from: Json = mutated;
    let to: Json = carried;
    for (const [i, key] of path.entries()) {
      const value = Object.hasOwn(from, key) ? from[key] : undefined;
      if (i === path.length - 1 || !isObject(value)) {
        if (value === undefined) delete to[key];
        else to[key] = structuredClone(value);
        break;
      }
      if (!isObject(to[key])) to[key] = {};
      from = value;
      to = to[key] as Json;
    }
  }
  return carried;
}

/** Paths of every value inside a payload (objects and arrays), the payload itself excluded. */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((inner, i) => [[...prefix, i], ...pathsOf(inner, [...prefix, i])]);
  if (isObject(value))
    return Object.entries(value).flatMap(([key, inner]) => [[...prefix, key], ...pathsOf(inner, [...prefix, key])]);
  return [];
}

/** Which value a mutation damages: half of them aim at a field the reconciler reads. */
interface Target {
  index: number;
  read: boolean;
}

const target: fc.Arbitrary<Target> = fc.record({ index: fc.nat(), read: fc.boolean() });

/** On the way to, or inside, a read field (`repositories.0.id` is inside `repositories`). */
const isReadPath = (path: (string | number)[]): boolean =>
  READ_PATHS.some((read) => read.slice(0, path.length).every((key, i) => key === String(path[i])));

type Mutation =
  | { kind: 'drop'; at: Target }
  | { kind: 'replace'; at: Target; value: unknown }
  | { kind: 'wrap'; at: Target; inArray: boolean }
  /** Still well typed, another value: a string, number or boolean changed, not broken. */
  | { kind: 'plausible'; at: Target }
  /** Every value the reconciler does not read changed or dropped at once: reading one is a bug. */
  | { kind: 'noise'; drop: boolean }
  | { kind: 'add'; key: string; value: unknown };

const hostileValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(
    2 ** 53,
    -1,
    0,
    1.5,
    1e308,
    Number.MAX_SAFE_INTEGER,
    '',
    'x'.repeat(5_000),
    'other-org',
    'other-org/other-repo',
    'selected',
    'Organization',
    '__proto__',
    [],
    {},
    null,
    true,
  ),
  fc.bigInt().map((n) => n.toString()),
);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('drop' as const), at: target }),
  fc.record({ kind: fc.constant('replace' as const), at: target, value: hostileValue }),
  fc.record({ kind: fc.constant('wrap' as const), at: target, inArray: fc.boolean() }),
  fc.record({ kind: fc.constant('plausible' as const), at: target }),
  fc.record({ kind: fc.constant('noise' as const), drop: fc.boolean() }),
  fc.record({
    kind: fc.constant('add' as const),
    key: fc.constantFrom('installation', 'repository', 'repositories', 'action', 'account', 'constructor', 'x'),
    value: hostileValue,
  }),
);

const valueAt = (payload: Json, path: (string | number)[]): unknown =>
  path.reduce<unknown>((node, key) => (node as Json)[key as string], payload);

function plausiblyChanged(value: unknown): unknown {
  if (typeof value === 'string') return value.includes('/') ? `other-org/${value.split('/')[1]}` : `other-${value}`;
  if (typeof value === 'number') return value + 1;
  if (typeof value === 'boolean') return !value;
  return value;
}

function mutate(original: Json, mutations: Mutation[]): Json {
  const payload = structuredClone(original);
  for (const change of mutations) {
    if (change.kind === 'add') {
      payload[change.key] = structuredClone(change.value);
      continue;
    }
    if (change.kind === 'noise') {
      // Deepest first, so a dropped parent does not hide its children's paths.
      for (const path of pathsOf(payload)
        .filter((p) => !isReadPath(p))
        .reverse()) {
        const parent = valueAt(payload, path.slice(0, -1)) as Json;
        const key = path.at(-1) as string;
        if (change.drop && !Array.isArray(parent)) delete parent[key];
        else parent[key] = plausiblyChanged(parent[key]);
      }
      continue;
    }
    const all = pathsOf(payload);
    const read = all.filter(isReadPath);
    const paths = change.at.read && read.length > 0 ? read : all;
    const path = paths[change.at.index % Math.max(1, paths.length)];
    if (path === undefined) continue;
    const parent = valueAt(payload, path.slice(0, -1)) as Json;
    const key = path.at(-1) as string;
    if (change.kind === 'drop') {
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
    } else if (change.kind === 'replace') parent[key] = structuredClone(change.value);
    else if (change.kind === 'plausible') parent[key] = plausiblyChanged(parent[key]);
    else parent[key] = change.inArray ? [parent[key]] : { value: parent[key] };
  }
  return payload;
}

/** What a run sends: a real payload and how it is damaged. */
type Damage =
  | { kind: 'fields'; mutations: Mutation[] }
  /** A random JSON object in place of the payload. */
  | { kind: 'random'; payload: Json }
  /** The body cut short: not JSON any more. */
  | { kind: 'truncated'; keep: number };

const damage: fc.Arbitrary<Damage> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('fields' as const),
      mutations: fc.array(mutation, { minLength: 1, maxLength: 4 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('random' as const),
      payload: fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 })),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncated' as const), keep: fc.nat() }) },
);

const INSTALLATION_ID = 22;

/** The real payloads each handled event is fuzzed from, in this world's ids. */
const ORIGINALS: Record<string, (action: string) => Json> = {
  installation: (action) => installationPayload(action, INSTALLATION_ID, [OCTO_API]),
  installation_repositories: (action) => scopePayload(action as 'added' | 'removed', INSTALLATION_ID, [OCTO_API]),
  repository: (action) => repositoryPayload(action, OCTO_API, INSTALLATION_ID),
  // @octokit/webhooks-examples has no installation_target example: this is the documented shape.
  installation_target: () => ({
    action: 'renamed',
    account: { id: 5, login: 'octo-renamed', type: 'Organization', node_id: 'O_5' },
    changes: { login: { from: 'octo-org' } },
    installation: { id: INSTALLATION_ID, node_id: 'I_22' },
    target_type: 'Organization',
    sender: { id: 1, login: 'octocat', type: 'User' },
  }),
  push: () => pushPayload(OCTO_API, INSTALLATION_ID, ['src/index.ts']),
  pull_request: (action) => pullRequestPayload(action, OCTO_API, INSTALLATION_ID),
};

const ACTIONS: Record<string, string[]> = {
  installation: ['created', 'deleted', 'suspend', 'unsuspend', 'new_permissions_accepted'],
  installation_repositories: ['added', 'removed'],
  repository: ['created', 'renamed', 'edited', 'transferred', 'deleted', 'archived', 'publicized'],
  installation_target: ['renamed'],
  push: [''],
  pull_request: ['opened', 'closed', 'synchronize', 'labeled'],
};

interface Twin {
  service: TestService;
  snapshot: SnapshotReader;
}

/**
 * User u1 linked to installation 22 covering octo-org/api, an automation and a push and
 * pull_request trigger on it: what every kind of delivery can change or route to.
 */
async function startTwin(t: ExecutionContext, fake: FakeGitHub | null): Promise<Twin> {
  const dataDir = temporaryDir(t);
  const env: Record<string, string> =
    fake === null
      ? {}
      : { GITHUB_API_URL: fake.url, GITHUB_APP_ID: String(fake.appId), GITHUB_APP_PRIVATE_KEY: fake.privateKey };
  const service = await startTestService(t, { dataDir, env });
  await coveredRepoWorld(service);
  const put = async (path: string, body: unknown) => {
    const response = await service.api(path, json('PUT', body));
    if (response.status >= 300) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  };
  await put('/api/automations/a1', { userId: 'u1', installationId: INSTALLATION_ID, name: 'build' });
  await put('/api/triggers/t1', {
    userId: 'u1',
    automationId: 'a1',
    installationId: INSTALLATION_ID,
    repoId: OCTO_API.id,
    events: ['push', 'pull_request'],
  });
  return { service, snapshot: openSnapshotReader(t, dataDir) };
}

const FINISHED = ['applied', 'ignored', 'failed'];

/** Sends a signed body; once stored, polls the store every millisecond (no fixed wait) until the worker finished it. */
async function send(
  service: TestService,
  event: string,
  body: string,
): Promise<{ status: number; delivery: Delivery | null }> {
  const id = `fuzz-${randomUUID()}`;
  const response = await postDelivery(service.url, await signedDelivery(TEST_SECRET, event, id, body));
  await response.arrayBuffer();
  if (response.status !== 202) return { status: response.status, delivery: await service.store.getDelivery(id) };
  const deadline = Date.now() + 10_000;
  for (;;) {
    const delivery = await service.store.getDelivery(id);
    if (delivery !== null && FINISHED.includes(delivery.state)) return { status: 202, delivery };
    if (Date.now() > deadline) throw new Error(`delivery ${id} (${event}) not finished within 10 s`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

/**
 * A valid installation.created to both twins when a run left A changed, so every run starts
 * from a covered repo; it also proves the worker still applies a good delivery afterwards.
 */
async function reseed(twins: [Twin, Twin], seeded: ModelSnapshot | null): Promise<ModelSnapshot> {
  const model = () => twins[0].snapshot.model({ timeless: true });
  if (seeded !== null && isDeepStrictEqual(model(), seeded)) return seeded;
  const body = JSON.stringify(installationPayload('created', INSTALLATION_ID, [OCTO_API]));
  for (const { delivery } of await Promise.all(twins.map((twin) => send(twin.service, 'installation', body)))) {
    assert.equal(delivery?.state, 'applied', delivery?.error ?? delivery?.reason ?? '');
  }
  return model();
}

const idAt = (payload: Json, key: string): number | null =>
  asGitHubId(isObject(payload[key]) ? payload[key].id : undefined);

// Without App credentials the payload is all there is; with them, installation events end in a
// resync against the fake GitHub (one for both twins), whose answers then decide.
const WORLDS = [
  ...Object.keys(ORIGINALS).map((event) => ({ event, app: false })),
  ...['installation', 'installation_repositories', 'repository'].map((event) => ({ event, app: true })),
];

for (const { event, app } of WORLDS) {
  // @octokit/auth-app shares in-flight tokens per installation id process-wide: App worlds run one at a time.
  (app ? test.serial : test)(
    `signed but damaged ${event} deliveries never crash the worker, and change only what their readable fields say${app ? ' (App credentials)' : ''}`,
    async (t) => {
      // 200 runs of four deliveries each, on a machine the whole suite shares.
      t.timeout(180_000);
      let fake: FakeGitHub | null = null;
      if (app) {
        fake = await startFakeGitHub(t);
        fake.installations.set(INSTALLATION_ID, {
          id: INSTALLATION_ID,
          account: { id: 5, login: 'octo-org', type: 'Organization' },
          repos: [OCTO_API],
        });
      }
      const [a, b] = await Promise.all([startTwin(t, fake), startTwin(t, fake)]);
      if (a === undefined || b === undefined) throw new Error('twins did not start');
      let seeded: ModelSnapshot | null = null;
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...(ACTIONS[event] ?? [])), damage, async (action, how) => {
          seeded = await reseed([a, b], seeded);
          const original = ORIGINALS[event]?.(action) ?? {};
          const before = a.snapshot.model();
          if (how.kind === 'truncated') {
            const whole = JSON.stringify(original);
            const sent = await send(a.service, event, whole.slice(0, 1 + (how.keep % (whole.length - 1))));
            assert.equal(sent.status, 400, 'a body that is not JSON is refused at the door');
            assert.equal(sent.delivery, null, 'and not stored');
            assert.deepEqual(a.snapshot.model(), before);
            return;
          }
          const mutated = how.kind === 'random' ? how.payload : mutate(original, how.mutations);
          const carried = carryReadFields(original, mutated);
          const [inA, inB] = await Promise.all([
            send(a.service, event, JSON.stringify(mutated)),
            send(b.service, event, JSON.stringify(carried)),
          ]);
          const story = `${JSON.stringify(mutated).slice(0, 600)} → ${inA.delivery?.state}: ${inA.delivery?.reason ?? inA.delivery?.error}`;
          assert.equal(inA.status, 202, story);
          const delivery = inA.delivery;
          if (delivery === null) return;
          assert.notEqual(delivery.state, 'failed', story);
          assert.ok(delivery.reason, `every outcome says why: ${story}`);
          if (delivery.state !== 'applied')
            assert.deepEqual(a.snapshot.model(), before, `not applied, nothing changed: ${story}`);
          if (idAt(mutated, 'installation') === null && idAt(mutated, 'repository') === null)
            assert.notEqual(
              delivery.state,
              'applied',
              `names no installation or repository, so applies nothing: ${story}`,
            );
          // The same readable fields amid the original's noise: the same outcome and state.
          assert.equal(inB.delivery?.state, delivery.state, story);
          assert.deepEqual(a.snapshot.model({ timeless: true }), b.snapshot.model({ timeless: true }), story);
          assert.deepEqual(
            a.snapshot.wakesOf(delivery.id),
            inB.delivery ? b.snapshot.wakesOf(inB.delivery.id) : [],
            story,
          );
        }),
        // No shrinking: each step costs two deliveries; the first counterexample is reported as found.
        { numRuns: 200, endOnFailure: true },
      );
      // The worker is alive and applies a good delivery after all of them, and the twins agree.
      const after = await reseed([a, b], null);
      t.deepEqual(b.snapshot.model({ timeless: true }), after);
    },
  );
}

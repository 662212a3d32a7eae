import anyTest, { type ExecutionContext } from 'ava';
import type { AuditRecord } from '../src/domain/audit/index.js';
import type { Automation, Installation, RepoRow, Trigger } from '../src/domain/entities.js';
import { bindingOf, decisionsOf, formerNamesOf } from '../src/explain/entity-pages.js';
import type {
  AutomationPageJson,
  InstallationPageJson,
  RepoPageJson,
  TriggerPageJson,
} from '../src/http/api-shapes.js';
import {
  BILLING,
  BILLING_OLD,
  DOTFILES,
  investigationWorld,
  ORG_INSTALLATION,
  PERSONAL_INSTALLATION,
  QUIET_REPOS,
  WEB,
} from './support/investigation-world.js';
import { STORE_KINDS, storeEnv, testOn } from './support/mongo-server.js';
import type { TestService } from './support/test-service.js';

// The entity pages (issue 15, item 5): what the view shows for a repo, a trigger, an automation
// and an installation. The shaping rules as plain functions, then the four pages against the
// investigation world on both stores.

const record = (seq: number, repoFullName: string | undefined, extra: Partial<AuditRecord> = {}): AuditRecord => ({
  id: `r${seq}`,
  seq,
  schemaVersion: 1,
  recordedAt: `2026-12-0${seq}T00:00:00.000Z`,
  prevHash: null,
  hash: `h${seq}`,
  kind: 'sync.decision',
  actor: 'sync',
  source: { type: 'sync', id: 's' },
  subject: { repoId: 7, ...(repoFullName === undefined ? {} : { repoFullName }) },
  decision: 'unchanged',
  reason: null,
  before: null,
  after: null,
  traceId: null,
  deliveryId: null,
  occurredAt: `2026-12-0${seq}T00:00:00.000Z`,
  ...extra,
});

anyTest('former names are the names records carried before the next one, newest first, without case', (t) => {
  const records = [
    record(5, 'acme/billing-api'),
    record(1, 'octo/billing'),
    record(2, 'Octo/Billing'),
    record(3, 'acme/billing'),
    record(4, undefined),
  ];
  t.deepEqual(formerNamesOf(records, 'ACME/billing-api'), [
    { name: 'acme/billing', until: '2026-12-05T00:00:00.000Z' },
    { name: 'Octo/Billing', until: '2026-12-03T00:00:00.000Z' },
  ]);
  t.deepEqual(formerNamesOf([record(1, 'acme/billing-api')], 'acme/billing-api'), [], 'one name: none former');
  // A name the repo has again today is not a former one.
  t.deepEqual(formerNamesOf([record(1, 'a/x'), record(2, 'a/y'), record(3, 'a/x')], 'a/x'), [
    { name: 'a/y', until: '2026-12-03T00:00:00.000Z' },
  ]);
});

const trigger: Trigger = {
  id: 't1',
  userId: 'u1',
  automationId: 'a1',
  installationId: 11,
  repoId: 7,
  repoFullName: 'acme/api',
  rootDirectory: null,
  events: ['push'],
  enabled: true,
  updatedAt: '2026-12-01T00:00:00.000Z',
};
const installation = (id: number, deletedAt: string | null = null): Installation => ({
  id,
  accountId: id,
  accountLogin: `account-${id}`,
  accountType: 'Organization',
  targetType: 'Organization',
  permissions: null,
  repositorySelection: 'all',
  events: [],
  suspendedAt: null,
  suspendedBy: null,
  deletedAt,
  updatedAt: '2026-12-01T00:00:00.000Z',
});
const automation = (installationId: number): Automation => ({
  id: 'a1',
  userId: 'u1',
  installationId,
  name: 'deploy',
  enabled: true,
  updatedAt: '2026-12-01T00:00:00.000Z',
});
const row = (installationId: number | null): RepoRow => ({
  userId: 'u1',
  repoId: 7,
  rootDirectory: null,
  fullName: 'acme/api',
  owner: 'acme',
  name: 'api',
  defaultBranch: 'main',
  visibility: 'private',
  archived: false,
  installationId,
  discoveredBy: 'installation',
  lastSeenAt: '2026-12-01T00:00:00.000Z',
});

anyTest('a binding says whether the automation and the repo row agree with the trigger', (t) => {
  const cases = [
    {
      title: 'all on 11',
      args: [automation(11), installation(11), row(11), installation(11)] as const,
      expected: { agreesWithAutomation: true, agreesWithRepoRow: true, installationState: 'active', coverage: 'covered' },
    },
    {
      title: 'stale: the row moved to 22',
      args: [automation(11), installation(11), row(22), installation(22)] as const,
      expected: { agreesWithAutomation: true, agreesWithRepoRow: false, installationState: 'active', coverage: 'covered' },
    },
    {
      title: 'automation elsewhere, installation gone',
      args: [automation(22), installation(11, '2026-12-02T00:00:00.000Z'), row(11), installation(11, '2026-12-02T00:00:00.000Z')] as const,
      expected: { agreesWithAutomation: false, agreesWithRepoRow: true, installationState: 'deleted', coverage: 'bound_to_gone' },
    },
    {
      title: 'nothing known',
      args: [null, null, null, null] as const,
      expected: { agreesWithAutomation: null, agreesWithRepoRow: null, installationState: 'unknown', coverage: undefined },
    },
  ];
  for (const { title, args, expected } of cases) {
    const [boundAutomation, boundInstallation, userRow, rowInstallation] = args;
    const binding = bindingOf(trigger, boundAutomation, boundInstallation, userRow, rowInstallation);
    t.like(
      { ...binding, coverage: binding.repoRow?.coverage },
      expected,
      title,
    );
  }
});

anyTest("a trigger's decisions are its own, one per delivery, newest first, with the delivery's receipt time", (t) => {
  const decision = (seq: number, triggerId: string, deliveryId: string, woken: boolean): AuditRecord =>
    record(seq, 'acme/api', {
      kind: 'routing.decision',
      subject: { repoId: 7, triggerId },
      deliveryId,
      decision: woken ? 'woken' : 'not_woken',
      reason: woken ? null : 'installation_mismatch',
    });
  const records = [
    decision(1, 't1', 'd1', true),
    decision(2, 't2', 'd2', true),
    decision(3, 't1', 'd3', false),
    decision(4, 't1', 'd3', false),
    decision(5, 't1', 'd4', false),
  ];
  const received = new Map([['d3', '2026-11-30T10:00:00.000Z']]);
  t.deepEqual(decisionsOf('t1', records, received, 2), [
    { deliveryId: 'd4', receivedAt: '2026-12-05T00:00:00.000Z', outcome: 'not_woken', reason: 'installation_mismatch' },
    { deliveryId: 'd3', receivedAt: '2026-11-30T10:00:00.000Z', outcome: 'not_woken', reason: 'installation_mismatch' },
  ]);
});

const test = anyTest.serial;
const page = async <T>(service: TestService, path: string): Promise<T> => {
  const answer = await service.api(path);
  if (answer.status !== 200) throw new Error(`${path}: ${answer.status} ${await answer.text()}`);
  return (await answer.json()) as T;
};

async function entityPages(t: ExecutionContext, env: Record<string, string>): Promise<void> {
  const { service, latestBillingPush } = await investigationWorld(t, { env, noiseDeliveries: 6 });

  const repo = await page<RepoPageJson>(service, `/api/repos/${BILLING.id}`);
  t.is(repo.fullName, 'acme-org/billing-api');
  t.deepEqual(
    repo.formerNames.map((n) => n.name),
    [`${BILLING_OLD.owner}/${BILLING_OLD.name}`],
    'the name it had before the rename',
  );
  t.deepEqual(
    repo.rows.map((r) => [r.userId, r.installationId, r.coverage, r.rootDirectory]),
    [['u1', ORG_INSTALLATION, 'covered', null]],
  );
  t.deepEqual(repo.triggers.map((tr) => tr.id), ['t-deploy']);
  t.is(repo.latestDeliveries[0]?.id, latestBillingPush.id, 'newest first');
  t.is(repo.latestDeliveries.length, 3, 'the rename and both pushes');
  t.true(repo.latestDeliveries.every((d) => d.repoFullName === 'acme-org/billing-api'));
  t.is(repo.latestDeliveries[0]?.outcome, 'woke_none');

  const deploy = await page<TriggerPageJson>(service, '/api/triggers/t-deploy');
  t.is(deploy.trigger.id, 't-deploy', 'the GET answer of a trigger is kept');
  t.is(deploy.automation?.id, 'a-deploy');
  t.like(deploy.binding, {
    installationId: PERSONAL_INSTALLATION,
    installationAccount: 'octocat',
    installationState: 'active',
    automationInstallationId: PERSONAL_INSTALLATION,
    agreesWithAutomation: true,
    repoRow: { installationId: ORG_INSTALLATION, coverage: 'covered', fullName: 'acme-org/billing-api' },
    agreesWithRepoRow: false,
  });
  t.deepEqual(
    deploy.latestDecisions.map((d) => [d.outcome, d.reason]),
    [
      ['not_woken', 'installation_mismatch'],
      ['not_woken', 'installation_mismatch'],
      ['not_woken', 'event_not_subscribed'],
    ],
    'both pushes, then the rename (a repository event it does not subscribe to)',
  );
  t.is(deploy.latestDecisions[0]?.deliveryId, latestBillingPush.id);
  t.is(deploy.latestDecisions[0]?.receivedAt, latestBillingPush.receivedAt);

  const web = await page<TriggerPageJson>(service, '/api/triggers/t-web');
  t.like(web.binding, { agreesWithRepoRow: true, agreesWithAutomation: null });
  t.is(web.automation, null);
  t.true(web.latestDecisions.length > 0 && web.latestDecisions.every((d) => d.outcome === 'woken'));

  const automation = await page<AutomationPageJson>(service, '/api/automations/a-deploy');
  t.is(automation.automation.name, 'Deploy billing');
  t.deepEqual(automation.triggers.map((tr) => tr.id), ['t-deploy']);

  const org = await page<InstallationPageJson>(service, `/api/installations/${ORG_INSTALLATION}`);
  t.like(org.installation, {
    id: ORG_INSTALLATION,
    account: { login: 'acme-org', type: 'Organization' },
    state: 'active',
  });
  t.deepEqual(org.linkedUsers, ['u1']);
  const orgRepos = 2 + QUIET_REPOS.length;
  t.deepEqual(org.coverage, { rows: orgRepos, covered: orgRepos, notCovered: 0 });
  t.true(org.latestSyncs.length > 0, 'the sync of u1 synced the installation');
  t.is(org.latestSyncs[0]?.decision, 'completed');
  const personal = await page<InstallationPageJson>(service, `/api/installations/${PERSONAL_INSTALLATION}`);
  t.deepEqual(personal.coverage, { rows: 1, covered: 1, notCovered: 0 }, DOTFILES.name);

  for (const [path, code] of [
    [`/api/repos/999999`, 'repo_not_found'],
    ['/api/triggers/nope', 'trigger_not_found'],
    ['/api/automations/nope', 'automation_not_found'],
    ['/api/installations/999999', 'installation_not_found'],
  ] as const) {
    const answer = await service.api(path);
    t.is(answer.status, 404, path);
    t.like(await answer.json(), { error: { code } }, path);
  }
  for (const path of ['/api/repos/abc', '/api/repos/0', '/api/installations/-1', '/api/triggers/%20x']) {
    const answer = await service.api(path);
    t.is(answer.status, 400, path);
    t.like(await answer.json(), { error: { code: 'invalid_input' } }, path);
  }
  t.is((await service.api(`/api/repos/${WEB.id}`)).status, 200);
}

for (const kind of STORE_KINDS)
  testOn(kind, test)(`${kind}: the entity pages tell a repo's names, rows and deliveries, a trigger's binding and decisions, an installation's coverage`, async (t) =>
    entityPages(t, await storeEnv(t, kind)),
  );

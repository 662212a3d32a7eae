import anyTest, { type ExecutionContext } from 'ava';
import type { AuditRecord } from '../src/domain/audit/index.js';
import type { DiagnosisStep } from '../src/domain/diagnose.js';
import type { UserSyncJson } from '../src/http/api-shapes.js';
import { appWorld } from './support/app-world.js';
import type { FakeGitHub, FakeRepo } from './support/fake-github.js';
import {
  deliver,
  installationPayload,
  pushPayload,
  rowsView,
  scopePayload,
  transferredPayload,
  accountRenamedPayload,
} from './support/github-payloads.js';
import { STORE_KINDS, storeEnv, testOn } from './support/mongo-server.js';
import { eventually, json, startTestService, type TestService } from './support/test-service.js';

// Issue 17: coverage never lies. Each lifecycle through the public API with real payloads from
// @octokit/webhooks-examples against the fake GitHub: the rows, the routing reason, the diagnose
// steps and the audit records all tell the same story.

// Serial: the scenarios mint tokens for the same installation ids (see test/support/fake-github.ts).
const serial = anyTest.serial;

/** Each scenario on the embedded store and on MongoDB; `env` selects the store as an operator would. */
function test(title: string, run: (t: ExecutionContext, env: Record<string, string>) => Promise<void>): void {
  for (const storeKind of STORE_KINDS)
    testOn(storeKind, serial)(`${storeKind}: ${title}`, async (t) => run(t, await storeEnv(t, storeKind)));
}

const OLD_API: FakeRepo = { id: 7, owner: 'octo-old', name: 'api' };
const MOVED_API: FakeRepo = { ...OLD_API, owner: 'octo-org' };
const API: FakeRepo = { id: 7, owner: 'octo-org', name: 'api' };

interface Candidate {
  triggerId: string;
  outcome: string;
  reason: string | null;
  detail: string;
}

async function ok(response: Promise<Response>): Promise<Response> {
  const answered = await response;
  if (answered.status >= 300) throw new Error(`${answered.status}: ${await answered.text()}`);
  return answered;
}

const rowsOf = async (service: TestService, userId = 'u1') =>
  rowsView(await service.store.listRepoRows(userId, { limit: 100 }));
const sync = async (service: TestService, body: object = {}) =>
  (await (await ok(service.api('/api/users/u1/sync', json('POST', body)))).json()) as UserSyncJson;
const diagnose = async (service: TestService, repo: string) =>
  ((await (await ok(service.api(`/api/diagnose?userId=u1&repo=${repo}`))).json()) as { steps: DiagnosisStep[] }).steps;
const statuses = (steps: DiagnosisStep[]) => steps.map((s) => s.status);
/**
 * The delivery's routing decisions (every scenario here has a candidate), once its story has
 * them: MongoDB copies a finished delivery's audit records out just after it marks it done.
 */
const candidatesOf = (service: TestService, deliveryId: string) =>
  eventually(async () => {
    const story = (await (await ok(service.api(`/api/deliveries/${deliveryId}`))).json()) as {
      outcome: string;
      candidates: Candidate[];
    };
    return story.outcome === 'not_routed' || story.candidates.length === 0 ? null : story.candidates;
  });
/** The records `query` finds, oldest first (the API answers newest first). */
const auditOf = async (service: TestService, query: string) =>
  ((await (await ok(service.api(`/api/audit?${query}&limit=500`))).json()) as { records: AuditRecord[] }).records.sort(
    (a, b) => a.seq - b.seq,
  );
const putTrigger = (service: TestService, installationId: number, repoId = 7) =>
  ok(service.api('/api/triggers/t1', json('PUT', { userId: 'u1', installationId, repoId, events: ['push'] })));
const link = (service: TestService, id: number) =>
  ok(service.api(`/api/users/u1/installations/${id}`, { method: 'PUT' }));

/** u1 holds octo-old's installation 11, which covers all its repositories; octo-org's 22 is someone else's. */
async function transferWorld(
  t: ExecutionContext,
  env: Record<string, string>,
): Promise<{ fake: FakeGitHub; service: TestService }> {
  const world = await appWorld(t, [OLD_API], { env });
  const old = world.fake.installations.get(11)!;
  old.account = { id: 4, login: 'octo-old', type: 'Organization' };
  old.repositorySelection = 'all';
  world.fake.installations.set(22, {
    id: 22,
    account: { id: 5, login: 'octo-org', type: 'Organization' },
    repos: [],
    repositorySelection: 'selected',
  });
  await putTrigger(world.service, 11);
  await sync(world.service);
  return world;
}

test('a transfer out of an installation covering all repositories resyncs the installation the rows were bound to', async (t, env) => {
  const { fake, service } = await transferWorld(t, env);
  t.deepEqual(await rowsOf(service), ['octo-old/api@11']);

  // GitHub moves the repo and tells only the new owner's installation (GITHUB-FACTS.md).
  fake.installations.get(11)!.repos = [];
  fake.installations.get(22)!.repos = [MOVED_API];
  const transferred = await deliver(service, 'repository', transferredPayload(MOVED_API, 22, 'octo-old'));
  t.is(transferred.state, 'applied', transferred.reason ?? '');
  t.regex(transferred.reason ?? '', /former installation 11: installation 11 resynced: 1 detached/);
  t.deepEqual(await rowsOf(service), ['octo-org/api@-']);

  const records = await auditOf(service, `deliveryId=${transferred.id}`);
  t.true(
    records.some(
      (r) => r.kind === 'sync.installation' && r.subject.installationId === 11 && r.decision === 'completed',
    ),
    'the former installation was resynced within the delivery',
  );
  t.like(
    records.find((r) => r.kind === 'sync.decision' && r.decision === 'detached'),
    {
      subject: { userId: 'u1', repoId: 7, repoFullName: 'octo-org/api' },
      reason: 'installation 11 no longer lists the repository (installation-backed sync)',
      before: { installationId: 11 },
      after: { installationId: null },
    },
  );

  const push = await deliver(service, 'push', pushPayload(MOVED_API, 22, ['a.go']));
  t.like((await candidatesOf(service, push.id))[0], { triggerId: 't1', reason: 'installation_mismatch' });

  const steps = await diagnose(service, 'octo-org/api');
  t.deepEqual(statuses(steps), ['problem', 'problem', 'unknown', 'ok', 'problem']);
  t.regex(steps[0]?.evidence ?? '', /none of user u1's installations \(11\) belongs to octo-org/);
  t.regex(steps[1]?.evidence ?? '', /visible only \(found by installation sync\)/);

  // The former name leads to the repo under its new one, from the audit trail.
  const former = await diagnose(service, 'octo-old/api');
  t.deepEqual(statuses(former), statuses(steps));
  t.regex(former[1]?.evidence ?? '', /^octo-old\/api is a former name: repo 7 was renamed to octo-org\/api/);
});

test('after a transfer, a user holding both installations gets the new one, and diagnose names the binding rebind skipped', async (t, env) => {
  const { fake, service } = await transferWorld(t, env);
  await link(service, 22);
  fake.installations.get(11)!.repos = [];
  fake.installations.get(22)!.repos = [MOVED_API];
  const transferred = await deliver(service, 'repository', transferredPayload(MOVED_API, 22, 'octo-old'));
  t.is(transferred.state, 'applied', transferred.reason ?? '');
  t.deepEqual(await rowsOf(service), ['octo-org/api@22']);
  const covered = (await auditOf(service, `deliveryId=${transferred.id}&kind=sync.decision`)).map((r) => r.decision);
  t.deepEqual(covered, ['covered']);

  const push = await deliver(service, 'push', pushPayload(MOVED_API, 22, ['a.go']));
  const [candidate] = await candidatesOf(service, push.id);
  t.like(candidate, { triggerId: 't1', reason: 'installation_mismatch' });
  t.regex(candidate?.detail ?? '', /rebind was skipped because the user has 2 installations \(11, 22\)/);

  const steps = await diagnose(service, 'octo-org/api');
  t.deepEqual(statuses(steps), ['ok', 'ok', 'ok', 'problem', 'problem']);
  t.regex(steps[3]?.evidence ?? '', /holds 2 installations \(11, 22\)/);
  t.regex(steps[3]?.evidence ?? '', /trigger t1 is bound to installation 11, but the repo's installation is 22/);
  t.regex(
    steps[3]?.evidence ?? '',
    new RegExp(`routing refused trigger t1 \\(installation_mismatch\\) in delivery ${push.id}`),
  );
});

test("without App credentials a transfer detaches the former installation's rows from the payload, audited", async (t, env) => {
  const service = await startTestService(t, { env });
  await ok(service.api('/api/users/u1', json('PUT', { githubUserId: 1, githubLogin: 'u1' })));
  await link(service, 11);
  const created = await deliver(
    service,
    'installation',
    installationPayload('created', 11, [OLD_API], { login: 'octo-old', id: 4 }),
  );
  t.is(created.state, 'applied', created.reason ?? '');
  t.deepEqual(await rowsOf(service), ['octo-old/api@11']);

  const transferred = await deliver(service, 'repository', transferredPayload(MOVED_API, 22, 'octo-old'));
  t.is(transferred.state, 'applied', transferred.reason ?? '');
  t.regex(transferred.reason ?? '', /former installation 11: 1 detached \(from the payload/);
  t.deepEqual(await rowsOf(service), ['octo-org/api@-']);
  const [detached] = await auditOf(service, `deliveryId=${transferred.id}&kind=webhook.decision`).then((r) =>
    r.filter((record) => record.decision === 'detached'),
  );
  t.like(detached, {
    actor: 'webhook',
    subject: { userId: 'u1', repoId: 7 },
    before: { installationId: 11 },
    after: { installationId: null },
  });
  t.regex(detached?.reason ?? '', /octo-org\/api was transferred from octo-old to octo-org: installation 11/);

  await putTrigger(service, 11);
  const push = await deliver(service, 'push', pushPayload(OLD_API, 11, ['a.go']));
  const [candidate] = await candidatesOf(service, push.id);
  t.like(candidate, { reason: 'repo_not_covered' });
  t.regex(candidate?.detail ?? '', /covered by no installation for user u1 \(found by installation sync\), not by 11/);
  t.regex(
    candidate?.detail ?? '',
    /it was detached from installation 11 at .*: octo-org\/api was transferred from octo-old/,
  );
  const steps = await diagnose(service, 'octo-org/api');
  t.is(steps[0]?.status, 'problem');
  t.is(steps[1]?.status, 'problem');
});

test("unlinking an installation detaches the user's rows it covered, one audited decision each, and routing stops waking", async (t, env) => {
  const { service } = await appWorld(t, [API], { env });
  await putTrigger(service, 11);
  await sync(service);
  await ok(service.api('/api/users/u1/projects', json('PUT', { repoId: 7, rootDirectory: 'web' })));
  t.deepEqual(await rowsOf(service), ['octo-org/api@11', 'octo-org/api:web@11']);
  const woke = await deliver(service, 'push', pushPayload(API, 11, ['a.go']));
  t.like((await candidatesOf(service, woke.id))[0], { outcome: 'woken' });

  const unlinked = await service.api('/api/users/u1/installations/11', { method: 'DELETE' });
  t.is(unlinked.status, 204);
  t.deepEqual(await rowsOf(service), ['octo-org/api@-', 'octo-org/api:web@-']);
  const decisions = await auditOf(service, 'userId=u1&kind=api.decision');
  t.deepEqual(
    decisions.map((r) => [
      r.decision,
      r.actor,
      r.reason,
      r.subject.repoId,
      (r.after as { rootDirectory: string | null }).rootDirectory,
    ]),
    [
      ['detached', 'api', 'user u1 unlinked installation 11', 7, null],
      ['detached', 'api', 'user u1 unlinked installation 11', 7, 'web'],
    ],
  );
  const [link] = await auditOf(service, 'userId=u1&kind=installation.unlinked');
  t.is(link?.source.id, decisions[0]?.source.id, 'the detach shares the request that unlinked');

  const push = await deliver(service, 'push', pushPayload(API, 11, ['a.go']));
  const [candidate] = await candidatesOf(service, push.id);
  t.like(candidate, { outcome: 'not_woken', reason: 'repo_not_covered' });
  t.regex(candidate?.detail ?? '', /it was detached from installation 11 at .*: user u1 unlinked installation 11$/);
  const { wakes } = (await (await ok(service.api('/api/wakes'))).json()) as { wakes: { deliveryId: string }[] };
  t.deepEqual(
    wakes.map((w) => w.deliveryId),
    [woke.id],
    'only the push before the unlink woke the trigger',
  );

  const steps = await diagnose(service, 'octo-org/api');
  t.deepEqual(statuses(steps).slice(0, 2), ['problem', 'problem']);
  t.is(steps[3]?.status, 'problem');
  t.regex(steps[3]?.evidence ?? '', /no current installation, so rebind cannot run \(no_installations\)/);
});

test('a sync detaches rows still bound to an installation the user is no longer linked to', async (t, env) => {
  const { service } = await appWorld(t, [API], { env });
  await sync(service);
  await ok(service.api('/api/users/u1/installations/11', { method: 'DELETE' }));
  // As an unlink that stopped before its rows were detached (or one from before it detached) leaves them.
  const row = (await service.store.getRepoRow({ userId: 'u1', repoId: 7, rootDirectory: null }))!;
  await service.store.writeRepoRows([{ ...row, installationId: 11 }], []);
  const answer = await sync(service);
  t.is(answer.counts.detached, 1);
  t.deepEqual(await rowsOf(service), ['octo-org/api@-']);
  const [repaired] = await auditOf(service, `userId=u1&kind=sync.decision`).then((r) =>
    r.filter((record) => record.decision === 'detached'),
  );
  t.is(repaired?.reason, 'user u1 is not linked to installation 11');
});

test('a user whose only installations are deleted gets the no_installations skip: recorded, answered and counted', async (t, env) => {
  const { fake, service } = await appWorld(t, [API], { env });
  await putTrigger(service, 11);
  await sync(service);
  fake.installations.get(11)!.deleted = true;
  const deleted = await deliver(service, 'installation', installationPayload('deleted', 11));
  t.is(deleted.state, 'applied', deleted.reason ?? '');
  t.deepEqual(await rowsOf(service), ['octo-org/api@-']);

  const answer = await sync(service);
  t.deepEqual(answer.installationSync.runs, []);
  t.regex(answer.installationSync.reason ?? '', /every installation linked to user u1 \(11\) is deleted/);
  t.regex(answer.installationSync.reason ?? '', /rebind is skipped \(no_installations\)/);
  t.deepEqual(answer.rebind, [{ userId: 'u1', outcome: 'skipped', reason: 'no_installations', installationIds: [] }]);
  const [skip] = await auditOf(service, 'userId=u1&kind=rebind.skipped');
  t.like(skip, {
    actor: 'sync',
    decision: 'skipped',
    reason: 'no_installations',
    after: { installationIds: [], deletedInstallationIds: [11] },
  });
  t.is(skip?.source.id, answer.syncId);
  const metrics = await (await fetch(`${service.url}/metrics`)).text();
  t.regex(metrics, /reconciler_rebind_attempts_total\{outcome="skipped",reason="no_installations"\} 1\n/);

  const push = await deliver(service, 'push', pushPayload(API, 11, ['a.go']));
  t.like((await candidatesOf(service, push.id))[0], { reason: 'installation_deleted' });
  const steps = await diagnose(service, 'octo-org/api');
  t.deepEqual(statuses(steps).slice(0, 2), ['problem', 'problem']);
  t.regex(steps[0]?.evidence ?? '', /the installation for octo-org \(11\) was deleted/);
  t.is(steps[3]?.status, 'problem');
  t.regex(steps[3]?.evidence ?? '', /the last rebind was skipped \(no_installations\)/);
});

test("an account rename also renames the linked users' OAuth-only rows of that account", async (t, env) => {
  const secret: FakeRepo = { id: 9, owner: 'octo-org', name: 'secret' };
  const elsewhere: FakeRepo = { id: 10, owner: 'someone', name: 'tools' };
  const { fake, service } = await appWorld(t, [API], { env });
  fake.userRepos.set('user-token', [API, secret, elsewhere]);
  await sync(service, { oauthToken: 'user-token' });
  await ok(service.api('/api/users/u1/projects', json('PUT', { repoId: 9, rootDirectory: 'docs' })));
  t.deepEqual(await rowsOf(service), [
    'octo-org/api@11',
    'octo-org/secret@-',
    'octo-org/secret:docs@-',
    'someone/tools@-',
  ]);

  fake.installations.get(11)!.account = { id: 5, login: 'octo-renamed', type: 'Organization' };
  fake.installations.get(11)!.repos = [{ ...API, owner: 'octo-renamed' }];
  const renamed = await deliver(service, 'installation_target', accountRenamedPayload(11, 'octo-org', 'octo-renamed'));
  t.is(renamed.state, 'applied', renamed.reason ?? '');
  t.deepEqual(await rowsOf(service), [
    'octo-renamed/api@11',
    'octo-renamed/secret@-',
    'octo-renamed/secret:docs@-',
    'someone/tools@-',
  ]);
  const updates = (await auditOf(service, `deliveryId=${renamed.id}&kind=webhook.decision`)).map((r) => [
    r.decision,
    (r.before as { fullName: string }).fullName,
    (r.after as { fullName: string }).fullName,
  ]);
  t.deepEqual(updates, [
    ['updated', 'octo-org/api', 'octo-renamed/api'],
    ['updated', 'octo-org/secret', 'octo-renamed/secret'],
    ['propagated', 'octo-org/secret', 'octo-renamed/secret'],
  ]);

  await putTrigger(service, 11, 9);
  const push = await deliver(service, 'push', pushPayload({ ...secret, owner: 'octo-renamed' }, 11, ['a']));
  const [candidate] = await candidatesOf(service, push.id);
  t.like(candidate, { reason: 'repo_not_covered' });
  t.regex(
    candidate?.detail ?? '',
    /octo-renamed\/secret is only visible to user u1 \(found by OAuth sync\), not covered by installation 11$/,
  );

  const steps = await diagnose(service, 'octo-org/secret');
  t.deepEqual(statuses(steps).slice(0, 2), ['ok', 'problem']);
  t.regex(steps[1]?.evidence ?? '', /^octo-org\/secret is a former name: repo 9 was renamed to octo-renamed\/secret/);
  t.regex(steps[1]?.evidence ?? '', /visible only \(found by oauth sync\)/);
});

test('a repo removed from its installation is explained by the removal, not as an OAuth-only repo', async (t, env) => {
  const { fake, service } = await appWorld(t, [API], { env });
  await putTrigger(service, 11);
  await sync(service);
  fake.installations.get(11)!.repos = [];
  const removed = await deliver(service, 'installation_repositories', scopePayload('removed', 11, [API]));
  t.is(removed.state, 'applied', removed.reason ?? '');
  t.deepEqual(await rowsOf(service), ['octo-org/api@-']);
  t.like((await auditOf(service, `deliveryId=${removed.id}&kind=sync.decision`))[0], {
    decision: 'detached',
    subject: { userId: 'u1', repoId: 7 },
    reason: 'installation 11 no longer lists the repository (installation-backed sync)',
  });
  const push = await deliver(service, 'push', pushPayload(API, 11, ['a']));
  const [candidate] = await candidatesOf(service, push.id);
  t.like(candidate, { reason: 'repo_not_covered' });
  t.false(candidate?.detail.includes('OAuth'));
  t.regex(
    candidate?.detail ?? '',
    /octo-org\/api is covered by no installation for user u1 \(found by installation sync\), not by 11/,
  );
  // With App credentials the removal resyncs: GitHub's list, not the payload, detached it.
  t.regex(
    candidate?.detail ?? '',
    /it was detached from installation 11 at .*: installation 11 no longer lists the repository/,
  );
  t.deepEqual(statuses(await diagnose(service, 'octo-org/api')).slice(0, 2), ['ok', 'problem']);
});

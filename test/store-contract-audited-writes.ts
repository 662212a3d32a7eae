import type { AuditDraft } from '../src/domain/audit/index.js';
import type { Automation, User } from '../src/domain/entities.js';
import { trigger as triggerFixture, type OpenStore } from './store-contract.js';
import type { DeclareTest } from './support/mongo-server.js';

// The contract for API writes: each entity write carries its audit records and the store
// writes both in one call (one transaction on SQLite, the copy-out protocol on MongoDB).

const T0 = '2026-01-01T00:00:00.000Z';

function apiDraft(kind: AuditDraft['kind'], decision: string, subject: AuditDraft['subject']): AuditDraft {
  return {
    kind,
    actor: 'api',
    source: { type: 'api', id: 'PUT /api/test' },
    subject,
    decision,
    reason: null,
    before: null,
    after: { decision },
    traceId: null,
    deliveryId: null,
    occurredAt: T0,
  };
}

const user: User = { id: 'u1', githubUserId: 1, githubLogin: 'octocat', createdAt: T0, updatedAt: T0 };
const automation: Automation = {
  id: 'a1',
  userId: 'u1',
  installationId: 42,
  name: 'review',
  enabled: true,
  updatedAt: T0,
};

/** `test` declares each test: the contract's own, skipped where its store cannot be had. */
export function auditedWritesContract(title: (behaviour: string) => string, open: OpenStore, test: DeclareTest): void {
  // Built when the suite is declared: store-contract.ts imports this file, so not at load time.
  const trigger = triggerFixture('t1');
  const kinds = async (store: Awaited<ReturnType<OpenStore>>) =>
    (await store.listAudit({ limit: 50 })).map((r) => [r.kind, r.decision]);

  test(title('a user is written with its audit record in one call'), async (t) => {
    const store = await open(t);
    await store.upsertUser(user, [apiDraft('user.put', 'created', { userId: 'u1' })]);
    await store.upsertUser({ ...user, githubLogin: 'octo' }, [apiDraft('user.put', 'updated', { userId: 'u1' })]);
    t.like(await store.getUser('u1'), { githubLogin: 'octo' });
    t.deepEqual(await kinds(store), [
      ['user.put', 'created'],
      ['user.put', 'updated'],
    ]);
    const [record] = await store.listAudit({ limit: 1, userId: 'u1' });
    t.like(record, { actor: 'api', source: { type: 'api', id: 'PUT /api/test' }, after: { decision: 'created' } });
  });

  test(title('a link and an unlink are audited only when they change something'), async (t) => {
    const store = await open(t);
    const linked = [apiDraft('installation.linked', 'linked', { userId: 'u1', installationId: 42 })];
    const unlinked = [apiDraft('installation.unlinked', 'unlinked', { userId: 'u1', installationId: 42 })];
    t.true(await store.linkInstallation('u1', 42, T0, linked));
    t.false(await store.linkInstallation('u1', 42, T0, linked), 'already linked: nothing written');
    t.deepEqual(await store.listLinkedInstallationIds('u1'), [42]);
    t.true(await store.unlinkInstallation('u1', 42, unlinked));
    t.false(await store.unlinkInstallation('u1', 42, unlinked), 'no link: nothing written');
    t.deepEqual(await store.listLinkedInstallationIds('u1'), []);
    t.deepEqual(await store.listUsersLinkedTo(42), []);
    t.true(await store.linkInstallation('u1', 42, T0, linked), 'linked again after the unlink');
    t.deepEqual(await store.listUsersLinkedTo(42), ['u1']);
    t.deepEqual(await kinds(store), [
      ['installation.linked', 'linked'],
      ['installation.unlinked', 'unlinked'],
      ['installation.linked', 'linked'],
    ]);
  });

  test(title('automations and triggers are put and deleted with their audit records'), async (t) => {
    const store = await open(t);
    await store.putAutomation(automation, [apiDraft('automation.put', 'created', { automationId: 'a1' })]);
    await store.putTrigger(trigger, [apiDraft('trigger.put', 'created', { triggerId: 't1' })]);
    t.deepEqual(await store.getTrigger('t1'), trigger);
    t.true(await store.deleteTrigger('t1', [apiDraft('trigger.deleted', 'deleted', { triggerId: 't1' })]));
    t.false(await store.deleteTrigger('t1', [apiDraft('trigger.deleted', 'deleted', { triggerId: 't1' })]));
    t.is(await store.getTrigger('t1'), null);
    t.deepEqual(await store.listTriggersByRepoId(7), []);
    t.deepEqual(await store.listTriggersByUser('u1'), []);
    t.true(await store.deleteAutomation('a1', [apiDraft('automation.deleted', 'deleted', { automationId: 'a1' })]));
    t.deepEqual(await store.listAutomationsByUser('u1'), []);
    await store.putTrigger(trigger, [apiDraft('trigger.put', 'created', { triggerId: 't1' })]);
    t.deepEqual(await store.getTrigger('t1'), trigger, 'a deleted trigger can be put again');
    t.deepEqual(await kinds(store), [
      ['automation.put', 'created'],
      ['trigger.put', 'created'],
      ['trigger.deleted', 'deleted'],
      ['automation.deleted', 'deleted'],
      ['trigger.put', 'created'],
    ]);
  });

  test(title('a write without audit records writes none'), async (t) => {
    const store = await open(t);
    await store.upsertUser(user, []);
    await store.putAutomation(automation, []);
    t.true(await store.linkInstallation('u1', 42, T0, []));
    t.true(await store.deleteAutomation('a1', []));
    t.deepEqual(await store.listAudit({ limit: 10 }), []);
  });
}

import test from 'ava';
import { canonicalJson, sealAuditRecord, hashAuditRecord, type AuditDraft } from '../src/domain/audit/index.js';
import { asGitHubId, decideRedelivery, readDeliveryPayload, type DeliveryState } from '../src/domain/delivery.js';
import { installationState } from '../src/domain/entities.js';
import { DEFAULT_RETRY_POLICY, decideRetry } from '../src/domain/retry-policy.js';

const policy = { maxAttempts: 4, baseDelayMs: 1_000, maxDelayMs: 3_000 };
const now = new Date('2026-01-01T00:00:00.000Z');

for (const [attempts, expected] of [
  [1, { kind: 'retry', delayMs: 1_000 }],
  [2, { kind: 'retry', delayMs: 2_000 }],
  [3, { kind: 'retry', delayMs: 3_000 }],
  [4, { kind: 'give_up' }],
  [9, { kind: 'give_up' }],
] as const) {
  test(`after failed attempt ${attempts} the retry policy says ${expected.kind}`, (t) => {
    const decision = decideRetry(attempts, now, policy);
    t.is(decision.kind, expected.kind);
    if (decision.kind === 'retry' && 'delayMs' in expected)
      t.is(decision.at.getTime() - now.getTime(), expected.delayMs);
  });
}

test('a retry never comes back sooner than GitHub asked', (t) => {
  const decision = decideRetry(1, now, policy, 90_000);
  t.is(decision.kind === 'retry' ? decision.at.getTime() - now.getTime() : 0, 90_000);
  const shorter = decideRetry(3, now, policy, 10);
  t.is(shorter.kind === 'retry' ? shorter.at.getTime() - now.getTime() : 0, 3_000);
});

test('the default retry window outlasts a GitHub outage of half an hour', (t) => {
  let waited = 0;
  for (let attempt = 1; ; attempt++) {
    const decision = decideRetry(attempt, new Date(0), DEFAULT_RETRY_POLICY);
    if (decision.kind === 'give_up') break;
    waited += decision.at.getTime();
  }
  t.true(waited >= 30 * 60_000, `${waited} ms`);
});

const redeliveries: [DeliveryState, string | null, ReturnType<typeof decideRedelivery>][] = [
  ['applied', null, { status: 'duplicate' }],
  ['ignored', null, { status: 'duplicate' }],
  ['received', null, { status: 'pending', makeDueNow: false }],
  ['processing', null, { status: 'pending', makeDueNow: false }],
  ['failed', '2026-01-01T00:01:00.000Z', { status: 'pending', makeDueNow: true }],
  ['failed', null, { status: 'requeued' }],
];

for (const [state, nextAttemptAt, expected] of redeliveries) {
  test(`a redelivery of a ${state} delivery${state === 'failed' ? (nextAttemptAt ? ' awaiting retry' : ' given up') : ''} is ${expected.status}`, (t) => {
    t.deepEqual(decideRedelivery({ state, nextAttemptAt }), expected);
  });
}

test('the payload reading indexes action, installation and repository ids', (t) => {
  t.deepEqual(readDeliveryPayload('{"action":"renamed","installation":{"id":5},"repository":{"id":9}}'), {
    ok: true,
    action: 'renamed',
    installationId: 5,
    repoId: 9,
  });
  t.deepEqual(readDeliveryPayload('{"zen":"hi"}'), { ok: true, action: null, installationId: null, repoId: null });
  t.deepEqual(readDeliveryPayload('{"action":7,"installation":{"id":"5"},"repository":{"id":-1}}'), {
    ok: true,
    action: null,
    installationId: null,
    repoId: null,
  });
  t.false(readDeliveryPayload('nope').ok);
  t.false(readDeliveryPayload('null').ok);
  t.false(readDeliveryPayload('[]').ok);
});

test('only positive safe integers are GitHub ids', (t) => {
  t.is(asGitHubId(1), 1);
  t.is(asGitHubId(2 ** 53 - 1), 2 ** 53 - 1);
  for (const bad of [0, -1, 1.5, 2 ** 53, '1', null, undefined, { $ne: null }]) t.is(asGitHubId(bad), null);
});

test('installation state: deleted wins over suspended, which wins over active', (t) => {
  t.is(installationState({ suspendedAt: null, deletedAt: null }), 'active');
  t.is(installationState({ suspendedAt: 'x', deletedAt: null }), 'suspended');
  t.is(installationState({ suspendedAt: 'x', deletedAt: 'y' }), 'deleted');
});

test('canonical JSON sorts keys at every depth and drops undefined', (t) => {
  t.is(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: undefined } }), '{"a":{"d":[2,{"y":2,"z":1}]},"b":1}');
  t.is(canonicalJson({ b: 1, a: 2 }), canonicalJson({ a: 2, b: 1 }));
});

test('a sealed audit record hashes its content and any change breaks the hash', (t) => {
  const draft: AuditDraft = {
    kind: 'rebind.skipped',
    actor: 'sync',
    source: { type: 'sync', id: 's1' },
    subject: { userId: 'u1' },
    decision: 'skipped',
    reason: 'several_installations',
    before: null,
    after: { installationIds: [11, 22] },
    traceId: null,
    deliveryId: null,
    occurredAt: now.toISOString(),
  };
  const record = sealAuditRecord(draft, { id: 'r1', seq: 1, recordedAt: now.toISOString(), prevHash: null });
  t.regex(record.hash, /^[0-9a-f]{64}$/);
  const { hash, ...rest } = record;
  t.is(hashAuditRecord(rest), hash);
  t.not(hashAuditRecord({ ...rest, reason: 'no_installations' }), hash);
  t.not(hashAuditRecord({ ...rest, prevHash: 'x' }), hash);
});

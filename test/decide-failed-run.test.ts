import test from 'ava';
import { decideFailedRun, decideSyncedDelivery } from '../src/domain/sync/decide-failed-run.js';

for (const [kind, pagesRead, plan] of [
  ['installation_suspended', 0, { status: 'suspended', markSuspended: true }],
  ['installation_suspended', 3, { status: 'suspended', markSuspended: true }],
  ['installation_not_found', 0, { status: 'deleted', markDeleted: true, detachAll: false }],
  ['installation_not_found', 2, { status: 'deleted', markDeleted: true, detachAll: true }],
  ['unavailable', 2, { status: 'failed' }],
  ['rate_limited', 0, { status: 'failed' }],
  ['unauthorized', 0, { status: 'failed' }],
] as const) {
  test(`a run failed by ${kind} after ${pagesRead} pages ends ${plan.status}${'detachAll' in plan && plan.detachAll ? ' and detaches what the pages bound' : ''}`, (t) => {
    t.deepEqual(decideFailedRun({ kind }, pagesRead), plan);
  });
}

test('a delivery retries a sync that failed retryably, and goes on after any other ending', (t) => {
  t.deepEqual(decideSyncedDelivery({ status: 'failed', retryable: true, retryAfterMs: 7_000 }), {
    kind: 'retry_later',
    retryAfterMs: 7_000,
  });
  t.deepEqual(decideSyncedDelivery({ status: 'failed', retryable: false, retryAfterMs: null }), { kind: 'go_on' });
  t.deepEqual(decideSyncedDelivery({ status: 'suspended', retryable: false, retryAfterMs: null }), { kind: 'go_on' });
  t.deepEqual(decideSyncedDelivery({ status: 'completed', retryable: false, retryAfterMs: null }), { kind: 'go_on' });
});

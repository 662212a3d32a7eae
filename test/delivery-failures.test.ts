import test from 'ava';
import { DEFAULT_RETRY_POLICY, decideRetry } from '../src/domain/retry-policy.js';
import { failureOf, RetryLater, TerminalError, type ApplyDelivery } from '../src/inbox/worker-contract.js';
import { examplePayload, postDelivery, signedDelivery } from './support/webhook-samples.js';
import { eventually, startTestService, TEST_SECRET } from './support/test-service.js';

const now = new Date('2026-01-01T00:00:00.000Z');
const delayOf = (decision: ReturnType<typeof decideRetry>): number =>
  decision.kind === 'retry' ? decision.at.getTime() - now.getTime() : Number.NaN;

for (const [error, terminal] of [
  [new TerminalError('the payload is not a repository event'), true],
  [new TypeError("Cannot read properties of null (reading 'id')"), true],
  [new RangeError('Invalid time value'), true],
  [new RetryLater('GitHub rate limit', 5_000), false],
  [new Error('store of record unavailable'), false],
  ['a thrown string', false],
] as const) {
  test(`${error instanceof Error ? error.name : typeof error} is ${terminal ? 'terminal' : 'retried'}`, (t) => {
    t.is(failureOf(error).terminal, terminal);
  });
}

test('a terminal failure gives up at once, whatever attempts are left', (t) => {
  t.deepEqual(decideRetry(1, now, DEFAULT_RETRY_POLICY, null, { terminal: true }), {
    kind: 'give_up',
    because: 'terminal',
  });
  t.deepEqual(decideRetry(16, now, DEFAULT_RETRY_POLICY), { kind: 'give_up', because: 'attempts_used_up' });
});

test('jitter spreads deliveries that failed together by up to ±20 % of their back-off', (t) => {
  // The 5th attempt backs off 16 s.
  t.is(delayOf(decideRetry(5, now, DEFAULT_RETRY_POLICY, null, { random: 0.5 })), 16_000);
  t.is(delayOf(decideRetry(5, now, DEFAULT_RETRY_POLICY, null, { random: 0 })), 12_800);
  t.is(delayOf(decideRetry(5, now, DEFAULT_RETRY_POLICY, null, { random: 0.999_999 })), 19_200);
  const delays = new Set(
    [0.1, 0.3, 0.6, 0.9].map((random) => delayOf(decideRetry(5, now, DEFAULT_RETRY_POLICY, null, { random }))),
  );
  t.is(delays.size, 4, 'four failures, four different times');
});

test('jitter never brings a retry sooner than GitHub asked', (t) => {
  t.is(delayOf(decideRetry(1, now, DEFAULT_RETRY_POLICY, 90_000, { random: 0 })), 90_000);
});

test('a policy without a jitter ratio keeps exact times whatever the random source says', (t) => {
  const exact = { maxAttempts: 4, baseDelayMs: 1_000, maxDelayMs: 3_000 };
  t.is(delayOf(decideRetry(2, now, exact, null, { random: 0 })), 2_000);
});

test('the default schedule with the worst jitter still outlasts a GitHub outage of half an hour', (t) => {
  let waited = 0;
  for (let attempt = 1; ; attempt++) {
    const decision = decideRetry(attempt, new Date(0), DEFAULT_RETRY_POLICY, null, { random: 0 });
    if (decision.kind === 'give_up') break;
    waited += decision.at.getTime();
  }
  t.true(waited >= 30 * 60_000, `${waited} ms`);
});

test('a delivery whose apply throws a TerminalError fails once with its reason and is not tried again', async (t) => {
  let calls = 0;
  const apply: ApplyDelivery = async () => {
    calls += 1;
    throw new TerminalError('repository.renamed: the payload has no repository object');
  };
  const retryPolicy = { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 40 };
  const service = await startTestService(t, { overrides: { apply, retryPolicy, idlePollMs: 20 } });
  await postDelivery(service.url, await signedDelivery(TEST_SECRET, 'push', 'guid-terminal', examplePayload('push')));
  const failed = await eventually(async () => {
    const d = await service.store.getDelivery('guid-terminal');
    return d?.state === 'failed' ? d : null;
  });
  t.like(failed, {
    attempts: 1,
    nextAttemptAt: null,
    error: 'repository.renamed: the payload has no repository object',
  });
  await new Promise((resolve) => setTimeout(resolve, 150));
  t.is(calls, 1, 'no second attempt');
  const outcomes = await service.store.listAudit({ limit: 10, deliveryId: 'guid-terminal' });
  t.deepEqual(
    outcomes.map((r) => [r.decision, r.reason]),
    [['failed', 'not retried: another attempt would fail the same way']],
  );
});

test('a bug (TypeError) in apply fails the delivery once instead of over the whole schedule', async (t) => {
  let calls = 0;
  const apply: ApplyDelivery = async () => {
    calls += 1;
    return (null as unknown as () => never)();
  };
  const retryPolicy = { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 40 };
  const service = await startTestService(t, { overrides: { apply, retryPolicy, idlePollMs: 20 } });
  await postDelivery(service.url, await signedDelivery(TEST_SECRET, 'push', 'guid-bug', examplePayload('push')));
  const failed = await eventually(async () => {
    const d = await service.store.getDelivery('guid-bug');
    return d?.state === 'failed' ? d : null;
  });
  t.like(failed, { attempts: 1, nextAttemptAt: null });
  await new Promise((resolve) => setTimeout(resolve, 150));
  t.is(calls, 1);
});

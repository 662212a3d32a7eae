import test from 'ava';
import {
  decideRedeliverySweep,
  DEFAULT_REDELIVERY_POLICY,
  nextSweepHorizon,
  sweepRead,
  type HookDeliveryAttempt,
  type RedeliveryPolicy,
  type RedeliveryRequest,
  type StoredDelivery,
} from '../src/domain/decide-redelivery-sweep.js';

// The sweep's rules, without GitHub or a store: GitHub's log, the store's view of each GUID and
// the requests already made go in; a decision per GUID comes out.

const NOW = new Date('2026-03-10T12:00:00.000Z');
const minutesAgo = (minutes: number): string => new Date(NOW.getTime() - minutes * 60_000).toISOString();
const POLICY: RedeliveryPolicy = {
  windowMs: 3 * 86_400_000,
  backOffMs: 30 * 60_000,
  maxRequestsPerDelivery: 3,
  maxRequestsPerRun: 10,
  wholeWindowEveryMs: 6 * 3_600_000,
  settleMarginMs: 10 * 60_000,
};

let nextId = 1;
function attempt(guid: string, statusCode: number, deliveredAt: string, redelivery = false): HookDeliveryAttempt {
  return {
    id: nextId++,
    guid,
    deliveredAt,
    redelivery,
    statusCode,
    event: 'push',
    action: null,
    installationId: 11,
    repositoryId: 7,
  };
}

const stored = (id: string, state: StoredDelivery['state'], nextAttemptAt: string | null = null): StoredDelivery => ({
  id,
  state,
  nextAttemptAt,
});

function decide(
  attempts: HookDeliveryAttempt[],
  inStore: StoredDelivery[] = [],
  requests: RedeliveryRequest[] = [],
  policy: RedeliveryPolicy = POLICY,
) {
  return decideRedeliverySweep({ attempts, stored: inStore, requests, now: NOW, policy });
}

const reasons = (plan: ReturnType<typeof decide>): Record<string, string> =>
  Object.fromEntries(plan.decisions.map((d) => [d.guid, `${d.kind}:${d.reason}`]));

for (const [title, statusCode, inStore, expected] of [
  ['GitHub failed to reach us and we have no record', 502, null, 'redeliver:failed_at_github'],
  ['GitHub got no answer at all (status 0) and we have no record', 0, null, 'redeliver:failed_at_github'],
  ['GitHub says we acknowledged it, yet the store has no record', 202, null, 'redeliver:not_in_store'],
  ['applied here', 202, stored('g', 'applied'), 'skip:ok'],
  ['ignored here', 202, stored('g', 'ignored'), 'skip:ok'],
  ['GitHub timed out waiting, but we stored and applied it', 504, stored('g', 'applied'), 'skip:ok'],
  ['stored and waiting for the worker', 202, stored('g', 'received'), 'skip:pending_here'],
  ['in the worker now', 202, stored('g', 'processing'), 'skip:pending_here'],
  ['failed here, with a retry still planned', 202, stored('g', 'failed', minutesAgo(-5)), 'skip:pending_here'],
  ['failed here with its attempts used up', 202, stored('g', 'failed', null), 'redeliver:failed_in_store'],
] as const) {
  test(`${title}: ${expected}`, (t) => {
    const plan = decide([attempt('g', statusCode, minutesAgo(60))], inStore === null ? [] : [inStore]);
    t.deepEqual(reasons(plan), { g: expected });
    t.is(plan.redeliver.length, expected.startsWith('redeliver') ? 1 : 0);
  });
}

test("GitHub's newest attempt is its last word, and the one asked to redeliver", (t) => {
  const failedFirst = attempt('g', 502, minutesAgo(120));
  const okLater = attempt('g', 202, minutesAgo(60), true);
  const okFirst = attempt('h', 202, minutesAgo(120));
  const failedLater = attempt('h', 500, minutesAgo(60), true);
  const plan = decide([okLater, failedFirst, failedLater, okFirst]);
  t.deepEqual(reasons(plan), { g: 'redeliver:not_in_store', h: 'redeliver:failed_at_github' });
  t.deepEqual(
    plan.redeliver.map((d) => [d.guid, d.latest.id, d.firstDeliveredAt]),
    [
      ['g', okLater.id, failedFirst.deliveredAt],
      ['h', failedLater.id, okFirst.deliveredAt],
    ],
  );
});

test('never twice for one GUID within the back-off; again once it has passed', (t) => {
  const attempts = [attempt('recent', 502, minutesAgo(90)), attempt('earlier', 502, minutesAgo(90))];
  const plan = decide(
    attempts,
    [],
    [
      { guid: 'recent', requestedAt: minutesAgo(29) },
      { guid: 'earlier', requestedAt: minutesAgo(31) },
    ],
  );
  t.deepEqual(reasons(plan), { recent: 'skip:backing_off', earlier: 'redeliver:failed_at_github' });
});

test('the last of several requests sets the back-off, in any order', (t) => {
  const plan = decide(
    [attempt('g', 502, minutesAgo(300))],
    [],
    [
      { guid: 'g', requestedAt: minutesAgo(5) },
      { guid: 'g', requestedAt: minutesAgo(200) },
    ],
  );
  t.deepEqual(reasons(plan), { g: 'skip:backing_off' });
});

test('a GUID requested as often as the policy allows is left to a person', (t) => {
  const requests = [minutesAgo(200), minutesAgo(150), minutesAgo(100)].map((requestedAt) => ({
    guid: 'g',
    requestedAt,
  }));
  t.deepEqual(reasons(decide([attempt('g', 502, minutesAgo(300))], [], requests)), { g: 'skip:requests_used_up' });
  t.deepEqual(reasons(decide([attempt('g', 502, minutesAgo(300))], [], requests.slice(1))), {
    g: 'redeliver:failed_at_github',
  });
});

test('requests older than the window no longer count against a GUID', (t) => {
  const old = minutesAgo(3 * 24 * 60 + 10);
  const requests = [old, old, old].map((requestedAt) => ({ guid: 'g', requestedAt }));
  t.deepEqual(reasons(decide([attempt('g', 502, minutesAgo(60))], [], requests)), { g: 'redeliver:failed_at_github' });
});

test("a delivery first made before GitHub's window is not requested, even with a later attempt inside", (t) => {
  const plan = decide([attempt('g', 502, minutesAgo(3 * 24 * 60 + 1)), attempt('g', 502, minutesAgo(60), true)]);
  t.deepEqual(reasons(plan), { g: 'skip:outside_window' });
  t.deepEqual(plan.redeliver, []);
});

test('a run asks for at most its bound, oldest first; the rest wait for the next run', (t) => {
  const attempts = [
    attempt('newest', 502, minutesAgo(10)),
    attempt('oldest', 502, minutesAgo(300)),
    attempt('middle', 202, minutesAgo(100)),
    attempt('done', 202, minutesAgo(200)),
  ];
  const plan = decide(attempts, [stored('done', 'applied')], [], { ...POLICY, maxRequestsPerRun: 2 });
  t.deepEqual(
    plan.decisions.map((d) => `${d.guid}=${d.kind}:${d.reason}`),
    [
      'oldest=redeliver:failed_at_github',
      'done=skip:ok',
      'middle=redeliver:not_in_store',
      'newest=skip:over_run_limit',
    ],
  );
  t.deepEqual(
    plan.redeliver.map((d) => d.guid),
    ['oldest', 'middle'],
  );
});

test('skipped GUIDs do not use up the run bound', (t) => {
  const attempts = [
    attempt('backing', 502, minutesAgo(300)),
    attempt('ok', 202, minutesAgo(200)),
    attempt('wanted', 502, minutesAgo(100)),
  ];
  const plan = decide(attempts, [stored('ok', 'applied')], [{ guid: 'backing', requestedAt: minutesAgo(1) }], {
    ...POLICY,
    maxRequestsPerRun: 1,
  });
  t.deepEqual(
    plan.redeliver.map((d) => d.guid),
    ['wanted'],
  );
});

test('one decision per GUID however many attempts GitHub lists, and nothing for an empty log', (t) => {
  const plan = decide([
    attempt('g', 502, minutesAgo(50)),
    attempt('g', 502, minutesAgo(40), true),
    attempt('g', 502, minutesAgo(30), true),
  ]);
  t.is(plan.decisions.length, 1);
  t.deepEqual(decide([]), { decisions: [], redeliver: [] });
});

test('the default policy stays inside the three days GitHub keeps deliveries and backs off longer than a run', (t) => {
  t.true(DEFAULT_REDELIVERY_POLICY.windowMs < 3 * 86_400_000);
  t.true(DEFAULT_REDELIVERY_POLICY.backOffMs > 300_000, 'longer than the default sweep interval (300 s)');
  t.true(DEFAULT_REDELIVERY_POLICY.maxRequestsPerRun > 0);
});

const hoursAgo = (hours: number): string => minutesAgo(hours * 60);
const windowStart = new Date(NOW.getTime() - POLICY.windowMs).toISOString();

test('the first sweep reads the whole window; later ones from the horizon, and the whole window again when it is due', (t) => {
  t.deepEqual(sweepRead(NOW, POLICY, null), { since: windowStart, wholeWindow: true });
  t.deepEqual(sweepRead(NOW, POLICY, { readFrom: hoursAgo(2), wholeWindowReadAt: hoursAgo(1) }), {
    since: hoursAgo(2),
    wholeWindow: false,
  });
  t.deepEqual(sweepRead(NOW, POLICY, { readFrom: hoursAgo(2), wholeWindowReadAt: hoursAgo(6) }), {
    since: windowStart,
    wholeWindow: true,
  });
  // A horizon that fell out of GitHub's window: what is left of the window is all there is to read.
  t.deepEqual(sweepRead(NOW, POLICY, { readFrom: hoursAgo(80), wholeWindowReadAt: hoursAgo(1) }), {
    since: windowStart,
    wholeWindow: true,
  });
});

test('the horizon stays at the oldest GUID still open; settled ones let it move up to the margin', (t) => {
  const read = { since: windowStart, wholeWindow: true };
  const attempts = [
    attempt('applied-long-ago', 202, hoursAgo(50)),
    attempt('used-up', 502, hoursAgo(40)),
    attempt('backing-off', 502, hoursAgo(30)),
    attempt('pending', 202, hoursAgo(20)),
    attempt('applied-recently', 202, minutesAgo(1)),
  ];
  const requests = [
    ...Array.from({ length: POLICY.maxRequestsPerDelivery }, (_, i) => ({
      guid: 'used-up',
      requestedAt: hoursAgo(39 - i),
    })),
    { guid: 'backing-off', requestedAt: minutesAgo(5) },
  ];
  const inStore = [
    stored('applied-long-ago', 'applied'),
    stored('pending', 'received'),
    stored('applied-recently', 'applied'),
  ];
  const plan = decide(attempts, inStore, requests);
  t.like(reasons(plan), { 'used-up': 'skip:requests_used_up', 'backing-off': 'skip:backing_off' });
  t.deepEqual(nextSweepHorizon(plan, read, null, NOW, POLICY), {
    readFrom: hoursAgo(30),
    wholeWindowReadAt: NOW.toISOString(),
  });

  // Once everything is settled the horizon is the margin before now, whatever was read.
  const settled = decide(attempts.slice(0, 2), inStore, requests);
  t.is(nextSweepHorizon(settled, read, null, NOW, POLICY).readFrom, minutesAgo(10));
  // A GUID asked for in this sweep stays open until a later sweep sees how its redelivery went.
  const asked = decide([attempt('lost', 502, hoursAgo(3))]);
  t.is(asked.redeliver.length, 1);
  t.is(nextSweepHorizon(asked, read, null, NOW, POLICY).readFrom, hoursAgo(3));
  // A partial read keeps the time of the last whole one.
  const previous = { readFrom: hoursAgo(3), wholeWindowReadAt: hoursAgo(2) };
  t.is(
    nextSweepHorizon(settled, { since: hoursAgo(3), wholeWindow: false }, previous, NOW, POLICY).wholeWindowReadAt,
    hoursAgo(2),
  );
});

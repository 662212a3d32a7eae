import test from 'ava';
import { isProblemReason, routingFactsOf } from '../src/domain/reason-classes.js';
import { NOT_WOKEN_REASONS } from '../src/domain/route-event.js';

// Which reasons are the system working as configured, and which are problems (issue 15).

const EXPECTED: Record<string, boolean> = {
  event_not_subscribed: false,
  action_not_subscribed: false,
  outside_root_directory: false,
  no_candidates: false,
  trigger_disabled: true,
  installation_mismatch: true,
  installation_unknown: true,
  installation_deleted: true,
  installation_suspended: true,
  repo_unknown: true,
  repo_not_covered: true,
  automation_binding_mismatch: true,
};

test('every routing reason is classed: expected non-matches apart from problems', (t) => {
  t.deepEqual(
    Object.keys(EXPECTED).sort(),
    [...NOT_WOKEN_REASONS, 'no_candidates'].sort(),
    'the table covers every reason',
  );
  for (const [code, problem] of Object.entries(EXPECTED)) t.is(isProblemReason(code), problem, code);
});

test('a reason this build does not know is a problem: it needs a look, not silence', (t) => {
  t.true(isProblemReason('some_future_reason'));
});

test('routing facts: distinct reasons in order, candidates, and a problem when any reason is one', (t) => {
  t.is(routingFactsOf(null, []), null, 'not routed');
  t.deepEqual(routingFactsOf('no_candidates', []), {
    reasons: ['no_candidates'],
    triggerIds: [],
    automationIds: [],
    problem: false,
  });
  t.deepEqual(
    routingFactsOf('woke', [
      { triggerId: 't1', automationId: 'a1', reason: null },
      { triggerId: 't2', automationId: null, reason: 'event_not_subscribed' },
      { triggerId: 't3', automationId: 'a1', reason: 'event_not_subscribed' },
    ]),
    { reasons: ['event_not_subscribed'], triggerIds: ['t1', 't2', 't3'], automationIds: ['a1'], problem: false },
  );
  t.true(
    routingFactsOf('woke_none', [
      { triggerId: 't1', automationId: null, reason: 'outside_root_directory' },
      { triggerId: 't2', automationId: null, reason: 'repo_not_covered' },
    ])?.problem,
  );
});

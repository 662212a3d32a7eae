import test from 'ava';
import type { AuditRecord } from '../src/domain/audit/index.js';
import type { Delivery } from '../src/domain/delivery.js';
import { tellDeliveryStory } from '../src/explain/delivery-story.js';
import { sparseInstallation, type Automation, type Trigger } from '../src/domain/entities.js';
import {
  explainDecisions,
  routingOutcomeOf,
  summarizeRouting,
  type OwnerContext,
} from '../src/domain/explain-routing.js';
import {
  isUnderRoot,
  NOT_WOKEN_REASONS,
  routeEvent,
  subscriptionOf,
  type NotWokenReason,
  type RoutedEvent,
  type RoutingCandidate,
} from '../src/domain/route-event.js';
import { changedPathsOf } from '../src/reconcile/route-delivery.js';
import { repoRowFixture } from './support/fixtures.js';

const T0 = '2026-01-01T00:00:00.000Z';

const trigger = (overrides: Partial<Trigger> = {}): Trigger => ({
  id: 't1',
  userId: 'u1',
  automationId: null,
  installationId: 22,
  repoId: 7,
  repoFullName: null,
  rootDirectory: null,
  events: ['push'],
  enabled: true,
  updatedAt: T0,
  ...overrides,
});

const automation = (overrides: Partial<Automation> = {}): Automation => ({
  id: 'a1',
  userId: 'u1',
  installationId: 22,
  name: 'review',
  enabled: true,
  updatedAt: T0,
  ...overrides,
});

const push: RoutedEvent = { event: 'push', action: null, installationId: 22, repoId: 7, changedPaths: ['api/main.go'] };

/** A candidate that wakes on `push`; each table row changes one fact. */
const healthy = (overrides: Partial<RoutingCandidate> = {}): RoutingCandidate => ({
  trigger: trigger(),
  automation: null,
  repoRow: repoRowFixture({ installationId: 22, discoveredBy: 'installation' }),
  installation: sparseInstallation(22, T0),
  ...overrides,
});

const table: {
  reason: NotWokenReason | 'woken';
  event?: Partial<RoutedEvent>;
  candidate: RoutingCandidate;
  detail: RegExp;
}[] = [
  { reason: 'woken', candidate: healthy(), detail: /trigger t1 woke on push/ },
  {
    reason: 'woken',
    event: { event: 'pull_request', action: 'opened', changedPaths: null },
    candidate: healthy({ trigger: trigger({ events: ['pull_request.opened'], rootDirectory: 'web' }) }),
    detail: /woke on pull_request\.opened/,
  },
  {
    reason: 'trigger_disabled',
    candidate: healthy({ trigger: trigger({ enabled: false }) }),
    detail: /trigger t1 is disabled/,
  },
  {
    reason: 'trigger_disabled',
    candidate: healthy({ trigger: trigger({ automationId: 'a1' }), automation: automation({ enabled: false }) }),
    detail: /automation a1 of trigger t1 is disabled/,
  },
  {
    reason: 'event_not_subscribed',
    candidate: healthy({ trigger: trigger({ events: ['pull_request'] }) }),
    detail: /listens to pull_request, not push/,
  },
  {
    reason: 'action_not_subscribed',
    event: { event: 'pull_request', action: 'closed', changedPaths: null },
    candidate: healthy({ trigger: trigger({ events: ['pull_request.opened'] }) }),
    detail: /not pull_request\.closed/,
  },
  {
    reason: 'installation_mismatch',
    candidate: healthy({ trigger: trigger({ installationId: 11 }) }),
    detail: /bound to installation 11 but the event came from 22/,
  },
  {
    reason: 'installation_mismatch',
    event: { installationId: null },
    candidate: healthy(),
    detail: /came from no installation/,
  },
  {
    reason: 'installation_unknown',
    candidate: healthy({ installation: null }),
    detail: /installation 22 is not known/,
  },
  {
    reason: 'installation_deleted',
    candidate: healthy({ installation: { ...sparseInstallation(22, T0), deletedAt: T0, suspendedAt: T0 } }),
    detail: /installation 22 was deleted/,
  },
  {
    reason: 'installation_suspended',
    candidate: healthy({ installation: { ...sparseInstallation(22, T0), suspendedAt: T0 } }),
    detail: /installation 22 is suspended since 2026/,
  },
  { reason: 'repo_unknown', candidate: healthy({ repoRow: null }), detail: /user u1 has no project row for repo 7/ },
  {
    reason: 'repo_not_covered',
    candidate: healthy({ repoRow: repoRowFixture({ installationId: null, discoveredBy: 'oauth' }) }),
    detail: /octo-org\/api is only visible to user u1 \(found by OAuth sync\)/,
  },
  {
    reason: 'repo_not_covered',
    candidate: healthy({ repoRow: repoRowFixture({ installationId: null, discoveredBy: 'installation' }) }),
    detail: /octo-org\/api is covered by no installation for user u1 \(found by installation sync\), not by 22/,
  },
  {
    reason: 'repo_not_covered',
    candidate: healthy({ repoRow: repoRowFixture({ installationId: 11 }) }),
    detail: /covered by installation 11 for user u1, not by 22/,
  },
  {
    reason: 'automation_binding_mismatch',
    candidate: healthy({ trigger: trigger({ automationId: 'a1' }), automation: automation({ installationId: 11 }) }),
    detail: /automation a1 is bound to installation 11 but the event came from 22/,
  },
  {
    reason: 'automation_binding_mismatch',
    candidate: healthy({ trigger: trigger({ automationId: 'gone' }), automation: null }),
    detail: /automation gone of trigger t1 does not exist/,
  },
  {
    reason: 'outside_root_directory',
    candidate: healthy({ trigger: trigger({ rootDirectory: 'web' }) }),
    detail: /changed 1 path\(s\), none under web/,
  },
  {
    reason: 'outside_root_directory',
    event: { changedPaths: [] },
    candidate: healthy({ trigger: trigger({ rootDirectory: 'web' }) }),
    detail: /changed no files/,
  },
  {
    reason: 'woken',
    event: { changedPaths: ['web/index.ts', 'api/x.go'] },
    candidate: healthy({ trigger: trigger({ rootDirectory: 'web' }) }),
    detail: /woke/,
  },
  {
    reason: 'woken',
    event: { changedPaths: null },
    candidate: healthy({ trigger: trigger({ rootDirectory: 'web' }) }),
    detail: /woke/,
  },
];

for (const [i, row] of table.entries()) {
  test(`routing row ${i + 1}: ${row.reason} (${row.detail.source})`, (t) => {
    const [decision] = routeEvent({ ...push, ...row.event }, [row.candidate]);
    t.is(decision?.outcome, row.reason === 'woken' ? 'woken' : 'not_woken');
    t.is(decision?.reason, row.reason === 'woken' ? null : row.reason);
    t.regex(decision?.detail ?? '', row.detail);
    t.like(decision, {
      triggerId: row.candidate.trigger.id,
      userId: 'u1',
      boundInstallationId: row.candidate.trigger.installationId,
    });
  });
}

test('the routing table covers every reason code of the closed list', (t) => {
  t.deepEqual(new Set(table.map((row) => row.reason).filter((r) => r !== 'woken')), new Set(NOT_WOKEN_REASONS));
});

test('the first failing check is the reason: a disabled trigger bound elsewhere is reported disabled', (t) => {
  const [decision] = routeEvent(push, [
    healthy({ trigger: trigger({ enabled: false, installationId: 11 }), repoRow: null }),
  ]);
  t.is(decision?.reason, 'trigger_disabled');
});

test('subscriptions: an event name matches every action, event.action one action', (t) => {
  t.is(subscriptionOf(['push'], 'push', null), 'subscribed');
  t.is(subscriptionOf(['pull_request'], 'pull_request', 'closed'), 'subscribed');
  t.is(
    subscriptionOf(['pull_request.opened', 'pull_request.synchronize'], 'pull_request', 'synchronize'),
    'subscribed',
  );
  t.is(subscriptionOf(['pull_request.opened'], 'pull_request', null), 'action_not_subscribed');
  t.is(subscriptionOf(['pull_request_review'], 'pull_request', 'opened'), 'event_not_subscribed');
  t.is(subscriptionOf([], 'push', null), 'event_not_subscribed');
});

test('a root directory covers itself and what is below it, not a sibling with the same prefix', (t) => {
  t.true(isUnderRoot('web/index.ts', 'web'));
  t.true(isUnderRoot('web', 'web/'));
  t.true(isUnderRoot('packages/web/a/b.ts', 'packages/web'));
  t.false(isUnderRoot('website/index.ts', 'web'));
  t.false(isUnderRoot('api/web/index.ts', 'web'));
});

const owner = (overrides: Partial<OwnerContext> = {}): OwnerContext => ({
  userId: 'u1',
  currentInstallationIds: [11, 22],
  lastRebindSkip: { reason: 'several_installations', installationIds: [11, 22], syncedInstallationId: 22 },
  lastRowDecision: null,
  ...overrides,
});

test('a stale binding is explained with the skipped rebind and a fix that rebinds it to the delivering installation, unlinking nothing', (t) => {
  const decisions = routeEvent(push, [
    healthy({ trigger: trigger({ installationId: 11 }) }),
    healthy({ trigger: trigger({ id: 't2', events: ['issues'] }) }),
  ]);
  const explained = explainDecisions(push, decisions, new Map([['u1', owner()]]));
  t.is(
    explained[0]?.detail,
    'trigger t1 is bound to installation 11 but the event came from 22 — rebind was skipped because the user has 2 installations (11, 22)',
  );
  t.regex(explained[0]?.fix ?? '', /^rebind trigger t1 to installation 22 explicitly \(PUT \/api\/triggers\/t1 with "installationId": 22\)/);
  t.false((explained[0]?.fix ?? '').includes('DELETE'), 'the old installation is not unlinked');
  t.regex(explained[1]?.fix ?? '', /add "push" to the events of trigger t2/);
  t.is(routingOutcomeOf(explained), 'woke_none');
  t.is(
    summarizeRouting(explained, { repoId: 7, fullName: 'octo-org/api' }),
    'woke 0 of 2 triggers: trigger t1 is bound to installation 11 but the event came from 22 — rebind was skipped because the user has 2 installations (11, 22); trigger t2 listens to issues, not push',
  );
});

test('a fix for a binding to an installation the user does not hold says to link it first, then rebind explicitly', (t) => {
  const decisions = routeEvent(push, [healthy({ trigger: trigger({ installationId: 11 }) })]);
  const [explained] = explainDecisions(
    push,
    decisions,
    new Map([['u1', owner({ currentInstallationIds: [11], lastRebindSkip: null })]]),
  );
  t.regex(
    explained?.fix ?? '',
    /^link installation 22 to user u1 \(PUT \/api\/users\/u1\/installations\/22\), then rebind trigger t1 to installation 22 explicitly/,
  );
  t.false((explained?.fix ?? '').includes('DELETE'));
  t.false(explained?.detail.includes('rebind was skipped'));
});

test('every reason but a root-directory miss comes with a fix', (t) => {
  for (const row of table) {
    if (row.reason === 'woken') continue;
    const event = { ...push, ...row.event };
    const [explained] = explainDecisions(event, routeEvent(event, [row.candidate]), new Map([['u1', owner()]]));
    if (row.reason === 'outside_root_directory') t.is(explained?.fix, null);
    else t.true((explained?.fix ?? '').length > 10, `${row.reason} has a fix`);
  }
});

test('a summary names nothing when there is no candidate, and counts what woke', (t) => {
  t.is(routingOutcomeOf([]), 'no_candidates');
  t.is(
    summarizeRouting([], { repoId: 7, fullName: 'octo-org/api' }),
    'no trigger is registered for octo-org/api (repo id 7), so nothing could wake',
  );
  const explained = explainDecisions(push, routeEvent(push, [healthy()]), new Map());
  t.is(routingOutcomeOf(explained), 'woke');
  t.is(summarizeRouting(explained, { repoId: 7, fullName: null }), 'woke 1 of 1 trigger');
});

const delivery = (overrides: Partial<Delivery> = {}): Delivery => ({
  id: 'd1',
  seq: 1,
  event: 'push',
  action: null,
  installationId: 22,
  repoId: 7,
  receivedAt: T0,
  headers: {},
  state: 'applied',
  attempts: 1,
  error: null,
  reason: null,
  processedAt: T0,
  nextAttemptAt: null,
  replayOf: null,
  traceparent: null,
  routingOutcome: null,
  routingReasons: null,
  ...overrides,
});

const record = (overrides: Partial<AuditRecord>): AuditRecord => ({
  id: 'r',
  seq: 1,
  schemaVersion: 1,
  kind: 'delivery.outcome',
  actor: 'webhook',
  source: { type: 'delivery', id: 'd1' },
  subject: {},
  decision: 'applied',
  reason: null,
  before: null,
  after: null,
  traceId: null,
  deliveryId: 'd1',
  occurredAt: T0,
  recordedAt: T0,
  prevHash: null,
  hash: 'h',
  ...overrides,
});

test('the story reads candidates and the outcome from the routing records', (t) => {
  const story = tellDeliveryStory(delivery({ replayOf: 'd0' }), [
    record({
      kind: 'routing.decision',
      subject: { userId: 'u1', triggerId: 't1', automationId: 'a1' },
      decision: 'not_woken',
      reason: 'installation_mismatch',
      before: { boundInstallationId: 11 },
      after: { detail: 'bound to 11', fix: 'sync' },
      traceId: 'abc',
    }),
    record({ seq: 2, kind: 'routing.outcome', decision: 'woke_none', reason: 'woke 0 of 1 trigger: bound to 11' }),
  ]);
  t.deepEqual(story, {
    traceId: 'abc',
    outcome: 'woke_none',
    summary: 'replay of d0: woke 0 of 1 trigger: bound to 11',
    candidates: [
      {
        triggerId: 't1',
        automationId: 'a1',
        userId: 'u1',
        outcome: 'not_woken',
        reason: 'installation_mismatch',
        detail: 'bound to 11',
        fix: 'sync',
        boundInstallationId: 11,
      },
    ],
  });
});

test('the story of a delivery not routed says where it stands', (t) => {
  t.like(tellDeliveryStory(delivery({ state: 'received', processedAt: null }), []), {
    outcome: 'not_routed',
    summary: `stored at ${T0}, waiting to be processed`,
  });
  t.regex(
    tellDeliveryStory(delivery({ state: 'failed', attempts: 16, error: 'GitHub 502' }), []).summary,
    /failed after 16 attempts \(GitHub 502\); redeliver it from GitHub or replay it/,
  );
  t.regex(
    tellDeliveryStory(delivery({ state: 'failed', attempts: 2, error: 'x', nextAttemptAt: T0 }), []).summary,
    /attempt 2 failed \(x\); next attempt at/,
  );
  t.regex(
    tellDeliveryStory(delivery({ event: 'installation', reason: 'installation created', repoId: null }), []).summary,
    /^applied: installation created; not routed/,
  );
});

test('a push lists its changed paths, unless GitHub cannot say (new branch, force push, too many commits)', (t) => {
  const commit = (paths: string[]) => ({ added: paths.slice(0, 1), removed: [], modified: paths.slice(1) });
  t.deepEqual(changedPathsOf('push', { commits: [commit(['a', 'b']), commit(['b', 'c'])] }), ['a', 'b', 'c']);
  t.deepEqual(changedPathsOf('push', { commits: [], deleted: true }), []);
  t.is(changedPathsOf('push', { commits: [], created: true }), null);
  t.is(changedPathsOf('push', { commits: [], forced: true }), null);
  t.is(changedPathsOf('push', { commits: Array.from({ length: 2048 }, () => commit(['x'])) }), null);
  t.is(changedPathsOf('pull_request', { commits: [commit(['a'])] }), null);
});

test('a repo that is not covered is explained by the decision that took its coverage away', (t) => {
  const decisions = routeEvent(push, [
    healthy({ repoRow: repoRowFixture({ installationId: null, discoveredBy: 'installation' }) }),
  ]);
  const detached = {
    decision: 'detached',
    reason: 'the repository was removed from installation 22 (installation_repositories.removed)',
    installationIdBefore: 22,
    occurredAt: T0,
  };
  const [explained] = explainDecisions(push, decisions, new Map([['u1', owner({ lastRowDecision: detached })]]));
  t.is(
    explained?.detail,
    `octo-org/api is covered by no installation for user u1 (found by installation sync), not by 22 — it was detached from installation 22 at ${T0}: the repository was removed from installation 22 (installation_repositories.removed)`,
  );
  const [unexplained] = explainDecisions(
    push,
    decisions,
    new Map([['u1', owner({ lastRowDecision: { ...detached, decision: 'updated' } })]]),
  );
  t.false(unexplained?.detail.includes('detached'), 'only a detach explains a lost coverage');
});

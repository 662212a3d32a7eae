import type { AuditDraft } from '../../src/domain/audit/index.js';
import type { IncomingDelivery } from '../../src/domain/delivery.js';
import type { RepoRow, Wake } from '../../src/domain/entities.js';

/** A base repo row of user u1 for repo 7 (octo-org/api), uncovered, found by OAuth; override what a test is about. */
export function repoRowFixture(overrides: Partial<RepoRow> = {}): RepoRow {
  return {
    userId: 'u1',
    repoId: 7,
    rootDirectory: null,
    fullName: 'octo-org/api',
    owner: 'octo-org',
    name: 'api',
    defaultBranch: 'main',
    visibility: 'private',
    archived: false,
    installationId: null,
    discoveredBy: 'oauth',
    lastSeenAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

export const FIXTURE_TIME = '2026-01-01T00:00:00.000Z';

/** A push delivery as the ingress hands it to the store; override what a test is about. */
export function incomingFixture(id: string, overrides: Partial<IncomingDelivery> = {}): IncomingDelivery {
  return {
    id,
    event: 'push',
    action: null,
    installationId: 22,
    repoId: 7,
    receivedAt: FIXTURE_TIME,
    payload: '{}',
    headers: {},
    ...overrides,
  };
}

/** The wake of trigger `triggerId` (user u1, repo 7, installation 22) by `deliveryId`. */
export function wakeFixture(deliveryId: string, triggerId: string, createdAt = FIXTURE_TIME): Wake {
  return {
    id: `${deliveryId}:${triggerId}`,
    deliveryId,
    triggerId,
    automationId: null,
    userId: 'u1',
    repoId: 7,
    repoFullName: 'octo-org/api',
    installationId: 22,
    event: 'push',
    action: null,
    push: { ref: 'refs/heads/main', before: 'a'.repeat(40), after: 'b'.repeat(40), headCommit: null },
    pullRequest: null,
    replayOf: null,
    createdAt,
  };
}

/** A delivery's outcome record as the worker drafts it. */
export function outcomeDraftFixture(deliveryId: string, overrides: Partial<AuditDraft> = {}): AuditDraft {
  return {
    kind: 'delivery.outcome',
    actor: 'worker',
    source: { type: 'delivery', id: deliveryId },
    subject: {},
    decision: 'applied',
    reason: null,
    before: null,
    after: null,
    traceId: null,
    deliveryId,
    occurredAt: FIXTURE_TIME,
    ...overrides,
  };
}

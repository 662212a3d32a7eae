import type { Delivery } from './delivery.js';

// Which of GitHub's recent webhook deliveries to ask GitHub to send again. Pure: GitHub's
// delivery log, the store's view of each delivery and the requests already made are passed in.
//
// GitHub never retries a failed delivery by itself and lets an App ask for a redelivery only for
// a few days (GITHUB-FACTS.md, Deliveries): a delivery it failed to hand us, or one we took but
// gave up on, is lost for good unless someone asks in time.

/** The audit kind of one redelivery request: read back for the back-off, counted as a metric. */
export const REDELIVERY_REQUESTED = 'redelivery.requested';

/** One attempt GitHub made to deliver a webhook, as `GET /app/hook/deliveries` lists it. */
export interface HookDeliveryAttempt {
  /** This attempt's id: what `POST /app/hook/deliveries/{delivery_id}/attempts` names. */
  id: number;
  /** The X-GitHub-Delivery GUID, shared by the original and every redelivery of it. */
  guid: string;
  deliveredAt: string;
  redelivery: boolean;
  /** What our endpoint answered; GitHub reports 0 when it got no answer at all. */
  statusCode: number;
  event: string;
  action: string | null;
  installationId: number | null;
  repositoryId: number | null;
}

export const REDELIVER_REASONS = [
  /** GitHub's last attempt failed and the delivery never reached our store. */
  'failed_at_github',
  /** GitHub says we acknowledged it, yet the store has no record of it (e.g. restored from a backup). */
  'not_in_store',
  /** We stored it but gave up after the last attempt our retry policy allows. */
  'failed_in_store',
] as const;
export type RedeliverReason = (typeof REDELIVER_REASONS)[number];

export const SWEEP_SKIP_REASONS = [
  /** Applied or ignored here: done. */
  'ok',
  /** Stored and still queued or waiting for a retry here: the inbox will finish it. */
  'pending_here',
  /** Requested within the back-off: the redelivery may still be on its way. */
  'backing_off',
  /** Requested as often as the policy allows: it keeps failing, a person should look. */
  'requests_used_up',
  /** Older than GitHub's redelivery window: GitHub would refuse. */
  'outside_window',
  /** Eligible, but this run already asked for as many as it may. The next run takes it. */
  'over_run_limit',
] as const;
export type SweepSkipReason = (typeof SWEEP_SKIP_REASONS)[number];

/** What GitHub answered a redelivery request: 202, or anything else (kept in the audit record). */
export const REDELIVERY_RESULTS = ['accepted', 'failed'] as const;
export type RedeliveryResult = (typeof REDELIVERY_RESULTS)[number];

export interface RedeliveryPolicy {
  /** How far back GitHub still accepts a redelivery request (3 days, less a margin). */
  windowMs: number;
  /** No second request for one GUID sooner than this after the last. */
  backOffMs: number;
  /** Requests for one GUID inside the window, after which it is left to a person. */
  maxRequestsPerDelivery: number;
  /** Requests in one run, so that a long outage is caught up without a burst. */
  maxRequestsPerRun: number;
  /**
   * How often a sweep reads the whole window even though its older part was settled: what can
   * unsettle it is the store losing deliveries (restored from a backup), and a restart reads it all too.
   */
  wholeWindowEveryMs: number;
  /** Attempts younger than this are read again by the next sweep: GitHub's log may list them late. */
  settleMarginMs: number;
}

// An hour less than GitHub's three days: a request made near the edge is refused (GITHUB-FACTS.md).
// 30 min covers a redelivered delivery's whole retry schedule (DEFAULT_RETRY_POLICY, about 38 min
// for 16 attempts, mostly spent after the first few failures).
export const DEFAULT_REDELIVERY_POLICY: RedeliveryPolicy = {
  windowMs: 2 * 86_400_000 + 23 * 3_600_000,
  backOffMs: 30 * 60_000,
  maxRequestsPerDelivery: 5,
  maxRequestsPerRun: 50,
  wholeWindowEveryMs: 6 * 3_600_000,
  settleMarginMs: 10 * 60_000,
};

/** The oldest delivery time GitHub still takes a redelivery request for, by the policy. */
export const redeliveryWindowStart = (now: Date, policy: RedeliveryPolicy): string =>
  new Date(now.getTime() - policy.windowMs).toISOString();

/** A redelivery this service asked for earlier (read back from the audit trail). */
export interface RedeliveryRequest {
  guid: string;
  requestedAt: string;
}

export type StoredDelivery = Pick<Delivery, 'id' | 'state' | 'nextAttemptAt'>;

export interface SweepFacts {
  /** Every attempt GitHub lists inside the window, any order. */
  attempts: readonly HookDeliveryAttempt[];
  /** What the store holds for the GUIDs listed; a GUID missing here was never stored. */
  stored: readonly StoredDelivery[];
  requests: readonly RedeliveryRequest[];
  now: Date;
  policy: RedeliveryPolicy;
}

interface Considered {
  guid: string;
  event: string;
  action: string | null;
  installationId: number | null;
  repositoryId: number | null;
  /** The newest attempt: its status is GitHub's last word, and its id is what we ask to redeliver. */
  latest: HookDeliveryAttempt;
  firstDeliveredAt: string;
}

export type SweepDecision =
  | (Considered & { kind: 'redeliver'; reason: RedeliverReason })
  | (Considered & { kind: 'skip'; reason: SweepSkipReason });

export type RedeliverDecision = Extract<SweepDecision, { kind: 'redeliver' }>;

export interface SweepPlan {
  /** One decision per GUID, oldest first. */
  decisions: SweepDecision[];
  redeliver: RedeliverDecision[];
}

const succeeded = (statusCode: number): boolean => statusCode >= 200 && statusCode < 300;

const newer = (a: HookDeliveryAttempt, b: HookDeliveryAttempt): boolean =>
  a.deliveredAt > b.deliveredAt || (a.deliveredAt === b.deliveredAt && a.id > b.id);

function groupByGuid(attempts: readonly HookDeliveryAttempt[]): Considered[] {
  const groups = new Map<string, Considered>();
  for (const attempt of attempts) {
    const group = groups.get(attempt.guid);
    if (group === undefined) {
      groups.set(attempt.guid, {
        guid: attempt.guid,
        event: attempt.event,
        action: attempt.action,
        installationId: attempt.installationId,
        repositoryId: attempt.repositoryId,
        latest: attempt,
        firstDeliveredAt: attempt.deliveredAt,
      });
      continue;
    }
    if (newer(attempt, group.latest)) group.latest = attempt;
    if (attempt.deliveredAt < group.firstDeliveredAt) group.firstDeliveredAt = attempt.deliveredAt;
  }
  // Oldest first: those leave GitHub's window first, so they go first when a run is bounded.
  return [...groups.values()].sort((a, b) =>
    a.firstDeliveredAt === b.firstDeliveredAt
      ? a.latest.id - b.latest.id
      : a.firstDeliveredAt < b.firstDeliveredAt
        ? -1
        : 1,
  );
}

/** Why a GUID needs a redelivery, or why it does not, before back-off and bounds. */
function needOf(group: Considered, stored: StoredDelivery | undefined): SweepDecision['reason'] {
  if (stored === undefined) return succeeded(group.latest.statusCode) ? 'not_in_store' : 'failed_at_github';
  switch (stored.state) {
    case 'applied':
    case 'ignored':
      return 'ok';
    case 'received':
    case 'processing':
      return 'pending_here';
    case 'failed':
      // A failed delivery with a next attempt is still the inbox's to retry; one given up is
      // requeued by a redelivery (decideRedelivery in delivery.ts).
      return stored.nextAttemptAt === null ? 'failed_in_store' : 'pending_here';
  }
}

const isRedeliverReason = (reason: SweepDecision['reason']): reason is RedeliverReason =>
  (REDELIVER_REASONS as readonly string[]).includes(reason);

/**
 * The sweep's plan: for every GUID GitHub lists, redeliver (with why) or skip (with why).
 * Never twice for one GUID within the back-off, never more than the policy allows per GUID
 * or per run, never outside GitHub's window.
 */
export function decideRedeliverySweep(facts: SweepFacts): SweepPlan {
  const { policy, now } = facts;
  const windowStart = redeliveryWindowStart(now, policy);
  const backOffStart = new Date(now.getTime() - policy.backOffMs).toISOString();
  const stored = new Map(facts.stored.map((delivery) => [delivery.id, delivery]));
  const requests = new Map<string, { count: number; last: string }>();
  for (const request of facts.requests) {
    if (request.requestedAt < windowStart) continue;
    const seen = requests.get(request.guid);
    requests.set(request.guid, {
      count: (seen?.count ?? 0) + 1,
      last: seen === undefined || request.requestedAt > seen.last ? request.requestedAt : seen.last,
    });
  }

  let budget = policy.maxRequestsPerRun;
  const decisions = groupByGuid(facts.attempts).map((group): SweepDecision => {
    const need = needOf(group, stored.get(group.guid));
    if (!isRedeliverReason(need)) return { ...group, kind: 'skip', reason: need };
    const requested = requests.get(group.guid);
    const skip = (reason: SweepSkipReason): SweepDecision => ({ ...group, kind: 'skip', reason });
    if (group.firstDeliveredAt < windowStart) return skip('outside_window');
    if (requested !== undefined && requested.last >= backOffStart) return skip('backing_off');
    if (requested !== undefined && requested.count >= policy.maxRequestsPerDelivery) return skip('requests_used_up');
    if (budget <= 0) return skip('over_run_limit');
    budget -= 1;
    return { ...group, kind: 'redeliver', reason: need };
  });
  return {
    decisions,
    redeliver: decisions.filter((decision): decision is RedeliverDecision => decision.kind === 'redeliver'),
  };
}

/**
 * What one sweep leaves the next, so that a busy App's three-day log (hundreds of pages) is not
 * read every few minutes: the part of it in which every GUID was settled need not be read again.
 */
export interface SweepHorizon {
  /** Every GUID first delivered before this was settled (ok, requests used up, outside the window). */
  readFrom: string;
  /** When a sweep last read the whole window. */
  wholeWindowReadAt: string;
}

export interface SweepRead {
  /** GitHub's log is read down to this delivery time. */
  since: string;
  wholeWindow: boolean;
}

/** Where a sweep starts reading: the whole window first, then from the horizon, the whole window again when due. */
export function sweepRead(now: Date, policy: RedeliveryPolicy, horizon: SweepHorizon | null): SweepRead {
  const windowStart = redeliveryWindowStart(now, policy);
  const wholeWindowDue =
    horizon === null || now.getTime() - Date.parse(horizon.wholeWindowReadAt) >= policy.wholeWindowEveryMs;
  if (wholeWindowDue || horizon.readFrom <= windowStart) return { since: windowStart, wholeWindow: true };
  return { since: horizon.readFrom, wholeWindow: false };
}

// A GUID skipped for any other reason may still need a request: it stays in what the next sweep reads.
const SETTLED: readonly SweepSkipReason[] = ['ok', 'requests_used_up', 'outside_window'];

/** The horizon after a sweep that read `read` and decided `plan`. */
export function nextSweepHorizon(
  plan: SweepPlan,
  read: SweepRead,
  previous: SweepHorizon | null,
  now: Date,
  policy: RedeliveryPolicy,
): SweepHorizon {
  let readFrom = new Date(now.getTime() - policy.settleMarginMs).toISOString();
  for (const decision of plan.decisions) {
    const open = decision.kind === 'redeliver' || !SETTLED.includes(decision.reason);
    if (open && decision.firstDeliveredAt < readFrom) readFrom = decision.firstDeliveredAt;
  }
  const wholeWindowReadAt = read.wholeWindow || previous === null ? now.toISOString() : previous.wholeWindowReadAt;
  return { readFrom, wholeWindowReadAt };
}

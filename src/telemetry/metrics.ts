import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry, type RegistryContentType } from 'prom-client';
import { REDELIVER_REASONS, REDELIVERY_RESULTS } from '../domain/decide-redelivery-sweep.js';
import { NOT_WOKEN_REASONS } from '../domain/route-event.js';

// Prometheus metrics (R11), named in the controller-runtime style. Labels are bounded: never an
// id, and an event name only from KNOWN_EVENTS (the X-GitHub-Event header is anyone's to set
// before the signature is checked). Every known label value starts at zero, so a dashboard
// shows 0 rather than "no data" before the first event.

const KNOWN_EVENTS = [
  'push',
  'pull_request',
  'issues',
  'issue_comment',
  'release',
  'workflow_run',
  'check_suite',
  'installation',
  'installation_repositories',
  'installation_target',
  'repository',
  'ping',
  'other',
] as const;

export type EventLabel = (typeof KNOWN_EVENTS)[number];

export const eventLabel = (event: string | null | undefined): EventLabel =>
  (KNOWN_EVENTS as readonly string[]).includes(event ?? '') ? (event as EventLabel) : 'other';

// busy: refused (503) because too many webhook bytes were in memory at once (src/http/routes/webhook.ts).
// timeout: refused (408) because the body stopped arriving (a stalled upload holds budget others need).
// aborted: the client went away before the whole body arrived; nothing stored, nobody answered.
// error: the service could not store it (e.g. the store is down), so GitHub will see a 500.
const WEBHOOK_RESULTS = [
  'accepted',
  'duplicate',
  'bad_signature',
  'malformed',
  'too_large',
  'busy',
  'timeout',
  'aborted',
  'error',
] as const;
const WAKE_SEND_RESULTS = ['delivered', 'failed', 'given_up'] as const;
const DELIVERY_OUTCOMES = ['applied', 'ignored', 'failed', 'retried'] as const;
export const SYNC_KINDS = ['installation', 'oauth'] as const;
export const SYNC_RESULTS = ['completed', 'failed', 'suspended', 'deleted'] as const;
const DECISION_KINDS = ['installation', 'oauth', 'webhook', 'api'] as const;
const ROW_DECISIONS = [
  'created',
  'updated',
  'covered',
  'detached',
  'preserved',
  'unchanged',
  'propagated',
  'deleted',
] as const;
export const REBIND_OUTCOMES: readonly (readonly [string, string])[] = [
  ['rebound', 'none'],
  ['skipped', 'no_installations'],
  ['skipped', 'several_installations'],
  ['skipped', 'installation_mismatch'],
];
const REBOUND_ENTITIES = ['automation', 'trigger'] as const;
/** What a drift resync can change: a row decision other than unchanged, or an entity rebound. */
export const DRIFT_REPAIRS = ['created', 'updated', 'covered', 'detached', 'propagated', 'rebound'] as const;
const WOKE_NOTHING_REASONS = ['no_candidates', ...NOT_WOKEN_REASONS] as const;
const COVERAGES = ['covered', 'visible_only', 'bound_to_gone'] as const;
const INSTALLATION_STATES = ['active', 'suspended', 'deleted'] as const;
export const GITHUB_OPERATIONS = [
  'GET /app/installations/{installation_id}',
  'POST /app/installations/{installation_id}/access_tokens',
  'GET /installation/repositories',
  'GET /user/repos',
  'GET /app/hook/deliveries',
  'POST /app/hook/deliveries/{delivery_id}/attempts',
  'other',
] as const;

const ROUTED_EVENTS: readonly EventLabel[] = KNOWN_EVENTS.filter(
  (e) => !['installation', 'installation_repositories', 'installation_target', 'ping'].includes(e),
);

/** Values read from the store when Prometheus scrapes, not kept in memory. */
export interface ScrapedState {
  inbox(): Promise<{ pending: number; oldestReceivedAt: string | null }>;
  /** Every endpoint's queue, paused or not (docs/wake-push.md). */
  wakeEndpoints(): Promise<{ endpointId: string; pending: number; oldestPendingAt: string | null; paused: boolean }[]>;
  repoCoverage(): Promise<Record<(typeof COVERAGES)[number], number>>;
  installationStates(): Promise<Record<(typeof INSTALLATION_STATES)[number], number>>;
}

/** Endpoints named in labels; the rest are `other`. Endpoint ids are the operator's to choose. */
const ENDPOINT_LABEL_LIMIT = 20;

function product<A extends string, B extends string>(as: readonly A[], bs: readonly B[]): [A, B][] {
  return as.flatMap((a) => bs.map((b): [A, B] => [a, b]));
}

export function createMetrics(now: () => Date = () => new Date()) {
  // Two registries over the same metrics: Prometheus' text format for anyone, and OpenMetrics
  // (which alone can carry exemplars) for scrapers that ask for it.
  const text = new Registry();
  const openMetrics = new Registry<RegistryContentType>();
  openMetrics.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
  const registers = [text, openMetrics];
  for (const register of registers) {
    collectDefaultMetrics({ register });
    // Gauges named like counters: promtool (and Prometheus' naming rules) refuse a gauge ending
    // in _total. The same numbers stay exported as nodejs_active_{handles,requests,resources}.
    for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'])
      register.removeSingleMetric(name);
  }
  let scraped: ScrapedState | null = null;

  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Counter<L>({ name, help, labelNames, registers });
  const histogram = <L extends string>(name: string, help: string, labelNames: readonly L[], buckets: number[]) => {
    // prom-client refuses exemplars on a text-format registry at construction; registered
    // afterwards, the text registry prints the histogram without them.
    const metric = new Histogram<L>({
      name,
      help,
      labelNames,
      buckets,
      registers: [openMetrics],
      enableExemplars: true,
    });
    text.registerMetric(metric);
    return metric;
  };

  const metrics = {
    webhookRequests: counter('reconciler_webhook_requests_total', 'Webhook requests by event and result.', [
      'event',
      'result',
    ]),
    webhookAckDuration: histogram(
      'reconciler_webhook_ack_duration_seconds',
      'Time from receiving a webhook request to answering it.',
      [],
      [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    ),
    deliveryOutcomes: counter('reconciler_delivery_outcomes_total', 'Delivery processing outcomes by event.', [
      'event',
      'outcome',
    ]),
    deliveryProcessingDuration: histogram(
      'reconciler_delivery_processing_duration_seconds',
      'Time to apply and route one delivery attempt.',
      ['event'],
      [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    ),
    syncRuns: counter('reconciler_sync_runs_total', 'Sync runs by kind and result.', ['kind', 'result']),
    syncDuration: histogram(
      'reconciler_sync_duration_seconds',
      'Duration of one sync run.',
      ['kind'],
      [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
    ),
    syncDecisions: counter('reconciler_sync_decisions_total', 'Repo row decisions by sync kind and decision.', [
      'kind',
      'decision',
    ]),
    preservedFields: counter(
      'reconciler_preserved_fields_total',
      'Stored values kept against what an OAuth-only sync offered (R2).',
      ['field'],
    ),
    rebindAttempts: counter(
      'reconciler_rebind_attempts_total',
      'Rebind attempts: rebound, or skipped with the reason.',
      ['outcome', 'reason'],
    ),
    reboundEntities: counter('reconciler_rebound_entities_total', 'Automations and triggers rebound.', ['entity']),
    routingDecisions: counter(
      'reconciler_routing_decisions_total',
      'Routing decisions per candidate trigger by event, outcome and reason.',
      ['event', 'outcome', 'reason'],
    ),
    deliveriesWokeNothing: counter(
      'reconciler_deliveries_woke_nothing_total',
      'Routed deliveries that woke no trigger, by event and the leading reason.',
      ['event', 'reason'],
    ),
    driftRepairs: counter(
      'reconciler_drift_repairs_total',
      'Changes the periodic drift resync had to make (each means a webhook was missed), by decision.',
      ['decision'],
    ),
    githubRequests: counter('reconciler_github_requests_total', 'GitHub API requests by operation and status.', [
      'operation',
      'status',
    ]),
    redeliveryRequests: counter(
      'reconciler_redelivery_requests_total',
      'Redeliveries the sweeper asked GitHub for, by why and by what GitHub answered.',
      ['reason', 'result'],
    ),
    wakeSends: counter(
      'reconciler_wake_sends_total',
      'Pushed wake attempts by endpoint and result: delivered, failed (tried again later) or given_up.',
      ['endpoint', 'result'],
    ),
  };
  const endpointLabels = new Set<string>();
  /** An endpoint's label: its id for the first ENDPOINT_LABEL_LIMIT seen, `other` after. */
  const endpointLabel = (endpointId: string): string => {
    if (endpointLabels.has(endpointId)) return endpointId;
    if (endpointLabels.size >= ENDPOINT_LABEL_LIMIT) return 'other';
    endpointLabels.add(endpointId);
    return endpointId;
  };

  /**
   * A gauge read from the store at scrape time. When the store does not answer, the scrape still
   * succeeds (process metrics and counters go out) and the gauge reads as unknown.
   */
  const storeGauge = <L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    read: (state: ScrapedState) => Promise<[Partial<Record<L, string>>, number][]>,
  ) =>
    new Gauge<L>({
      name,
      help,
      labelNames,
      registers,
      async collect() {
        this.reset();
        if (scraped === null) return;
        try {
          for (const [labels, value] of await read(scraped)) this.set(labels, value);
        } catch {
          // Unknown, not zero: a gauge without labels says NaN, one with labels has no series.
          // /readyz reports the store itself.
          if (labelNames.length === 0) this.set(Number.NaN);
        }
      },
    });
  storeGauge(
    'reconciler_inbox_pending',
    'Deliveries stored and not finished (waiting, in hand, or waiting for a retry).',
    [],
    async (state) => [[{}, (await state.inbox()).pending]],
  );
  storeGauge(
    'reconciler_inbox_oldest_pending_age_seconds',
    'Age of the oldest unfinished delivery; 0 when there is none.',
    [],
    async (state) => {
      const oldest = (await state.inbox()).oldestReceivedAt;
      return [[{}, oldest === null ? 0 : Math.max(0, (now().getTime() - Date.parse(oldest)) / 1000)]];
    },
  );
  /** Per endpoint label (endpoints past the label limit are summed as `other`, ages as the oldest). */
  const perEndpoint = async (
    state: ScrapedState,
    value: (endpoint: Awaited<ReturnType<ScrapedState['wakeEndpoints']>>[number]) => number,
    combine: (a: number, b: number) => number,
  ): Promise<[{ endpoint: string }, number][]> => {
    const values = new Map<string, number>();
    for (const endpoint of await state.wakeEndpoints()) {
      const label = endpointLabel(endpoint.endpointId);
      // An endpoint's sends start at zero once it exists, so its first send is an increase.
      for (const result of WAKE_SEND_RESULTS) metrics.wakeSends.inc({ endpoint: label, result }, 0);
      const previous = values.get(label);
      values.set(label, previous === undefined ? value(endpoint) : combine(previous, value(endpoint)));
    }
    return [...values].map(([endpoint, n]) => [{ endpoint }, n]);
  };
  const sum = (a: number, b: number) => a + b;
  storeGauge(
    'reconciler_wake_send_queue',
    'Pushed wakes waiting for an attempt or in one, per endpoint.',
    ['endpoint'],
    (state) => perEndpoint(state, (e) => e.pending, sum),
  );
  storeGauge(
    'reconciler_wake_send_oldest_pending_age_seconds',
    'Age of the oldest pushed wake an endpoint has not received yet; 0 when there is none.',
    ['endpoint'],
    (state) =>
      perEndpoint(
        state,
        (e) => (e.oldestPendingAt === null ? 0 : Math.max(0, (now().getTime() - Date.parse(e.oldestPendingAt)) / 1000)),
        Math.max,
      ),
  );
  storeGauge(
    'reconciler_wake_endpoint_paused',
    'Endpoints paused after failing again and again (1 while paused).',
    ['endpoint'],
    (state) => perEndpoint(state, (e) => (e.paused ? 1 : 0), sum),
  );
  storeGauge('reconciler_repos', 'Base repo rows by coverage.', ['coverage'], async (state) => {
    const counts = await state.repoCoverage();
    return COVERAGES.map((coverage) => [{ coverage }, counts[coverage]]);
  });
  storeGauge('reconciler_installations', 'Installations by state.', ['state'], async (state) => {
    const counts = await state.installationStates();
    return INSTALLATION_STATES.map((value) => [{ state: value }, counts[value]]);
  });

  for (const [event, result] of product(KNOWN_EVENTS, WEBHOOK_RESULTS))
    metrics.webhookRequests.inc({ event, result }, 0);
  for (const [event, outcome] of product(KNOWN_EVENTS, DELIVERY_OUTCOMES))
    metrics.deliveryOutcomes.inc({ event, outcome }, 0);
  for (const event of KNOWN_EVENTS) metrics.deliveryProcessingDuration.zero({ event });
  for (const [kind, result] of product(SYNC_KINDS, SYNC_RESULTS)) metrics.syncRuns.inc({ kind, result }, 0);
  for (const kind of SYNC_KINDS) metrics.syncDuration.zero({ kind });
  metrics.webhookAckDuration.zero({});
  for (const [kind, decision] of product(DECISION_KINDS, ROW_DECISIONS))
    metrics.syncDecisions.inc({ kind, decision }, 0);
  metrics.preservedFields.inc({ field: 'installationId' }, 0);
  for (const operation of GITHUB_OPERATIONS) metrics.githubRequests.inc({ operation, status: '200' }, 0);
  for (const [outcome, reason] of REBIND_OUTCOMES) metrics.rebindAttempts.inc({ outcome, reason }, 0);
  for (const entity of REBOUND_ENTITIES) metrics.reboundEntities.inc({ entity }, 0);
  for (const [reason, result] of product(REDELIVER_REASONS, REDELIVERY_RESULTS))
    metrics.redeliveryRequests.inc({ reason, result }, 0);
  for (const decision of DRIFT_REPAIRS) metrics.driftRepairs.inc({ decision }, 0);
  for (const event of ROUTED_EVENTS) {
    metrics.routingDecisions.inc({ event, outcome: 'woken', reason: 'none' }, 0);
    for (const reason of NOT_WOKEN_REASONS) metrics.routingDecisions.inc({ event, outcome: 'not_woken', reason }, 0);
    for (const reason of WOKE_NOTHING_REASONS) metrics.deliveriesWokeNothing.inc({ event, reason }, 0);
  }

  const auditRecordsLost = new Gauge({
    name: 'reconciler_audit_records_lost',
    help: 'Audit records the last signed checkpoint exported before start covers that the store no longer holds as signed.',
    registers,
  });
  auditRecordsLost.set(0);

  return {
    ...metrics,
    endpointLabel,
    auditRecordsLost,
    /** Connects the gauges that are read from the store at scrape time. */
    observeState(state: ScrapedState): void {
      scraped = state;
    },
    /** The exposition for a scraper: OpenMetrics (with exemplars) when it asks for it. */
    async expose(accept: string | undefined): Promise<{ contentType: string; body: string }> {
      const registry = accept?.includes('application/openmetrics-text') ? openMetrics : text;
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

import { randomUUID } from 'node:crypto';
import type { AuditContext } from '../domain/audit-for.js';
import type { ApiOrigin } from '../domain/audit/api-change.js';
import type { Delivery } from '../domain/delivery.js';
import { activeSpanTrace, currentTraceId } from '../telemetry/tracing.js';

/** One page of a sync run read from GitHub: how far that run is. */
export interface PageProgress {
  /** Which run: `installation:<id>` or `oauth`. */
  run: string;
  page: number;
  lastPage: number;
  reposSeen: number;
}

/** Who asked for a reconciliation, carried into every audit record it writes. */
export interface ReconcileContext extends AuditContext {
  /** Told after every page a sync reads (long syncs show progress). */
  onPage?: (progress: PageProgress) => void;
}

/** The context of everything one delivery causes: its audit records all carry its id. */
export function deliveryContext(delivery: Pick<Delivery, 'id'>, now: () => Date): ReconcileContext {
  return {
    actor: 'webhook',
    source: { type: 'delivery', id: delivery.id },
    deliveryId: delivery.id,
    traceId: currentTraceId(),
    now,
    trace: activeSpanTrace,
  };
}

/** The context of a read through the API that may write (metadata refresh, R6). */
export function apiContext(now: () => Date): ReconcileContext {
  return {
    actor: 'api',
    source: { type: 'api', id: randomUUID() },
    deliveryId: null,
    traceId: currentTraceId(),
    now,
    trace: activeSpanTrace,
  };
}

/** The context of the effects of one API change: they share its request's source and time. */
export function originContext(origin: ApiOrigin): ReconcileContext {
  return {
    actor: 'api',
    source: origin.source,
    deliveryId: null,
    traceId: currentTraceId(),
    now: () => origin.at,
    trace: activeSpanTrace,
  };
}

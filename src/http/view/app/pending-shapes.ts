// The answers of two endpoints agreed for issue 15 but not built yet: stored traces
// (GET /api/traces/:traceId) and trigger health (GET /api/triggers/:triggerId/health). The view
// says "not available" when they answer 404; once they exist, these come from api-shapes.ts and
// this file goes.

export interface SpanJson {
  spanId: string;
  parentSpanId: string | null;
  name: string;
  kind: string;
  startTime: string;
  endTime: string;
  durationMs: number;
  status: 'unset' | 'ok' | 'error';
  statusMessage: string | null;
  attributes: Record<string, unknown>;
  events: { name: string; time: string; attributes: Record<string, unknown> }[];
}

/** `GET /api/traces/:traceId`. */
export interface TraceJson {
  traceId: string;
  traceUrl: string | null;
  spans: SpanJson[];
}

/** `GET /api/triggers/:triggerId/health`. */
export interface TriggerHealthJson {
  triggerId: string;
  fireable: 'yes' | 'no' | 'unknown';
  checks: { check: string; status: 'ok' | 'problem' | 'unknown'; reason: string | null; detail: string }[];
  checkedAt: string;
}

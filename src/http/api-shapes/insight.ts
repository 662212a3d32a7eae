// The investigation workspace's shapes (issue 15): a fix as an action the view turns into a
// button, a stored trace, and whether a trigger can ever fire.

/** One API call that applies a fix, and the same call as a line to paste into a terminal. */
export interface StepActionJson {
  label: string;
  method: 'POST' | 'PUT' | 'DELETE';
  /** Starts with /api/. */
  path: string;
  body: object | null;
  command: string;
}

export type SpanKindName = 'internal' | 'server' | 'client' | 'producer' | 'consumer';
export type SpanStatusName = 'unset' | 'ok' | 'error';
export type SpanAttributeValue = string | number | boolean | (string | number | boolean | null)[];

export interface SpanEventJson {
  name: string;
  time: string;
  attributes: Record<string, SpanAttributeValue>;
}

export interface SpanJson {
  spanId: string;
  parentSpanId: string | null;
  name: string;
  kind: SpanKindName;
  startTime: string;
  endTime: string;
  durationMs: number;
  status: SpanStatusName;
  statusMessage: string | null;
  attributes: Record<string, SpanAttributeValue>;
  events: SpanEventJson[];
}

/** `GET /api/traces/:traceId`: the stored spans of one trace, by start time. */
export interface TraceJson {
  traceId: string;
  traceUrl: string | null;
  spans: SpanJson[];
}

export type CheckStatus = 'ok' | 'problem' | 'unknown';

/** `GET /api/triggers/:triggerId/health`. */
export interface TriggerHealthJson {
  triggerId: string;
  fireable: 'yes' | 'no' | 'unknown';
  checks: { check: string; status: CheckStatus; reason: string | null; detail: string }[];
  checkedAt: string;
}

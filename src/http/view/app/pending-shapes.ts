import type { DeliveriesPage, DiagnosisStepJson } from '../../api-shapes.js';

// The answers of endpoints built beside the view in parallel (shapes agreed for issue 15): search
// and payloads (helper "search"), traces, trigger health and diagnose actions (helper "insight").
// Declared here until those branches are merged; then these come from api-shapes.ts, and this file
// goes. Every field the view reads is optional where the answer it reads today lacks it.

/** `GET /api/deliveries` items, with the fields the search branch adds. */
export type DeliveryItem = DeliveriesPage['deliveries'][number] & {
  repoFullName?: string | null;
  problem?: boolean;
  reasons?: string[];
};

export type SearchKind = 'repo' | 'delivery' | 'trigger' | 'automation' | 'installation' | 'trace' | 'user';

/** `GET /api/search?q=`. */
export interface SearchAnswer {
  query: string;
  matches: { kind: SearchKind; id: string; label: string; detail: string | null; formerName?: string }[];
}

/** `GET /api/deliveries/:id/payload`. */
export interface DeliveryPayloadJson {
  deliveryId: string;
  event: string;
  action: string | null;
  receivedAt: string;
  headers: Record<string, string>;
  payload: unknown;
}

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

/** A diagnose step's fix as a request the page can make. */
export interface StepActionJson {
  label: string;
  method: 'POST' | 'PUT' | 'DELETE';
  path: string;
  body: object | null;
  command: string;
}

export type DiagnosisStepWithActions = DiagnosisStepJson & {
  action?: StepActionJson | null;
  actions?: StepActionJson[];
};

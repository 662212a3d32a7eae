// The HTTP API's request and response shapes (REQUIREMENTS.md, "Shapes"), declared once: the
// routes check what they send against them (`satisfies`), and the CLI and the Observability view
// read the answers as them. Fields may be added, none renamed.
//
// Self-contained on purpose: the view (src/http/view/app, its own DOM program) imports these
// types, so these files must not pull server modules into the browser's type check. The shapes
// live in api-shapes/, one file per resource; everything imports them from here.

import type { AuditRecordJson } from './api-shapes/audit.js';
import type { StepActionJson } from './api-shapes/insight.js';
import type { Coverage, InstallationJson, InstallationState } from './api-shapes/users.js';

export type * from './api-shapes/audit.js';
export type * from './api-shapes/bindings.js';
export type * from './api-shapes/deliveries.js';
export type * from './api-shapes/insight.js';
export type * from './api-shapes/sync.js';
export type * from './api-shapes/users.js';

/** Every error: `{ "error": { "code", "message" } }` with a fitting status. */
export interface ApiErrorBody {
  error: { code: string; message: string };
}

// ---- diagnosis and the overview -------------------------------------------------------------

export interface DiagnosisStepJson {
  step: 1 | 2 | 3 | 4 | 5;
  name: string;
  status: 'ok' | 'problem' | 'unknown';
  evidence: string;
  next: string | null;
  /** The fix as a call the view offers as a button; null when the step needs none or no single call fixes it. */
  action: StepActionJson | null;
  /** Every call of the fix, in order (an explicit rebind moves the trigger and its automation); `action` is the first. */
  actions: StepActionJson[];
}

/** `GET /api/diagnose?userId=&repo=owner/name`. */
export interface DiagnosisJson {
  userId: string;
  repo: string;
  steps: DiagnosisStepJson[];
  /** Missing installation metadata is filled first (R6); what that did, per linked installation. */
  metadataRefresh: ({ installationId: number } & InstallationJson['refresh'])[];
}

export type RebindSkipReason = 'no_installations' | 'several_installations' | 'installation_mismatch';

/** `GET /api/summary`: what the Observability view's cards show. */
export interface SummaryJson {
  coverage: Record<Coverage, number>;
  installations: Record<InstallationState, number>;
  inbox: { pending: number; oldestReceivedAt: string | null };
  rebindSkips: { total: number; byReason: Record<string, number>; recent: AuditRecordJson[] };
}

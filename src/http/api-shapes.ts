// The HTTP API's request and response shapes (REQUIREMENTS.md, "Shapes"), inferred from the zod
// schemas in openapi/ that the routes validate with and the OpenAPI document is built from: the
// routes check what they send against them (`satisfies`), and the CLI and the Observability view
// read the answers as them. Fields may be added, none renamed.
//
// Type-only on purpose: the view (src/http/view/app, its own DOM program) imports these types,
// and the schema files import nothing but zod, so no server module reaches the browser's type check.

import type { z } from 'zod';
import type * as fields from './openapi/fields.js';
import type * as overview from './openapi/overview.js';

export type * from './api-shapes/audit.js';
export type * from './api-shapes/bindings.js';
export type * from './api-shapes/deliveries.js';
export type * from './api-shapes/entities.js';
export type * from './api-shapes/sync.js';
export type * from './api-shapes/users.js';

/** Every error: `{ "error": { "code", "message" } }` with a fitting status. */
export type ApiErrorBody = z.infer<typeof fields.apiErrorBody>;

export type StepActionJson = z.infer<typeof overview.stepActionJson>;
export type DiagnosisStepJson = z.infer<typeof overview.diagnosisStepJson>;
/** `GET /api/diagnose?userId=&repo=owner/name`. */
export type DiagnosisJson = z.infer<typeof overview.diagnosisJson>;
export type RebindSkipReason = z.infer<typeof overview.rebindSkipReason>;
/** `GET /api/summary`: what the Observability view's cards show. */
export type SummaryJson = z.infer<typeof overview.summaryJson>;

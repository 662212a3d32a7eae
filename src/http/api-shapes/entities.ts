import type { z } from 'zod';
import type * as entities from '../openapi/entities.js';

// The entity pages (issue 15, item 5), as the zod schemas in openapi/entities.ts declare them.

/** `GET /api/repos/:repoId`. */
export type RepoPageJson = z.infer<typeof entities.repoPageJson>;
export type RepoRowOfUserJson = z.infer<typeof entities.repoRowOfUserJson>;
/** `GET /api/triggers/:triggerId`. */
export type TriggerPageJson = z.infer<typeof entities.triggerPageJson>;
export type TriggerBindingJson = z.infer<typeof entities.triggerBindingJson>;
export type TriggerDecisionJson = z.infer<typeof entities.decisionJson>;
/** `GET /api/automations/:automationId`. */
export type AutomationPageJson = z.infer<typeof entities.automationPageJson>;
/** `GET /api/installations/:installationId`. */
export type InstallationPageJson = z.infer<typeof entities.installationPageJson>;
export type InstallationPageSyncJson = z.infer<typeof entities.installationSyncJson>;

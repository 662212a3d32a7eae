import type { z } from 'zod';
import type * as bindings from '../openapi/bindings.js';

// Automations and triggers: the installation-scoped bindings that routing and rebinding act on.

/** `PUT /api/automations/:id`. */
export type AutomationRequest = z.input<typeof bindings.automationRequest>;
export type AutomationJson = z.infer<typeof bindings.automationJson>;
/** `PUT /api/triggers/:id`; an entry `event` matches every action, `event.action` one action. */
export type TriggerRequest = z.input<typeof bindings.triggerRequest>;
export type TriggerJson = z.infer<typeof bindings.triggerJson>;
/** `GET /api/automations`. */
export type AutomationsPage = z.infer<typeof bindings.automationsPage>;
/** `GET /api/triggers`. */
export type TriggersPage = z.infer<typeof bindings.triggersPage>;

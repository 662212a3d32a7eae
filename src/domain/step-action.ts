import type { Automation, Trigger } from './entities.js';

// A fix as one API call: what the view offers as a button, and the same call as a curl line an
// operator can paste (RECONCILER_URL and API_TOKEN are the variables the CLIs read too).

export interface StepAction {
  label: string;
  method: 'POST' | 'PUT' | 'DELETE';
  /** Starts with /api/. */
  path: string;
  body: Record<string, unknown> | null;
  command: string;
}

/** A shell single-quoted word: a quote inside becomes '\'' (close, escaped quote, reopen). */
const quoted = (text: string): string => `'${text.replaceAll("'", `'\\''`)}'`;

export function apiAction(
  label: string,
  method: StepAction['method'],
  path: string,
  body: Record<string, unknown> | null,
): StepAction {
  const parts = [
    `curl -sS -X ${method} "$RECONCILER_URL${path}"`,
    '-H "authorization: Bearer $API_TOKEN"',
    ...(body === null ? [] : ["-H 'content-type: application/json'", `-d ${quoted(JSON.stringify(body))}`]),
  ];
  return { label, method, path, body, command: parts.join(' ') };
}

/** PUT /api/triggers/:id with the trigger as it is, bound to `installationId`. */
export function rebindTriggerAction(trigger: Trigger, installationId: number): StepAction {
  const body = {
    userId: trigger.userId,
    ...(trigger.automationId === null ? {} : { automationId: trigger.automationId }),
    installationId,
    repoId: trigger.repoId,
    ...(trigger.repoFullName === null ? {} : { repoFullName: trigger.repoFullName }),
    ...(trigger.rootDirectory === null ? {} : { rootDirectory: trigger.rootDirectory }),
    events: [...trigger.events],
    enabled: trigger.enabled,
  };
  return apiAction(
    `rebind trigger ${trigger.id} to installation ${installationId}`,
    'PUT',
    `/api/triggers/${encodeURIComponent(trigger.id)}`,
    body,
  );
}

/** PUT /api/automations/:id with the automation as it is, bound to `installationId`. */
export function rebindAutomationAction(automation: Automation, installationId: number): StepAction {
  const body = { userId: automation.userId, installationId, name: automation.name, enabled: automation.enabled };
  return apiAction(
    `rebind automation ${automation.id} to installation ${installationId}`,
    'PUT',
    `/api/automations/${encodeURIComponent(automation.id)}`,
    body,
  );
}

export const syncUserAction = (userId: string): StepAction =>
  apiAction(`sync user ${userId}`, 'POST', `/api/users/${encodeURIComponent(userId)}/sync`, {});

export const replayAction = (deliveryId: string): StepAction =>
  apiAction(`replay delivery ${deliveryId}`, 'POST', `/api/deliveries/${encodeURIComponent(deliveryId)}/replay`, null);

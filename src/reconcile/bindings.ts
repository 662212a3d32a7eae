import type { Automation, Trigger } from '../domain/entities.js';
import type { BindingStore } from '../store/store.js';
import { apiDraft, asAuditValue, type ApiOrigin } from '../domain/audit/api-change.js';

// Automations and triggers as the API changes them (R8, R9): each write goes to the store with
// its audit record in one call, so a binding never changes without its record, nor the reverse.

const automationSubject = (a: Automation) => ({
  userId: a.userId,
  automationId: a.id,
  installationId: a.installationId,
});
const triggerSubject = (t: Trigger) => ({
  userId: t.userId,
  triggerId: t.id,
  repoId: t.repoId,
  installationId: t.installationId,
});

/** Creates or replaces an automation; `before` is what was stored (null: a new one). */
export async function putAutomation(
  store: BindingStore,
  automation: Automation,
  before: Automation | null,
  origin: ApiOrigin,
): Promise<void> {
  await store.putAutomation(automation, [
    apiDraft(origin, {
      kind: 'automation.put',
      subject: automationSubject(automation),
      decision: before ? 'updated' : 'created',
      before: asAuditValue(before),
      after: asAuditValue(automation),
    }),
  ]);
}

/** Creates or replaces a trigger; `before` is what was stored (null: a new one). */
export async function putTrigger(
  store: BindingStore,
  trigger: Trigger,
  before: Trigger | null,
  origin: ApiOrigin,
): Promise<void> {
  await store.putTrigger(trigger, [
    apiDraft(origin, {
      kind: 'trigger.put',
      subject: triggerSubject(trigger),
      decision: before ? 'updated' : 'created',
      before: asAuditValue(before),
      after: asAuditValue(trigger),
    }),
  ]);
}

/** Deletes a stored automation, audited with what was deleted; false when it was gone already. */
export async function deleteAutomation(store: BindingStore, before: Automation, origin: ApiOrigin): Promise<boolean> {
  return store.deleteAutomation(before.id, [
    apiDraft(origin, {
      kind: 'automation.deleted',
      subject: { userId: before.userId, automationId: before.id },
      decision: 'deleted',
      before: asAuditValue(before),
      after: null,
    }),
  ]);
}

/** Deletes a stored trigger, audited with what was deleted; false when it was gone already. */
export async function deleteTrigger(store: BindingStore, before: Trigger, origin: ApiOrigin): Promise<boolean> {
  return store.deleteTrigger(before.id, [
    apiDraft(origin, {
      kind: 'trigger.deleted',
      subject: { userId: before.userId, triggerId: before.id, repoId: before.repoId },
      decision: 'deleted',
      before: asAuditValue(before),
      after: null,
    }),
  ]);
}

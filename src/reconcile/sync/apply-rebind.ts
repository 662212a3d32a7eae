import type { AuditDraft } from '../../domain/audit/index.js';
import { auditFor } from '../../domain/audit-for.js';
import { decideRebind, type RebindPlan, type RebindSkipReason } from '../../domain/decide-rebind.js';
import { installationState } from '../../domain/entities.js';
import type { Store } from '../../store/store.js';
import type { ReconcileContext } from '../sync-context.js';
import type { RebindOutcome } from './sync-reports.js';

/** Repairs stale bindings of one user after installation-backed sync of one installation (R8). */
export async function applyRebind(
  store: Store,
  context: ReconcileContext,
  userId: string,
  installationId: number,
): Promise<{ outcome: RebindOutcome; audit: AuditDraft[] }> {
  const linked = await store.listInstallations(await store.listLinkedInstallationIds(userId));
  // "Current" installations: linked to the user and not deleted.
  const current = linked.filter((installation) => installationState(installation) !== 'deleted').map((i) => i.id);
  const automations = await store.listAutomationsByUser(userId);
  const triggers = await store.listTriggersByUser(userId);
  const plan: RebindPlan = decideRebind(current, installationId, [
    ...automations.map((a) => ({ type: 'automation' as const, id: a.id, installationId: a.installationId })),
    ...triggers.map((tr) => ({ type: 'trigger' as const, id: tr.id, installationId: tr.installationId })),
  ]);
  if (plan.kind === 'skip') {
    return {
      outcome: { userId, outcome: 'skipped', reason: plan.reason, installationIds: plan.installationIds },
      audit: [
        auditFor(context, {
          kind: 'rebind.skipped',
          subject: { userId, installationId },
          decision: 'skipped',
          reason: plan.reason,
          after: { installationIds: plan.installationIds, syncedInstallationId: installationId },
        }),
      ],
    };
  }
  const audit: AuditDraft[] = [];
  const at = context.now().toISOString();
  if (plan.entities.length === 0)
    // Recorded all the same: it settles any earlier skip for this user (the story and diagnosis read it).
    audit.push(
      auditFor(context, {
        kind: 'rebind.applied',
        subject: { userId, installationId: plan.to },
        decision: 'nothing_to_rebind',
        reason: 'every automation and trigger is already bound to the only installation',
      }),
    );
  for (const entity of plan.entities) {
    const rebound = auditFor(context, {
      kind: 'rebind.applied',
      subject: {
        userId,
        installationId: plan.to,
        ...(entity.type === 'automation' ? { automationId: entity.id } : { triggerId: entity.id }),
      },
      decision: 'rebound',
      before: { installationId: entity.from },
      after: { installationId: plan.to },
    });
    // Each binding is written with its own record, so a crash cannot leave one moved but unaudited.
    const automation = entity.type === 'automation' ? automations.find((a) => a.id === entity.id) : undefined;
    const trigger = entity.type === 'trigger' ? triggers.find((tr) => tr.id === entity.id) : undefined;
    if (automation) await store.putAutomation({ ...automation, installationId: plan.to, updatedAt: at }, [rebound]);
    else if (trigger) await store.putTrigger({ ...trigger, installationId: plan.to, updatedAt: at }, [rebound]);
    else audit.push(rebound);
  }
  return { outcome: { userId, outcome: 'rebound', to: plan.to, entities: plan.entities }, audit };
}

/**
 * A user with no current installation (none linked, or every linked one deleted) has no
 * installation-backed sync to run, so rebind never gets its turn: the skip is recorded all the
 * same (R8), so that it reaches the rebind-skip metric, the sync answer and diagnosis.
 */
export async function recordNoInstallations(
  store: Store,
  context: ReconcileContext,
  userId: string,
  deletedInstallationIds: readonly number[],
): Promise<RebindOutcome> {
  const reason: RebindSkipReason = 'no_installations';
  await store.appendAudit([
    auditFor(context, {
      kind: 'rebind.skipped',
      subject: { userId },
      decision: 'skipped',
      reason,
      after: { installationIds: [], deletedInstallationIds: [...deletedInstallationIds] },
    }),
  ]);
  return { userId, outcome: 'skipped', reason, installationIds: [] };
}

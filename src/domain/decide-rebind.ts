// Repairing stale installation bindings of automations and triggers during installation-backed
// sync (R8; ../shared/spec/repo-sync-and-rebinding.md, "Rebinding stale trigger and automation
// state"). Deliberately conservative: it acts only when the user's installation state is clear.

export type RebindSkipReason = 'no_installations' | 'several_installations' | 'installation_mismatch';

export interface BoundEntity {
  type: 'automation' | 'trigger';
  id: string;
  installationId: number;
}

export type RebindPlan =
  | { kind: 'rebind'; to: number; entities: { type: BoundEntity['type']; id: string; from: number }[] }
  | { kind: 'skip'; reason: RebindSkipReason; installationIds: number[]; syncedInstallationId: number };

/**
 * @param currentInstallationIds the user's installations that still exist (linked, not deleted)
 * @param syncedInstallationId the installation whose sync is running
 * @param entities the user's automations and triggers
 */
export function decideRebind(
  currentInstallationIds: readonly number[],
  syncedInstallationId: number,
  entities: readonly BoundEntity[],
): RebindPlan {
  const ids = [...new Set(currentInstallationIds)].sort((a, b) => a - b);
  const skip = (reason: RebindSkipReason): RebindPlan => ({
    kind: 'skip',
    reason,
    installationIds: ids,
    syncedInstallationId,
  });
  if (ids.length === 0) return skip('no_installations');
  // Several installations: guessing which one the stale routes should point at could be wrong.
  if (ids.length > 1) return skip('several_installations');
  if (ids[0] !== syncedInstallationId) return skip('installation_mismatch');
  return {
    kind: 'rebind',
    to: syncedInstallationId,
    entities: entities
      .filter((entity) => entity.installationId !== syncedInstallationId)
      .map((entity) => ({ type: entity.type, id: entity.id, from: entity.installationId })),
  };
}

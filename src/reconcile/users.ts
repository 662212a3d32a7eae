import type { User } from '../domain/entities.js';
import type { DecisionCounts } from '../domain/sync/decision-counts.js';
import type { Store, UserStore } from '../store/store.js';
import { apiDraft, asAuditValue, type ApiOrigin } from '../domain/audit/api-change.js';
import { originContext } from './sync-context.js';
import { detachUserRows } from './sync/unlinked-rows.js';

// Users and their installation links, as the API changes them: each change is written with its
// audit record in one store call, so neither is kept without the other.

/** Creates or updates a user; `before` is what was stored (null: a new user). */
export async function putUser(store: UserStore, user: User, before: User | null, origin: ApiOrigin): Promise<void> {
  await store.upsertUser(user, [
    apiDraft(origin, {
      kind: 'user.put',
      subject: { userId: user.id },
      decision: before ? 'updated' : 'created',
      before: asAuditValue(before),
      after: asAuditValue(user),
    }),
  ]);
}

/** Links a user to an installation; false when the link existed already (and nothing is audited). */
export async function linkUser(
  store: UserStore,
  userId: string,
  installationId: number,
  origin: ApiOrigin,
): Promise<boolean> {
  return store.linkInstallation(userId, installationId, origin.at.toISOString(), [
    apiDraft(origin, {
      kind: 'installation.linked',
      subject: { userId, installationId },
      decision: 'linked',
      before: null,
      after: { installationId },
    }),
  ]);
}

/**
 * Removes a link, then detaches the user's rows that installation covered (one api.decision
 * record per row): the user no longer reaches them through it, so routing must stop waking the
 * user's triggers on its events. Null when there was no link (nothing is audited). Should the
 * detach stop part-way, the user's next sync finishes it (sync/unlinked-rows.ts).
 */
export async function unlinkUser(
  store: Store,
  userId: string,
  installationId: number,
  origin: ApiOrigin,
): Promise<DecisionCounts | null> {
  const unlinked = await store.unlinkInstallation(userId, installationId, [
    apiDraft(origin, {
      kind: 'installation.unlinked',
      subject: { userId, installationId },
      decision: 'unlinked',
      before: { installationId },
      after: null,
    }),
  ]);
  if (!unlinked) return null;
  return detachUserRows(
    store,
    originContext(origin),
    'api',
    userId,
    installationId,
    `user ${userId} unlinked installation ${installationId}`,
  );
}

import type { User } from '../domain/entities.js';
import type { UserStore } from '../store/store.js';
import { apiDraft, asAuditValue, type ApiOrigin } from '../domain/audit/api-change.js';

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

/** Removes a link; false when there was none (and nothing is audited). */
export async function unlinkUser(
  store: UserStore,
  userId: string,
  installationId: number,
  origin: ApiOrigin,
): Promise<boolean> {
  return store.unlinkInstallation(userId, installationId, [
    apiDraft(origin, {
      kind: 'installation.unlinked',
      subject: { userId, installationId },
      decision: 'unlinked',
      before: { installationId },
      after: null,
    }),
  ]);
}

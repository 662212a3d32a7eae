import { USER } from '../codec.js';
import type { UserStore } from '../ports/users.js';
import { fieldsOf, isDuplicateKey, oneOf, upsertOnce, type Collections } from './collections.js';
import { LIVE, withCarried, type CopyOut } from './copy-out.js';

const linkId = (userId: string, installationId: number) => `${userId}\u0000${installationId}`;

/** Users and their links; each write carries its audit (copy-out.ts). */
export function mongoUsers(c: Collections, copyOut: CopyOut): UserStore {
  return {
    async upsertUser(user, audit) {
      const { update } = copyOut.carry(audit);
      await upsertOnce(() =>
        c.users.updateOne({ _id: user.id }, withCarried(fieldsOf(USER, user), update), { upsert: true }),
      );
      if (audit.length > 0) await copyOut.flush(c.users, { _id: user.id });
    },
    async getUser(id) {
      return oneOf(USER, await c.users.findOne({ _id: id }));
    },
    async linkInstallation(userId, installationId, linkedAt, audit) {
      const _id = linkId(userId, installationId);
      const { update } = copyOut.carry(audit);
      const fields = { userId, installationId, linkedAt, deleted: false };
      // A link whose removal is still being copied out is linked again in place.
      const relinked = await c.links.updateOne({ _id, deleted: true }, withCarried(fields, update));
      if (relinked.modifiedCount === 0) {
        const pending = (update.$push as { pendingAudit?: string } | undefined)?.pendingAudit;
        const until = (update.$set as { pendingUntil?: string } | undefined)?.pendingUntil;
        try {
          await c.links.insertOne({
            _id,
            ...fields,
            ...(pending ? { pendingAudit: [pending], pendingUntil: until } : {}),
          });
        } catch (error) {
          if (isDuplicateKey(error)) return false;
          throw error;
        }
      }
      if (audit.length > 0) await copyOut.flush(c.links, { _id });
      return true;
    },
    async unlinkInstallation(userId, installationId, audit) {
      const _id = linkId(userId, installationId);
      if (audit.length === 0) return (await c.links.deleteOne({ _id, ...LIVE })).deletedCount > 0;
      const { update } = copyOut.carry(audit);
      const marked = await c.links.updateOne({ _id, ...LIVE }, withCarried({ deleted: true }, update));
      if (marked.modifiedCount === 0) return false;
      await copyOut.flush(c.links, { _id });
      return true;
    },
    async listLinkedInstallationIds(userId) {
      const found = await c.links
        .find({ userId, ...LIVE })
        .sort({ installationId: 1 })
        .toArray();
      return found.map((doc) => Number(doc.installationId));
    },
    async listUsersLinkedTo(installationId) {
      const found = await c.links
        .find({ installationId, ...LIVE })
        .sort({ userId: 1 })
        .toArray();
      return found.map((doc) => doc.userId as string);
    },
  };
}

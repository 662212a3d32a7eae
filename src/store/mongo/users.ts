import { USER } from '../codec.js';
import type { UserStore } from '../ports/users.js';
import { allOf, fieldsOf, isDuplicateKey, oneOf, upsertOnce, type Collections } from './collections.js';
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
    async listUsers(page) {
      const found = await c.users.find({ _id: { $gt: page.afterId ?? '' } }).sort({ _id: 1 }).limit(page.limit).toArray();
      return allOf(USER, found);
    },
    async linkInstallation(userId, installationId, linkedAt, audit) {
      const _id = linkId(userId, installationId);
      const carried = copyOut.carry(audit);
      const fields = { userId, installationId, linkedAt, deleted: false };
      // A link whose removal is still being copied out is linked again in place.
      const relinked = await c.links.updateOne({ _id, deleted: true }, withCarried(fields, carried.update));
      if (relinked.modifiedCount === 0) {
        try {
          await c.links.insertOne({ _id, ...fields, ...carried.fields });
        } catch (error) {
          if (isDuplicateKey(error)) return false;
          throw error;
        }
      }
      if (carried.entry !== null) await copyOut.flush(c.links, { _id });
      return true;
    },
    async unlinkInstallation(userId, installationId, audit) {
      return copyOut.remove(c.links, { _id: linkId(userId, installationId) }, audit);
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

import { INSTALLATION } from '../codec.js';
import type { InstallationStore } from '../ports/installations.js';
import { allOf, fieldsOf, oneOf, upsertOnce, type Collections } from './collections.js';

export function mongoInstallations(c: Collections): InstallationStore {
  return {
    async upsertInstallation(installation) {
      // GitHub compares logins without case: the lower-case copy is what the index finds.
      const fields = {
        ...fieldsOf(INSTALLATION, installation),
        accountLoginLower: installation.accountLogin?.toLowerCase() ?? null,
      };
      await upsertOnce(() => c.installations.updateOne({ _id: installation.id }, { $set: fields }, { upsert: true }));
    },
    async getInstallation(id) {
      return oneOf(INSTALLATION, await c.installations.findOne({ _id: id }));
    },
    async listInstallations(ids) {
      if (ids.length === 0) return [];
      return allOf(
        INSTALLATION,
        await c.installations
          .find({ _id: { $in: [...ids] } })
          .sort({ _id: 1 })
          .toArray(),
      );
    },
    async listInstallationsByAccountLogin(login) {
      const found = await c.installations.find({ accountLoginLower: login.toLowerCase() }).sort({ _id: 1 }).toArray();
      return allOf(INSTALLATION, found);
    },
    async listInstallationPage(page) {
      const found = await c.installations
        .find(page.afterId === undefined ? {} : { _id: { $gt: page.afterId } })
        .sort({ _id: 1 })
        .limit(page.limit)
        .toArray();
      return allOf(INSTALLATION, found);
    },
    async countInstallationsByState() {
      const counts = { active: 0, suspended: 0, deleted: 0 };
      for (const doc of await c.installations.find({}, { projection: { suspendedAt: 1, deletedAt: 1 } }).toArray()) {
        counts[doc.deletedAt != null ? 'deleted' : doc.suspendedAt != null ? 'suspended' : 'active'] += 1;
      }
      return counts;
    },
  };
}

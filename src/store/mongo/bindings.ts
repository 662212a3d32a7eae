import type { Collection } from 'mongodb';
import type { AuditDraft } from '../../domain/audit/index.js';
import { AUTOMATION, TRIGGER, type Codec } from '../codec.js';
import type { BindingStore } from '../ports/bindings.js';
import type { IdPage } from '../ports/users.js';
import { allOf, fieldsOf, oneOf, upsertOnce, type Collections, type Doc } from './collections.js';
import { LIVE, withCarried, type CopyOut } from './copy-out.js';

/** Automations and triggers; each write carries its audit (copy-out.ts). */
export function mongoBindings(c: Collections, copyOut: CopyOut): BindingStore {
  const put = async <T extends { id: string }>(
    collection: Collection<Doc>,
    codec: Codec<T>,
    value: T,
    audit: readonly AuditDraft[],
  ): Promise<void> => {
    const { update } = copyOut.carry(audit);
    // Written again while a deletion's audit is still being copied out: live again, and the
    // deletion's records still wait on it to be copied.
    const set = { ...fieldsOf(codec, value), deleted: false };
    await upsertOnce(() => collection.updateOne({ _id: value.id }, withCarried(set, update), { upsert: true }));
    if (audit.length > 0) await copyOut.flush(collection, { _id: value.id });
  };
  const get = async <T>(collection: Collection<Doc>, codec: Codec<T>, id: string) =>
    oneOf(codec, await collection.findOne({ _id: id, ...LIVE }));
  const list = async <T>(collection: Collection<Doc>, codec: Codec<T>, filter: Doc, page?: IdPage) => {
    const found = collection.find({ ...filter, ...LIVE, ...(page ? { _id: { $gt: page.afterId ?? '' } } : {}) }).sort({ _id: 1 });
    return allOf(codec, await (page ? found.limit(page.limit) : found).toArray());
  };

  return {
    putAutomation: (automation, audit) => put(c.automations, AUTOMATION, automation, audit),
    getAutomation: (id) => get(c.automations, AUTOMATION, id),
    deleteAutomation: (id, audit) => copyOut.remove(c.automations, { _id: id }, audit),
    listAutomationsByUser: (userId) => list(c.automations, AUTOMATION, { userId }),
    listAutomations: (filter, page) =>
      list(c.automations, AUTOMATION, filter.userId !== undefined ? { userId: filter.userId } : {}, page),
    putTrigger: (trigger, audit) => put(c.triggers, TRIGGER, trigger, audit),
    getTrigger: (id) => get(c.triggers, TRIGGER, id),
    deleteTrigger: (id, audit) => copyOut.remove(c.triggers, { _id: id }, audit),
    listTriggersByUser: (userId) => list(c.triggers, TRIGGER, { userId }),
    listTriggersByRepoId: (repoId) => list(c.triggers, TRIGGER, { repoId }),
    listTriggers: (filter, page) =>
      list(
        c.triggers,
        TRIGGER,
        {
          ...(filter.userId !== undefined ? { userId: filter.userId } : {}),
          ...(filter.automationId !== undefined ? { automationId: filter.automationId } : {}),
          ...(filter.repoIds !== undefined ? { repoId: { $in: [...filter.repoIds] } } : {}),
        },
        page,
      ),
  };
}

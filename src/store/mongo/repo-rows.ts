import type { IdentifiedDraft } from '../../domain/audit/index.js';
import type { RepoRow } from '../../domain/entities.js';
import { REPO_ROW } from '../codec.js';
import type { RepoStore } from '../ports/repo-rows.js';
import { allOf, docOf, oneOf, upsertOnce, type Collections, type Doc } from './collections.js';
import { MAX_PENDING_CHARS, withCarried, type CopyOut } from './copy-out.js';
import type { AppendIdentified } from './audit.js';

function repoRowDoc(row: RepoRow): Doc {
  // GitHub compares owner/name without case; the wire server used in CI ignores collations.
  return { ...docOf(REPO_ROW, row), fullNameLower: row.fullName.toLowerCase() };
}

// A base row keeps '' as its root directory so that the unique key stays unique (as in SQLite).
const rootKey = (root: string | null): string => root ?? '';
const keyOf = (key: { userId: string; repoId: number; rootDirectory: string | null }): Doc => ({
  userId: key.userId,
  repoId: key.repoId,
  rootDirectory: rootKey(key.rootDirectory),
});

export function mongoRepoRows(c: Collections, copyOut: CopyOut, appendIdentified: AppendIdentified): RepoStore {
  const byKey = { userId: 1, repoId: 1, rootDirectory: 1 } as const;
  return {
    async writeRepoRows(rows, audit) {
      const carried = copyOut.carry(audit);
      const last = rows.at(-1);
      // The last row carries the batch's audit drafts, unless there is no row or they are too
      // many to travel in one document: then they are written after the rows, without that
      // atomicity (docs/mongodb.md).
      const travels = last !== undefined && carried.entry !== null && carried.entry.length <= MAX_PENDING_CHARS;
      // One ordered bulk write, one command: the server applies it in order and stops at the
      // first error, so the last row (and the audit it carries) is written only after every row
      // before it. Upserts are idempotent: a retry after a lost race for a new key changes
      // nothing already written.
      const upserts = rows.map((row) => ({
        updateOne: {
          filter: keyOf(row),
          update: travels && row === last ? withCarried(repoRowDoc(row), carried.update) : { $set: repoRowDoc(row) },
          upsert: true,
        },
      }));
      if (upserts.length > 0) await upsertOnce(() => c.repos.bulkWrite(upserts, { ordered: true }));
      if (travels) await copyOut.flush(c.repos, keyOf(last));
      else if (carried.entry !== null) await appendIdentified(JSON.parse(carried.entry) as IdentifiedDraft[]);
    },
    async getRepoRow(key) {
      return oneOf(REPO_ROW, await c.repos.findOne(keyOf(key)));
    },
    async listRepoRows(userId, page) {
      const filter: Doc = { userId };
      if (page.installationId !== undefined) filter.installationId = page.installationId;
      if (page.after !== undefined) {
        const root = rootKey(page.after.rootDirectory);
        filter.$or = [
          { repoId: { $gt: page.after.repoId } },
          { repoId: page.after.repoId, rootDirectory: { $gt: root } },
        ];
      }
      return allOf(
        REPO_ROW,
        await c.repos.find(filter).sort({ repoId: 1, rootDirectory: 1 }).limit(page.limit).toArray(),
      );
    },
    async listRepoRowsOfRepos(userId, repoIds) {
      const found = await c.repos.find({ userId, repoId: { $in: [...repoIds] } }).sort({ repoId: 1, rootDirectory: 1 });
      return allOf(REPO_ROW, await found.toArray());
    },
    async listRepoRowInstallationIds(userId) {
      const ids = await c.repos.distinct('installationId', { userId });
      return ids
        .filter((id): id is number => typeof id === 'number')
        .map(Number)
        .sort((a, b) => a - b);
    },
    async countRepoRows(userId, installationId) {
      return c.repos.countDocuments({ userId, installationId });
    },
    async listRepoRowsByRepoId(repoId) {
      return allOf(REPO_ROW, await c.repos.find({ repoId }).sort({ userId: 1, rootDirectory: 1 }).toArray());
    },
    async listRepoRowsByFullName(fullName) {
      const found = await c.repos.find({ fullNameLower: fullName.toLowerCase() }).sort(byKey).toArray();
      return allOf(REPO_ROW, found);
    },
    async listRepoRowsByInstallation(installationId, page) {
      const filter: Doc = { installationId };
      if (page.after !== undefined) {
        const { userId, repoId } = page.after;
        const root = rootKey(page.after.rootDirectory);
        filter.$or = [
          { userId: { $gt: userId } },
          { userId, repoId: { $gt: repoId } },
          { userId, repoId, rootDirectory: { $gt: root } },
        ];
      }
      return allOf(REPO_ROW, await c.repos.find(filter).sort(byKey).limit(page.limit).toArray());
    },
    async deleteRepoRow(key) {
      // Audit still waiting on the row goes out first: it is the record of how the row came to be.
      await copyOut.flush(c.repos, keyOf(key));
      return (await c.repos.deleteOne(keyOf(key))).deletedCount > 0;
    },
    async deleteRepoRowsByRepoId(repoId) {
      for (const doc of await c.repos.find({ repoId, pendingUntil: { $type: 'string' } }).toArray())
        await copyOut.flush(c.repos, { _id: doc._id });
      return (await c.repos.deleteMany({ repoId })).deletedCount;
    },
    async countReposByCoverage() {
      const counts = { covered: 0, visible_only: 0, bound_to_gone: 0 };
      const groups = await c.repos
        .aggregate<{ _id: number | null; n: number }>([
          { $match: { rootDirectory: '' } },
          { $group: { _id: '$installationId', n: { $sum: 1 } } },
        ])
        .toArray();
      const ids = groups.map((g) => g._id).filter((id): id is number => id !== null);
      const live = new Set(
        (await c.installations.find({ _id: { $in: ids }, deletedAt: null }, { projection: { _id: 1 } }).toArray()).map(
          (doc) => Number(doc._id),
        ),
      );
      for (const group of groups) {
        const coverage = group._id === null ? 'visible_only' : live.has(group._id) ? 'covered' : 'bound_to_gone';
        counts[coverage] += group.n;
      }
      return counts;
    },
  };
}

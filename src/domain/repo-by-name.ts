import type { RepoRow } from './entities.js';

// A trigger may name its repo by owner/name alone; the id it routes by comes from the user's own
// repo rows. A name can stand for two repos in one user's rows (a repo renamed away and a new one
// created under the old name, before a sync caught up), so a name is taken only when it is one repo.

export type RepoByName =
  | { kind: 'found'; repoId: number; fullName: string }
  | { kind: 'unknown' }
  | { kind: 'ambiguous'; repoIds: number[] };

/** `rows` are repo rows with that name (any case); only the user's count. */
export function repoByName(rows: readonly RepoRow[], userId: string): RepoByName {
  const mine = rows.filter((row) => row.userId === userId);
  const repoIds = [...new Set(mine.map((row) => row.repoId))].sort((a, b) => a - b);
  const [first] = mine;
  if (first === undefined) return { kind: 'unknown' };
  if (repoIds.length > 1) return { kind: 'ambiguous', repoIds };
  return { kind: 'found', repoId: first.repoId, fullName: first.fullName };
}

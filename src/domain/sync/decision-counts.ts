import type { RowDecision } from '../decide-sync.js';

/** How many rows a sync decided each way: what the sync API answers and the run record keeps. */
export type DecisionCounts = Record<RowDecision, number>;

export const emptyCounts = (): DecisionCounts => ({
  created: 0,
  updated: 0,
  covered: 0,
  detached: 0,
  preserved: 0,
  unchanged: 0,
  propagated: 0,
});

export function addCounts(into: DecisionCounts, from: DecisionCounts): DecisionCounts {
  for (const key of Object.keys(into) as RowDecision[]) into[key] += from[key];
  return into;
}

/** The decisions that changed something, in words ("2 created, 1 detached"). */
export const describeCounts = (counts: DecisionCounts): string =>
  Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([decision, n]) => `${n} ${decision}`)
    .join(', ') || 'no row changed';

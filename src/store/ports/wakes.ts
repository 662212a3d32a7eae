// The wake outbox's extent, for the runner's cursor checks and for retention (docs/routing.md, "Wakes").

export interface WakeBounds {
  /** The oldest wake still kept; null when the outbox is empty. */
  oldestSeq: number | null;
  /** The newest wake's position; 0 when no wake was ever written. */
  headSeq: number;
}

export interface WakeOutboxStore {
  wakeBounds(): Promise<WakeBounds>;
  /**
   * Deletes the wakes created before `before`, oldest first, but never the newest one: its
   * position is the outbox head, and MongoDB numbers the next wake after the highest present,
   * so deleting it would hand its number out again. Returns how many were deleted.
   */
  pruneWakes(before: string): Promise<number>;
}

import { randomUUID } from 'node:crypto';
import type { PageProgress } from './sync-context.js';
import { addCounts, emptyCounts, type DecisionCounts } from '../domain/sync/decision-counts.js';
import type { SyncObserver, UserSyncResult } from './sync-user.js';

// Syncs that report progress while they run (issue: long syncs show progress). One sync per
// user at a time: asking again while one runs joins it. Kept in this process's memory; with
// several replicas, GET /api/syncs/:id is answered by the replica that runs it.

export interface SyncProgress {
  syncId: string;
  userId: string;
  state: 'running' | 'completed' | 'failed';
  startedAt: string;
  finishedAt: string | null;
  /** Pages read so far, over every run of the sync (one per installation, then OAuth). */
  pagesDone: number;
  /** Pages known so far, from GitHub's Link header of each run begun. */
  pagesTotal: number;
  reposSeen: number;
  /** Decisions of the runs that have finished. */
  decisions: DecisionCounts;
  result: UserSyncResult | null;
  error: string | null;
}

interface RunningSync {
  progress: SyncProgress;
  done: Promise<UserSyncResult>;
}

const KEPT_FINISHED = 200;

export type StartSync = (userId: string, oauthToken: string | null, observer: SyncObserver) => Promise<UserSyncResult>;

export function createSyncRuns(runSync: StartSync, now: () => Date) {
  const byId = new Map<string, RunningSync>();
  const runningByUser = new Map<string, RunningSync>();

  const start = (userId: string, oauthToken: string | null): { sync: RunningSync; joined: boolean } => {
    const running = runningByUser.get(userId);
    if (running !== undefined) return { sync: running, joined: true };
    const progress: SyncProgress = {
      syncId: randomUUID(),
      userId,
      state: 'running',
      startedAt: now().toISOString(),
      finishedAt: null,
      pagesDone: 0,
      pagesTotal: 0,
      reposSeen: 0,
      decisions: emptyCounts(),
      result: null,
      error: null,
    };
    const pages = new Map<string, PageProgress>();
    const onPage = (page: PageProgress) => {
      pages.set(page.run, page);
      const all = [...pages.values()];
      progress.pagesDone = all.reduce((sum, p) => sum + p.page, 0);
      progress.pagesTotal = all.reduce((sum, p) => sum + p.lastPage, 0);
      progress.reposSeen = all.reduce((sum, p) => sum + p.reposSeen, 0);
    };
    const done = runSync(userId, oauthToken, {
      syncId: progress.syncId,
      onPage,
      onRunFinished: (counts) => addCounts(progress.decisions, counts),
    });
    const sync = { progress, done };
    byId.set(progress.syncId, sync);
    runningByUser.set(userId, sync);
    done
      .then(
        (result) => {
          progress.state = 'completed';
          progress.result = result;
        },
        (error: unknown) => {
          progress.state = 'failed';
          progress.error = error instanceof Error ? error.message : String(error);
        },
      )
      .finally(() => {
        progress.finishedAt = now().toISOString();
        runningByUser.delete(userId);
        // Finished syncs stay readable for a while; the oldest go first.
        const finished = [...byId.values()].filter((s) => s.progress.state !== 'running');
        for (const old of finished.slice(0, Math.max(0, finished.length - KEPT_FINISHED)))
          byId.delete(old.progress.syncId);
      });
    return { sync, joined: false };
  };

  return {
    start,
    get: (syncId: string): SyncProgress | null => byId.get(syncId)?.progress ?? null,
    /** Running syncs first, then the most recently finished, without their (large) results. */
    list: (limit: number): Omit<SyncProgress, 'result'>[] =>
      [...byId.values()]
        .map((sync) => sync.progress)
        .sort(
          (a, b) =>
            Number(b.state === 'running') - Number(a.state === 'running') ||
            (b.finishedAt ?? b.startedAt).localeCompare(a.finishedAt ?? a.startedAt),
        )
        .slice(0, limit)
        .map(({ result: _result, ...summary }) => summary),
  };
}

export type SyncRuns = ReturnType<typeof createSyncRuns>;

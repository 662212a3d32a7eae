import type { SyncProgressJson } from '../http/api-shapes.js';

const BAR_WIDTH = 30;

/** `[#########---------------------]  3/10 pages  300 repos`: pure, so it can be tested. */
export function progressLine(progress: Pick<SyncProgressJson, 'pagesDone' | 'pagesTotal' | 'reposSeen'>): string {
  const total = Math.max(progress.pagesTotal, progress.pagesDone);
  const filled = total === 0 ? 0 : Math.round((progress.pagesDone / total) * BAR_WIDTH);
  const bar = `${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}`;
  return `[${bar}] ${String(progress.pagesDone).padStart(String(total).length)}/${total} pages  ${progress.reposSeen} repos`;
}

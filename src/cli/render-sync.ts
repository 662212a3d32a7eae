import type { RebindOutcomeJson, SyncProgressJson } from '../http/api-shapes.js';

const BAR_WIDTH = 30;

/** `[#########---------------------]  3/10 pages  300 repos`: pure, so it can be tested. */
export function progressLine(progress: Pick<SyncProgressJson, 'pagesDone' | 'pagesTotal' | 'reposSeen'>): string {
  const total = Math.max(progress.pagesTotal, progress.pagesDone);
  const filled = total === 0 ? 0 : Math.round((progress.pagesDone / total) * BAR_WIDTH);
  const bar = `${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}`;
  return `[${bar}] ${String(progress.pagesDone).padStart(String(total).length)}/${total} pages  ${progress.reposSeen} repos`;
}

const changed = (counts: Readonly<Record<string, number>>): string =>
  Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([decision, n]) => `${n} ${decision}`)
    .join(', ') || 'no row changed';

function rebindLine(rebind: RebindOutcomeJson): string | null {
  if (rebind.outcome !== 'skipped') return null;
  const held = rebind.installationIds.length === 0 ? 'none' : rebind.installationIds.join(', ');
  return `rebind skipped (${rebind.reason}): user ${rebind.userId}'s current installations: ${held}`;
}

/**
 * What a finished sync did, a line each: installations it could not sync (suspended, deleted,
 * failed) and why, rebinds it skipped and why, then the row decisions, repos and sub-project
 * rows apart (a monorepo's sub-project rows follow their repo and would double its counts).
 */
export function resultLines(progress: Pick<SyncProgressJson, 'state' | 'decisions' | 'result' | 'error'>): string[] {
  const { result } = progress;
  const failed = progress.error ? ` (${progress.error})` : '';
  if (result === null) return [`${progress.state}: ${changed(progress.decisions)}${failed}`];
  const lines: string[] = [];
  if (result.installationSync.reason !== null)
    lines.push(`installation-backed sync: ${result.installationSync.reason}`);
  for (const run of result.installationSync.runs)
    if (run.status !== 'completed')
      lines.push(`installation ${run.installationId} ${run.status}: ${run.message ?? 'no reason given'}`);
  if (result.oauthSync?.status === 'failed')
    lines.push(`OAuth sync failed: ${result.oauthSync.message ?? 'no reason given'}`);
  for (const rebind of result.rebind) {
    const line = rebindLine(rebind);
    if (line !== null) lines.push(line);
  }
  const repos = Object.fromEntries(
    Object.entries(result.counts).map(([decision, n]) => [
      decision,
      n - (result.subProjectCounts[decision as keyof typeof result.subProjectCounts] ?? 0),
    ]),
  );
  lines.push(
    `${progress.state}: repos ${changed(repos)}; sub-project rows ${changed(result.subProjectCounts)}${failed}`,
  );
  return lines;
}

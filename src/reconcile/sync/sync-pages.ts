import type { ListedRepo } from '../../domain/decide-sync.js';
import type { RepoPage } from '../../github/github-port.js';
import { inSpan } from '../../telemetry/tracing.js';
import type { Attributes } from '@opentelemetry/api';
import type { ReconcileContext } from '../sync-context.js';

/** What a run has read of GitHub's list so far. */
export interface Listing {
  pages: number;
  /** Only the ids are kept: what depends on the whole list (detaching) needs no more. */
  listedIds: Set<number>;
}

/**
 * Reads GitHub's pages one at a time and records each as it comes (one read and one write per
 * user and page), so memory does not grow with the number of repos. What depends on the whole
 * list (detaching rows GitHub no longer lists, rebinding) waits until every page was read: a
 * failure part-way keeps what was listed and takes nothing away.
 */
export async function syncPages(
  pages: AsyncIterable<RepoPage>,
  context: ReconcileContext,
  run: string,
  listing: Listing,
  record: (repos: ListedRepo[]) => Promise<void>,
): Promise<void> {
  for await (const page of pages) {
    // A repo that moves between pages while GitHub is paged is listed twice: decided against
    // what its first listing wrote, the second is unchanged or an update.
    for (const repo of page.repos) listing.listedIds.add(repo.repoId);
    await record(page.repos);
    listing.pages = page.page;
    context.onPage?.({
      run,
      page: page.page,
      lastPage: page.lastPage ?? page.page,
      reposSeen: listing.listedIds.size,
    });
  }
}

/** One sync run as a span that ends with its status and how many repos GitHub listed. */
export function inSyncSpan<R extends { status: string; reposListed: number }>(
  name: string,
  attributes: Attributes,
  run: () => Promise<R>,
): Promise<R> {
  return inSpan(name, { attributes }, async (span) => {
    const report = await run();
    span.setAttributes({ 'reconciler.sync.status': report.status, 'reconciler.sync.repos_listed': report.reposListed });
    return report;
  });
}

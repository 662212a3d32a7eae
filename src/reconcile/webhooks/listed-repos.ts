import type { EmitterWebhookEvent } from '@octokit/webhooks/types';
import type { ListedRepo } from '../../domain/decide-sync.js';
import { idOf, isTrue, textOf, type Claimed } from './claimed-payload.js';

// The repositories of a payload as listed repos: checked, typed, and all of a payload's repos
// that reaches the store.

type FullRepository = EmitterWebhookEvent<'repository'>['payload']['repository'];
type ShortRepository = NonNullable<
  EmitterWebhookEvent<'installation_repositories.added'>['payload']['repositories_added'][number]
>;

/** A full `repository` object (repository.* events) as a listed repo; null when it names none. */
export function listedRepoFrom(repository: Claimed<FullRepository>): ListedRepo | null {
  const repoId = idOf(repository?.id);
  const fullName = textOf(repository?.full_name);
  const name = textOf(repository?.name);
  if (repoId === null || fullName === null || name === null) return null;
  const visibility = textOf(repository?.visibility);
  return {
    repoId,
    fullName,
    owner: textOf(repository?.owner?.login) ?? fullName.split('/')[0] ?? '',
    name,
    defaultBranch: textOf(repository?.default_branch),
    visibility:
      visibility === 'public' || visibility === 'private' || visibility === 'internal'
        ? visibility
        : isTrue(repository?.private)
          ? 'private'
          : 'public',
    archived: isTrue(repository?.archived),
  };
}

/**
 * The short repository entries of installation events (id, name, full_name, private only) as
 * listed repos: what they do not carry (default branch, archived) is left for stored rows to keep.
 */
export function shortRepoFrom(entry: Claimed<ShortRepository>): ListedRepo | null {
  const repoId = idOf(entry?.id);
  const fullName = textOf(entry?.full_name);
  const name = textOf(entry?.name);
  if (repoId === null || fullName === null || name === null) return null;
  return {
    repoId,
    fullName,
    owner: fullName.split('/')[0] ?? '',
    name,
    defaultBranch: null,
    visibility: isTrue(entry?.private) ? 'private' : 'public',
    archived: false,
  };
}

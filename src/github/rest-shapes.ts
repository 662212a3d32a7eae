import type { HookDeliveryAttempt } from '../domain/decide-redelivery-sweep.js';
import type { ListedRepo } from '../domain/decide-sync.js';
import type { AccountType, Visibility } from '../domain/entities.js';

// The parts of GitHub's REST answers the reconciler reads, and how each becomes a domain value.

export interface RestRepository {
  id: number;
  name: string;
  full_name: string;
  owner: { login: string } | null;
  default_branch?: string;
  private: boolean;
  visibility?: string;
  archived?: boolean;
}

export interface RestAccount {
  id?: number;
  login?: string;
  slug?: string;
  type?: string;
}

export function toListedRepo(repo: RestRepository): ListedRepo {
  const visibility: Visibility =
    repo.visibility === 'public' || repo.visibility === 'private' || repo.visibility === 'internal'
      ? repo.visibility
      : repo.private
        ? 'private'
        : 'public';
  return {
    repoId: repo.id,
    fullName: repo.full_name,
    owner: repo.owner?.login ?? repo.full_name.split('/')[0] ?? '',
    name: repo.name,
    defaultBranch: repo.default_branch ?? null,
    visibility,
    archived: repo.archived ?? false,
  };
}

export interface RestHookDelivery {
  id: number | bigint;
  guid: string;
  delivered_at: string;
  redelivery: boolean;
  status_code: number;
  event: string;
  action: string | null;
  installation_id: number | bigint | null;
  repository_id: number | bigint | null;
}

const idOrNull = (id: number | bigint | null): number | null => (id === null ? null : Number(id));

export function toHookDeliveryAttempt(item: RestHookDelivery): HookDeliveryAttempt {
  return {
    id: Number(item.id),
    guid: item.guid,
    // Normalised, so that attempts and the window compare as ISO strings.
    deliveredAt: new Date(item.delivered_at).toISOString(),
    redelivery: item.redelivery,
    statusCode: item.status_code,
    event: item.event,
    action: item.action,
    installationId: idOrNull(item.installation_id),
    repositoryId: idOrNull(item.repository_id),
  };
}

export function accountType(account: RestAccount | null): AccountType | null {
  if (account === null) return null;
  if (account.slug !== undefined && account.login === undefined) return 'Enterprise';
  return account.type === 'User' || account.type === 'Organization' ? account.type : null;
}

import { asGitHubId } from '../domain/delivery.js';
import type { ListedRepo } from '../domain/decide-sync.js';
import type { AccountType } from '../domain/entities.js';

// Webhook payloads are untrusted JSON: these readers turn the parts we use into typed values,
// and nothing else of a payload ever reaches the store.

export type Json = Record<string, unknown>;

export const objectAt = (value: unknown, key: string): Json | null => {
  const inner = typeof value === 'object' && value !== null ? (value as Json)[key] : undefined;
  return typeof inner === 'object' && inner !== null && !Array.isArray(inner) ? (inner as Json) : null;
};
export const stringAt = (value: Json | null, key: string): string | null => {
  const inner = value?.[key];
  return typeof inner === 'string' && inner.length > 0 && inner.length <= 400 ? inner : null;
};
export const idAt = (value: Json | null, key: string): number | null => asGitHubId(value?.[key]);
export const arrayAt = (value: Json | null, key: string): Json[] => {
  const inner = value?.[key];
  return Array.isArray(inner)
    ? inner.filter((x): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x))
    : [];
};

export class PayloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PayloadError';
  }
}

export function parsePayload(raw: string): Json {
  const parsed: unknown = JSON.parse(raw);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new PayloadError('payload is not an object');
  return parsed as Json;
}

/** A full `repository` object (repository.* events) as a listed repo. */
export function listedRepoFrom(repository: Json | null): ListedRepo | null {
  const repoId = idAt(repository, 'id');
  const fullName = stringAt(repository, 'full_name');
  const name = stringAt(repository, 'name');
  if (repoId === null || fullName === null || name === null) return null;
  const visibility = stringAt(repository, 'visibility');
  return {
    repoId,
    fullName,
    owner: stringAt(objectAt(repository, 'owner'), 'login') ?? fullName.split('/')[0] ?? '',
    name,
    defaultBranch: stringAt(repository, 'default_branch'),
    visibility:
      visibility === 'public' || visibility === 'private' || visibility === 'internal'
        ? visibility
        : repository?.private === true
          ? 'private'
          : 'public',
    archived: repository?.archived === true,
  };
}

/**
 * The short repository entries of installation events (id, name, full_name, private only) as
 * listed repos: what they do not carry (default branch, archived) is left for stored rows to keep.
 */
export function shortRepoFrom(entry: Json): ListedRepo | null {
  const repoId = idAt(entry, 'id');
  const fullName = stringAt(entry, 'full_name');
  const name = stringAt(entry, 'name');
  if (repoId === null || fullName === null || name === null) return null;
  return {
    repoId,
    fullName,
    owner: fullName.split('/')[0] ?? '',
    name,
    defaultBranch: null,
    visibility: entry.private === true ? 'private' : 'public',
    archived: false,
  };
}

/** An installation's account: a User or Organization has a login, an Enterprise a slug. */
export function accountFrom(installation: Json | null): {
  id: number | null;
  login: string | null;
  type: AccountType | null;
} {
  const account = objectAt(installation, 'account');
  const slug = stringAt(account, 'slug');
  const login = stringAt(account, 'login');
  const type = stringAt(account, 'type');
  return {
    id: idAt(account, 'id'),
    login: login ?? slug,
    type: login === null && slug !== null ? 'Enterprise' : type === 'User' || type === 'Organization' ? type : null,
  };
}

import type { Installation } from './entities.js';

// Installation metadata refresh (R6; repo-sync-and-rebinding.md, "Metadata refresh"): fill what
// a stored installation lacks from what GitHub says, and leave what it has alone.

export const REFRESHED_FIELDS = ['accountLogin', 'accountType', 'targetType', 'permissions'] as const;
export type RefreshedField = (typeof REFRESHED_FIELDS)[number];

export function missingMetadata(installation: Installation): RefreshedField[] {
  return REFRESHED_FIELDS.filter((field) => installation[field] === null);
}

export interface MetadataFill {
  filled: RefreshedField[];
  after: Installation;
}

export function decideMetadataFill(
  stored: Installation,
  fromGitHub: Pick<Installation, RefreshedField | 'accountId'>,
  now: string,
): MetadataFill {
  const filled = missingMetadata(stored).filter((field) => fromGitHub[field] !== null);
  if (filled.length === 0) return { filled, after: stored };
  const after: Installation = { ...stored, updatedAt: now };
  for (const field of filled) Object.assign(after, { [field]: fromGitHub[field] });
  if (after.accountId === null) after.accountId = fromGitHub.accountId;
  return { filled, after };
}

// Users, their installations (R6) and their Projects view (R5).

export type Coverage = 'covered' | 'visible_only' | 'bound_to_gone';
export type InstallationState = 'active' | 'suspended' | 'deleted';

/** `PUT /api/users/:userId`. */
export interface UserRequest {
  githubUserId: number;
  githubLogin: string;
}

export interface UserJson {
  id: string;
  githubUserId: number;
  githubLogin: string;
  createdAt: string;
  updatedAt: string;
}

/** `PUT` and `GET /api/users/:userId`. */
export interface UserAnswer {
  user: UserJson;
}

/** `PUT /api/users/:userId/installations/:installationId`. */
export interface LinkAnswer {
  userId: string;
  installationId: number;
  linked: true;
}

export type MetadataField = 'accountLogin' | 'accountType' | 'targetType' | 'permissions';

export interface InstallationJson {
  id: number;
  accountLogin: string | null;
  accountType: string | null;
  targetType: string | null;
  permissions: Record<string, string> | null;
  state: InstallationState;
  repositorySelection: 'all' | 'selected' | null;
  suspendedAt: string | null;
  deletedAt: string | null;
  /** What the view's metadata refresh (R6) did for this installation. */
  refresh: {
    status: 'complete' | 'refreshed' | 'unavailable' | 'failed';
    filled: MetadataField[];
    missing: MetadataField[];
    message: string | null;
  };
}

/** `GET /api/users/:userId/installations`. */
export interface InstallationsAnswer {
  installations: InstallationJson[];
}

/** `PUT /api/users/:userId/projects`: a sub-project row under an existing base row. */
export interface SubProjectRequest {
  repoId: number;
  rootDirectory: string;
}

export interface ProjectRowJson {
  repoId: number;
  fullName: string;
  owner: string;
  name: string;
  defaultBranch: string | null;
  /** null for base rows. */
  rootDirectory: string | null;
  installationId: number | null;
  coverage: Coverage;
  installationState: InstallationState | 'unknown' | null;
  visibility: 'public' | 'private' | 'internal' | null;
  archived: boolean;
  discoveredBy: 'oauth' | 'installation' | 'webhook';
  lastSeenAt: string;
}

/** `GET /api/users/:userId/projects[?include=all]` (R5). */
export interface ProjectsAnswer {
  rows: ProjectRowJson[];
  installationSyncActive: boolean;
  nextCursor: string | null;
  /** OAuth-only rows left out of the active list (reachable with include=all). */
  hiddenVisibleOnly: number;
}

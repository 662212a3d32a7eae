import { decideMetadataFill, missingMetadata, type RefreshedField } from '../domain/decide-metadata.js';
import { installationState, type Installation } from '../domain/entities.js';
import { GitHubError, type GitHubPort } from '../github/github-port.js';
import type { Store } from '../store/store.js';
import { auditFor } from '../domain/audit-for.js';
import type { ReconcileContext } from './sync-context.js';

export interface RefreshedInstallation {
  installation: Installation;
  refresh: {
    status: 'complete' | 'refreshed' | 'unavailable' | 'failed';
    filled: RefreshedField[];
    missing: RefreshedField[];
    message: string | null;
  };
}

/** Fills each installation's missing metadata from GitHub (App JWT) and persists it (R6). */
export async function refreshInstallations(
  deps: { store: Store; github: GitHubPort; appCredentials: boolean },
  context: ReconcileContext,
  installations: Installation[],
): Promise<RefreshedInstallation[]> {
  const results: RefreshedInstallation[] = [];
  for (const installation of installations) {
    const missing = missingMetadata(installation);
    if (missing.length === 0) {
      results.push({ installation, refresh: { status: 'complete', filled: [], missing, message: null } });
      continue;
    }
    if (!deps.appCredentials || installationState(installation) === 'deleted') {
      const message = deps.appCredentials
        ? 'the installation was deleted'
        : 'no GitHub App credentials to ask GitHub with';
      results.push({ installation, refresh: { status: 'unavailable', filled: [], missing, message } });
      continue;
    }
    try {
      const facts = await deps.github.getInstallation(installation.id);
      const now = context.now().toISOString();
      const fill = decideMetadataFill(installation, facts, now);
      if (fill.filled.length > 0) {
        await deps.store.upsertInstallation(fill.after);
        await deps.store.appendAudit([
          auditFor(context, {
            kind: 'installation.metadata_refreshed',
            subject: { installationId: installation.id },
            decision: 'filled',
            before: Object.fromEntries(fill.filled.map((field) => [field, null])),
            after: Object.fromEntries(fill.filled.map((field) => [field, fill.after[field]])),
          }),
        ]);
      }
      results.push({
        installation: fill.after,
        refresh: { status: 'refreshed', filled: fill.filled, missing: missingMetadata(fill.after), message: null },
      });
    } catch (error) {
      if (!(error instanceof GitHubError)) throw error;
      results.push({ installation, refresh: { status: 'failed', filled: [], missing, message: error.message } });
    }
  }
  return results;
}

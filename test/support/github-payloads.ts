import { randomUUID } from 'node:crypto';
import type { Delivery } from '../../src/domain/delivery.js';
import type { RepoRow } from '../../src/domain/entities.js';
import type { FakeRepo } from './fake-github.js';
import { eventually, TEST_SECRET, type TestService } from './test-service.js';
import { examplePayload, postDelivery, signedDelivery } from './webhook-samples.js';

// Real example payloads from @octokit/webhooks-examples with this world's ids, and a helper
// that sends one signed and waits for the worker to finish it.

/** A real example with its repository and installation replaced by this world's. */
function withRepository(
  example: Record<string, unknown>,
  repo: FakeRepo,
  installationId: number | null,
): Record<string, unknown> {
  const repository = example.repository as Record<string, unknown>;
  const owner = repository.owner as Record<string, unknown>;
  const { installation: _dropped, ...rest } = example;
  return {
    ...rest,
    repository: {
      ...repository,
      id: repo.id,
      name: repo.name,
      full_name: `${repo.owner}/${repo.name}`,
      owner: { ...owner, login: repo.owner },
      default_branch: repo.defaultBranch ?? 'main',
      archived: repo.archived ?? false,
      private: true,
      visibility: 'private',
    },
    ...(installationId === null
      ? {}
      : { installation: { id: installationId, node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==' } }),
  };
}

export function repositoryPayload(action: string, repo: FakeRepo, installationId: number): Record<string, unknown> {
  // repository.deleted and .archived have no example: the renamed one is the closest real shape.
  const example = examplePayload(
    'repository',
    ['renamed', 'transferred', 'edited', 'created'].includes(action) ? action : 'renamed',
  );
  return { ...withRepository(example, repo, installationId), action };
}

/** The real repository.transferred example: `repo` (under its new owner) came from organization `from`. */
export function transferredPayload(repo: FakeRepo, installationId: number, from: string): Record<string, unknown> {
  const payload = repositoryPayload('transferred', repo, installationId);
  const changes = payload.changes as { owner: { from: { user: Record<string, unknown> } } };
  const { user } = changes.owner.from;
  return {
    ...payload,
    changes: { owner: { from: { organization: { ...user, login: from, type: 'Organization' } } } },
  };
}

/** A real push (the example with a commit) to `repo`, whose one commit changes `paths`. */
export function pushPayload(repo: FakeRepo, installationId: number | null, paths: string[]): Record<string, unknown> {
  const example = examplePayload('push', undefined, (e) => Array.isArray(e.commits) && e.commits.length > 0);
  const [commit] = example.commits as Record<string, unknown>[];
  return {
    ...withRepository(example, repo, installationId),
    commits: [{ ...commit, added: [], removed: [], modified: paths }],
  };
}

export function pullRequestPayload(action: string, repo: FakeRepo, installationId: number): Record<string, unknown> {
  return { ...withRepository(examplePayload('pull_request', action), repo, installationId), action };
}

export function installationPayload(
  action: string,
  installationId: number,
  repos: FakeRepo[] = [],
  owner: { login: string; id: number } = { login: 'octo-org', id: 5 },
): Record<string, unknown> {
  const example = examplePayload('installation', action);
  const installation = example.installation as Record<string, unknown>;
  const account = installation.account as Record<string, unknown>;
  return {
    ...example,
    installation: {
      ...installation,
      id: installationId,
      account: { ...account, login: owner.login, id: owner.id, type: 'Organization' },
    },
    ...(action === 'created'
      ? {
          repositories: repos.map((r) => ({
            id: r.id,
            node_id: `R_${r.id}`,
            name: r.name,
            full_name: `${r.owner}/${r.name}`,
            private: true,
          })),
        }
      : {}),
  };
}

export function scopePayload(
  action: 'added' | 'removed',
  installationId: number,
  repos: FakeRepo[],
): Record<string, unknown> {
  const example = examplePayload('installation_repositories', action);
  const entries = repos.map((r) => ({
    id: r.id,
    node_id: `R_${r.id}`,
    name: r.name,
    full_name: `${r.owner}/${r.name}`,
    private: true,
  }));
  return {
    ...example,
    installation: { ...(example.installation as Record<string, unknown>), id: installationId },
    repositories_added: action === 'added' ? entries : [],
    repositories_removed: action === 'removed' ? entries : [],
  };
}

/** Sends a signed delivery and waits until the worker has applied, ignored or failed it. */
export async function deliver(
  service: TestService,
  event: string,
  payload: Record<string, unknown>,
): Promise<Delivery> {
  const id = `e2e-${randomUUID()}`;
  const response = await postDelivery(service.url, await signedDelivery(TEST_SECRET, event, id, payload));
  if (response.status !== 202) throw new Error(`${event} answered ${response.status}`);
  return eventually(async () => {
    const delivery = await service.store.getDelivery(id);
    return delivery && ['applied', 'ignored', 'failed'].includes(delivery.state) ? delivery : null;
  }, 15_000);
}

/** Rows as `full/name[:root]@installation` strings, for assertions that read like the model. */
export const rowsView = (rows: RepoRow[]): string[] =>
  rows.map((r) => `${r.fullName}${r.rootDirectory ? `:${r.rootDirectory}` : ''}@${r.installationId ?? '-'}`);

export const OCTO_API: FakeRepo = { id: 7, owner: 'octo-org', name: 'api' };

/**
 * User u1 linked to installation 22 (account octo-org), which covers `repos` (octo-org/api by
 * default): built through the public API and the installation.created webhook, no App credentials.
 */
export async function coveredRepoWorld(service: TestService, repos: FakeRepo[] = [OCTO_API]): Promise<void> {
  const answered = async (response: Promise<Response>) => {
    const done = await response;
    if (done.status >= 300) throw new Error(`${done.status}: ${await done.text()}`);
  };
  await answered(
    service.api('/api/users/u1', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ githubUserId: 1, githubLogin: 'u1' }),
    }),
  );
  await answered(service.api('/api/users/u1/installations/22', { method: 'PUT' }));
  await deliver(service, 'installation', installationPayload('created', 22, repos));
}

/** A trigger t1 of u1 on octo-org/api listening to push, bound to `installationId`. */
export async function pushTrigger(service: TestService, installationId: number): Promise<void> {
  const response = await service.api('/api/triggers/t1', {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId: 'u1', installationId, repoId: OCTO_API.id, events: ['push'] }),
  });
  if (response.status >= 300) throw new Error(`${response.status}: ${await response.text()}`);
}

/**
 * `installation_target.renamed` for an organization account. @octokit/webhooks-examples has no
 * example of it: this is the documented shape.
 */
export function accountRenamedPayload(installationId: number, from: string, to: string): Record<string, unknown> {
  return {
    action: 'renamed',
    account: { id: 5, login: to, type: 'Organization', node_id: 'O_5' },
    changes: { login: { from } },
    installation: { id: installationId, node_id: `I_${installationId}` },
    target_type: 'Organization',
    sender: { id: 1, login: 'octocat', type: 'User' },
  };
}

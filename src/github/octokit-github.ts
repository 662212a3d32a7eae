import { createAppAuth } from '@octokit/auth-app';
import { Octokit } from '@octokit/rest';
import type { HookDeliveryAttempt } from '../domain/decide-redelivery-sweep.js';
import type { ListedRepo } from '../domain/decide-sync.js';
import type { AccountType, Visibility } from '../domain/entities.js';
import type { Logger } from '../telemetry/logger.js';
import {
  GitHubError,
  type GitHubPort,
  type InstallationFacts,
  type RateLimitQuota,
  type RepoPage,
} from './github-port.js';

export interface OctokitGitHubOptions {
  /** Without App credentials only the user-token calls work; App calls fail as unauthorized. */
  app: { appId: number; privateKey: string } | null;
  /** GITHUB_API_URL: api.github.com, a GitHub Enterprise Server, or a test fake. */
  baseUrl: string;
  fetch?: typeof fetch;
  /** A request GitHub has not answered by then is abandoned as a retryable failure (default 30 s). */
  requestTimeoutMs?: number;
  /** Octokit's own messages (request log, deprecations) go here instead of the console. */
  logger: Logger;
  /** Called for every request GitHub answered (status) or did not (status 0), e.g. for metrics. */
  onRequest?: (request: { operation: string; status: number }) => void;
}

// Paths as GitHub documents them, so that a metric label names an operation, never an id. The
// base URL may carry a prefix (GitHub Enterprise Server serves the API under /api/v3).
const OPERATIONS: readonly [RegExp, string][] = [
  [/\/app\/installations\/\d+$/, '/app/installations/{installation_id}'],
  [/\/app\/installations\/\d+\/access_tokens$/, '/app/installations/{installation_id}/access_tokens'],
  [/\/installation\/repositories$/, '/installation/repositories'],
  [/\/user\/repos$/, '/user/repos'],
  [/\/app\/hook\/deliveries$/, '/app/hook/deliveries'],
  [/\/app\/hook\/deliveries\/\d+\/attempts$/, '/app/hook/deliveries/{delivery_id}/attempts'],
];

export function operationOf(method: string, url: string): string {
  const path = new URL(url).pathname;
  const known = OPERATIONS.find(([pattern]) => pattern.test(path));
  return known === undefined ? 'other' : `${method.toUpperCase()} ${known[1]}`;
}

interface RestRepository {
  id: number;
  name: string;
  full_name: string;
  owner: { login: string } | null;
  default_branch?: string;
  private: boolean;
  visibility?: string;
  archived?: boolean;
}

interface RestAccount {
  id?: number;
  login?: string;
  slug?: string;
  type?: string;
}

function toListedRepo(repo: RestRepository): ListedRepo {
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

interface RestHookDelivery {
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

function toHookDeliveryAttempt(item: RestHookDelivery): HookDeliveryAttempt {
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

function accountType(account: RestAccount | null): AccountType | null {
  if (account === null) return null;
  if (account.slug !== undefined && account.login === undefined) return 'Enterprise';
  return account.type === 'User' || account.type === 'Organization' ? account.type : null;
}

/** The URL of the next page from a Link header (`<...>; rel="next"`), if there is one. */
export function nextPageFromLink(link: string | undefined): string | null {
  const match = link === undefined ? null : /<([^>]+)>;\s*rel="next"/.exec(link);
  return match?.[1] ?? null;
}

/** The last page number from a Link header (`<...&page=25>; rel="last"`), if GitHub sent one. */
export function lastPageFromLink(link: string | undefined): number | null {
  const match = link === undefined ? null : /<[^>]*[?&]page=(\d+)[^>]*>;\s*rel="last"/.exec(link);
  return match?.[1] === undefined ? null : Number(match[1]);
}

/** The hourly quota a response reports, when it reports one. */
export function quotaOf(headers: Record<string, string | number | undefined>): RateLimitQuota | null {
  const remaining = Number(headers['x-ratelimit-remaining']);
  const reset = Number(headers['x-ratelimit-reset']);
  if (headers['x-ratelimit-remaining'] === undefined || !Number.isFinite(remaining) || !Number.isFinite(reset))
    return null;
  return { remaining, resetAtMs: reset * 1000 };
}

interface OctokitFailure {
  status?: number;
  message?: string;
  request?: { url?: string };
  response?: { headers?: Record<string, string | number | undefined> };
}

/**
 * GitHub's failures, typed. Rate limits come as 403 or 429 with `x-ratelimit-remaining: 0` or
 * `retry-after` (GITHUB-FACTS.md, API); they, 5xx and network failures are retryable, other 4xx
 * are not.
 */
export function classifyGitHubFailure(error: unknown, subject: { installationId?: number }): GitHubError {
  if (error instanceof GitHubError) return error;
  const failure = error as OctokitFailure;
  const status = typeof failure.status === 'number' ? failure.status : null;
  const headers = failure.response?.headers ?? {};
  const message = failure.message ?? String(error);
  const retryAfter = Number(headers['retry-after']);
  const remaining = headers['x-ratelimit-remaining'];
  const reset = Number(headers['x-ratelimit-reset']);
  // A secondary limit may come without either header; its message still says what it is.
  const rateLimitMessage = /rate limit/i.test(message);
  if (
    (status === 403 || status === 429) &&
    (Number.isFinite(retryAfter) || String(remaining) === '0' || rateLimitMessage)
  ) {
    const retryAfterMs = Number.isFinite(retryAfter)
      ? retryAfter * 1000
      : Number.isFinite(reset)
        ? Math.max(0, reset * 1000 - Date.now())
        : null;
    return new GitHubError('rate_limited', `GitHub rate limit: ${message}`, status, true, retryAfterMs);
  }
  const where = subject.installationId !== undefined ? `installation ${subject.installationId}` : 'GitHub';
  if (status === 401) return new GitHubError('unauthorized', `${where}: credentials refused (401)`, status, false);
  // Only the token request says suspended with a 403: a 403 on a later page is something else.
  if (status === 403 && subject.installationId !== undefined && /\/access_tokens$/.test(failure.request?.url ?? '')) {
    return new GitHubError('installation_suspended', `${where} refuses tokens (403): it is suspended`, status, false);
  }
  if (status === 403) return new GitHubError('forbidden', `${where}: forbidden (403): ${message}`, status, false);
  if (status === 404 && subject.installationId !== undefined) {
    return new GitHubError('installation_not_found', `${where} does not exist (404): it was deleted`, status, false);
  }
  if (status === 404) return new GitHubError('not_found', `${where}: not found (404)`, status, false);
  // 408 (timeout) and a 429 without rate-limit headers (a proxy, an Enterprise Server) may pass.
  if (status !== null && status >= 400 && status < 500 && status !== 408 && status !== 429) {
    return new GitHubError('rejected', `${where} refused the request (${status}): ${message}`, status, false);
  }
  return new GitHubError('unavailable', `${where} unavailable: ${message}`, status, true);
}

export function createOctokitGitHub(options: OctokitGitHubOptions): GitHubPort {
  const log = options.logger.child({ component: 'github' });
  const baseFetch = options.fetch ?? fetch;
  const timeoutMs = options.requestTimeoutMs ?? 30_000;
  // Octokit sets no timeout of its own: without one, a GitHub that never answers stalls a sync for good.
  const fetchWithTimeout: typeof fetch = async (input, init) => {
    const timeout = AbortSignal.timeout(timeoutMs);
    const operation = operationOf(
      init?.method ?? (input instanceof Request ? input.method : 'GET'),
      input instanceof Request ? input.url : String(input),
    );
    try {
      const response = await baseFetch(input, {
        ...init,
        signal: init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout,
      });
      options.onRequest?.({ operation, status: response.status });
      return response;
    } catch (error) {
      options.onRequest?.({ operation, status: 0 });
      throw error;
    }
  };
  const common = {
    baseUrl: options.baseUrl,
    log: {
      debug: (message: string) => log.debug(message),
      info: (message: string) => log.debug(message),
      warn: (message: string) => log.warn(message),
      error: (message: string) => log.warn(message),
    },
    userAgent: 'reconciler',
    // Retries are the caller's decision (it knows whether to back off or fail the sync).
    request: { retries: 0, fetch: fetchWithTimeout },
  };
  const appCredentials = options.app;
  const missingCredentials = (): GitHubError =>
    new GitHubError(
      'unauthorized',
      'no GitHub App credentials are configured (GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY)',
      null,
      false,
    );
  const app =
    appCredentials === null ? null : new Octokit({ ...common, authStrategy: createAppAuth, auth: appCredentials });
  // auth-app caches each installation token for 59 minutes of its 60 (installation tokens live one hour).
  const installationClients = new Map<number, Octokit>();
  const forInstallation = (installationId: number): Octokit => {
    if (appCredentials === null) throw missingCredentials();
    let client = installationClients.get(installationId);
    if (client === undefined) {
      client = new Octokit({ ...common, authStrategy: createAppAuth, auth: { ...appCredentials, installationId } });
      installationClients.set(installationId, client);
    }
    return client;
  };

  // Octokit parses every answer with json-with-bigint, which costs several times JSON.parse: on
  // a 10k-repo sync it was about half the CPU (bench/sync-scale.ts). Repo lists hold no integer
  // beyond 2^53, so their pages are read raw and parsed with JSON.parse. The next page is asked
  // for before this one is handed on, so GitHub's answer time overlaps the recording of a page.
  async function* pages(
    clientFor: () => Octokit,
    route: string,
    reposOf: (body: unknown) => RestRepository[],
    subject: { installationId?: number },
  ): AsyncIterable<RepoPage> {
    let page = 0;
    let lastPage: number | null = null;
    let ahead: Promise<{ body: unknown; headers: Record<string, string | number | undefined> }> | null = null;
    try {
      const client = clientFor();
      const fetchPage = async (url: string) => {
        const response = await client.request({ method: 'GET', url, request: { parseSuccessResponseBody: false } });
        const body = JSON.parse(await new Response(response.data as ReadableStream).text()) as unknown;
        return { body, headers: response.headers };
      };
      ahead = fetchPage(`${route}?per_page=100`);
      while (ahead !== null) {
        const { body, headers } = await ahead;
        page += 1;
        const link = headers.link as string | undefined;
        // The last page carries no rel="last": keep what the earlier pages said.
        lastPage = lastPageFromLink(link) ?? lastPage;
        const next = nextPageFromLink(link);
        ahead = next === null ? null : fetchPage(next);
        // Settled here too: a consumer that stops early never awaits it.
        ahead?.catch(() => undefined);
        yield {
          repos: reposOf(body).map(toListedRepo),
          page,
          lastPage: lastPage ?? page,
          quota: quotaOf(headers),
        };
      }
    } catch (error) {
      throw classifyGitHubFailure(error, subject);
    }
  }

  return {
    async getInstallation(installationId) {
      if (app === null) throw missingCredentials();
      try {
        const { data } = await app.rest.apps.getInstallation({ installation_id: installationId });
        const account = (data.account ?? null) as RestAccount | null;
        const facts: InstallationFacts = {
          id: data.id,
          accountId: account?.id ?? null,
          accountLogin: account?.login ?? account?.slug ?? null,
          accountType: accountType(account),
          targetType: data.target_type,
          permissions: data.permissions as Record<string, string>,
          repositorySelection: data.repository_selection,
          events: data.events,
          suspendedAt: data.suspended_at,
          suspendedBy: data.suspended_by?.login ?? null,
        };
        return facts;
      } catch (error) {
        throw classifyGitHubFailure(error, { installationId });
      }
    },
    listInstallationRepos(installationId) {
      return pages(
        () => forInstallation(installationId),
        '/installation/repositories',
        (body) => (body as { repositories: RestRepository[] }).repositories,
        { installationId },
      );
    },
    listUserRepos(oauthToken) {
      return pages(
        () => new Octokit({ ...common, auth: oauthToken }),
        '/user/repos',
        (body) => body as RestRepository[],
        {},
      );
    },
    async *listHookDeliveries(since) {
      if (app === null) throw missingCredentials();
      const cutoff = since.toISOString();
      try {
        // Cursor pagination: the Link header's rel="next" carries the cursor, which paginate follows.
        for await (const response of app.paginate.iterator(app.rest.apps.listWebhookDeliveries, { per_page: 100 })) {
          const attempts = (response.data as RestHookDelivery[]).map(toHookDeliveryAttempt);
          const inside = attempts.filter((attempt) => attempt.deliveredAt >= cutoff);
          if (inside.length > 0) yield inside;
          // Newest first: once a page reaches past the cutoff, every later page is older still.
          if (inside.length < attempts.length) return;
        }
      } catch (error) {
        throw classifyGitHubFailure(error, {});
      }
    },
    async redeliverHookDelivery(deliveryId) {
      if (app === null) throw missingCredentials();
      try {
        await app.rest.apps.redeliverWebhookDelivery({ delivery_id: deliveryId });
      } catch (error) {
        throw classifyGitHubFailure(error, {});
      }
    },
  };
}

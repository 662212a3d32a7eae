import { createAppAuth } from '@octokit/auth-app';
import { Octokit } from '@octokit/rest';
import type { Logger } from '../telemetry/logger.js';
import { classifyGitHubFailure } from './classify-failure.js';
import { GitHubError, type GitHubPort, type InstallationFacts, type RepoPage } from './github-port.js';
import { lastPageFromLink, nextPageFromLink, quotaOf } from './response-headers.js';
import {
  accountType,
  toHookDeliveryAttempt,
  toListedRepo,
  type RestAccount,
  type RestHookDelivery,
  type RestRepository,
} from './rest-shapes.js';

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

function operationOf(method: string, url: string): string {
  const path = new URL(url).pathname;
  const known = OPERATIONS.find(([pattern]) => pattern.test(path));
  return known === undefined ? 'other' : `${method.toUpperCase()} ${known[1]}`;
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

import { generateKeyPairSync, randomBytes, verify as verifySignature } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ExecutionContext } from 'ava';
import type { components } from '@octokit/openapi-types';
import { sign } from '@octokit/webhooks-methods';

// A fake GitHub over real HTTP, for tests: responses follow GitHub's REST schemas (typed with
// @octokit/openapi-types), lists paginate with Link headers, the App JWT is verified with the
// App's public key, and every installation call checks that installation's token.
// Tests in one file that mint tokens for the same installation id must run serially:
// @octokit/auth-app shares in-flight token requests process-wide, keyed by installation id.

type Repository = components['schemas']['repository'];
type Installation = components['schemas']['installation'];
type SimpleUser = components['schemas']['simple-user'];
type HookDeliveryItem = components['schemas']['hook-delivery-item'];

export interface FakeRepo {
  id: number;
  owner: string;
  name: string;
  private?: boolean;
  defaultBranch?: string;
  archived?: boolean;
}

export interface FakeInstallation {
  id: number;
  account: { id: number; login: string; type: 'User' | 'Organization' } | { id: number; slug: string; name: string };
  repos: FakeRepo[];
  repositorySelection?: 'all' | 'selected';
  suspended?: boolean;
  deleted?: boolean;
}

export interface FakeFailure {
  /** Matched against the request path (without query), e.g. /installation/repositories. */
  path: RegExp;
  /** Fails only on this page of a paginated list, when given. */
  page?: number;
  status: number;
  headers?: Record<string, string>;
  times?: number;
  /** Answers only after this long (a slow or hanging GitHub). */
  delayMs?: number;
  /** The error message GitHub gives (default "fake failure <status>"). */
  message?: string;
}

/** A webhook delivery the fake GitHub made (or failed to make), as a test describes it. */
export interface FakeHookDelivery {
  guid: string;
  event: string;
  action?: string | null;
  /** The raw body GitHub sends, again on every redelivery. */
  payload: Record<string, unknown> | string;
  installationId?: number | null;
  repositoryId?: number | null;
  /** Default: now. */
  deliveredAt?: string;
  /** What the endpoint answered (0: no answer); only for recordHookDelivery, which sends nothing. */
  statusCode?: number;
}

/** One line of the fake's delivery log, as `GET /app/hook/deliveries` lists it. */
export interface FakeHookDeliveryEntry {
  item: HookDeliveryItem;
  body: string;
}

/** GitHub's rate limits (GITHUB-FACTS.md, API), as the fake answers them for `times` requests. */
export type FakeRateLimit = Pick<FakeFailure, 'path' | 'page' | 'times'> &
  (
    | /** Primary: the hourly quota is used up until the reset time (epoch seconds). */
      { kind: 'primary'; resetInSeconds: number }
      /** Secondary: too many requests too fast; come back after Retry-After seconds. */
    | { kind: 'secondary'; retryAfterSeconds: number; status?: 403 | 429 }
  );

const API_URL = 'https://api.github.com';

function simpleUser(login: string, id: number, type: string): SimpleUser {
  const url = `${API_URL}/users/${login}`;
  return {
    login,
    id,
    node_id: `U_${id}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    gravatar_id: '',
    url,
    html_url: `https://github.com/${login}`,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type,
    site_admin: false,
  };
}

export function restRepository(repo: FakeRepo): Repository {
  const fullName = `${repo.owner}/${repo.name}`;
  const url = `${API_URL}/repos/${fullName}`;
  const isPrivate = repo.private ?? true;
  return {
    id: repo.id,
    node_id: `R_${repo.id}`,
    name: repo.name,
    full_name: fullName,
    license: null,
    forks: 0,
    owner: simpleUser(repo.owner, 1000 + (repo.id % 1000), 'Organization'),
    private: isPrivate,
    visibility: isPrivate ? 'private' : 'public',
    html_url: `https://github.com/${fullName}`,
    description: null,
    fork: false,
    url,
    archive_url: `${url}/{archive_format}{/ref}`,
    assignees_url: `${url}/assignees{/user}`,
    blobs_url: `${url}/git/blobs{/sha}`,
    branches_url: `${url}/branches{/branch}`,
    collaborators_url: `${url}/collaborators{/collaborator}`,
    comments_url: `${url}/comments{/number}`,
    commits_url: `${url}/commits{/sha}`,
    compare_url: `${url}/compare/{base}...{head}`,
    contents_url: `${url}/contents/{+path}`,
    contributors_url: `${url}/contributors`,
    deployments_url: `${url}/deployments`,
    downloads_url: `${url}/downloads`,
    events_url: `${url}/events`,
    forks_url: `${url}/forks`,
    git_commits_url: `${url}/git/commits{/sha}`,
    git_refs_url: `${url}/git/refs{/sha}`,
    git_tags_url: `${url}/git/tags{/sha}`,
    git_url: `git://github.com/${fullName}.git`,
    issue_comment_url: `${url}/issues/comments{/number}`,
    issue_events_url: `${url}/issues/events{/number}`,
    issues_url: `${url}/issues{/number}`,
    keys_url: `${url}/keys{/key_id}`,
    labels_url: `${url}/labels{/name}`,
    languages_url: `${url}/languages`,
    merges_url: `${url}/merges`,
    milestones_url: `${url}/milestones{/number}`,
    notifications_url: `${url}/notifications{?since,all,participating}`,
    pulls_url: `${url}/pulls{/number}`,
    releases_url: `${url}/releases{/id}`,
    ssh_url: `git@github.com:${fullName}.git`,
    stargazers_url: `${url}/stargazers`,
    statuses_url: `${url}/statuses/{sha}`,
    subscribers_url: `${url}/subscribers`,
    subscription_url: `${url}/subscription`,
    tags_url: `${url}/tags`,
    teams_url: `${url}/teams`,
    trees_url: `${url}/git/trees{/sha}`,
    clone_url: `https://github.com/${fullName}.git`,
    mirror_url: null,
    hooks_url: `${url}/hooks`,
    svn_url: `https://github.com/${fullName}`,
    homepage: null,
    language: null,
    forks_count: 0,
    stargazers_count: 0,
    watchers_count: 0,
    size: 1,
    default_branch: repo.defaultBranch ?? 'main',
    open_issues_count: 0,
    has_issues: true,
    has_projects: true,
    has_wiki: false,
    has_pages: false,
    has_downloads: true,
    archived: repo.archived ?? false,
    disabled: false,
    pushed_at: '2026-01-01T00:00:00Z',
    created_at: '2025-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    open_issues: 0,
    watchers: 0,
  };
}

function restInstallation(appId: number, installation: FakeInstallation): Installation {
  const account = installation.account;
  const isEnterprise = 'slug' in account;
  return {
    id: installation.id,
    account: isEnterprise
      ? {
          id: account.id,
          slug: account.slug,
          name: account.name,
          node_id: `E_${account.id}`,
          html_url: `https://github.com/enterprises/${account.slug}`,
          created_at: '2025-01-01T00:00:00Z',
          updated_at: '2025-01-01T00:00:00Z',
          avatar_url: `https://avatars.githubusercontent.com/b/${account.id}`,
        }
      : simpleUser(account.login, account.id, account.type),
    repository_selection: installation.repositorySelection ?? 'selected',
    access_tokens_url: `${API_URL}/app/installations/${installation.id}/access_tokens`,
    repositories_url: `${API_URL}/installation/repositories`,
    html_url: `https://github.com/settings/installations/${installation.id}`,
    app_id: appId,
    target_id: account.id,
    target_type: isEnterprise ? 'Enterprise' : account.type,
    permissions: { contents: 'read', metadata: 'read', pull_requests: 'write' },
    events: ['push', 'pull_request'],
    created_at: '2025-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    single_file_name: null,
    app_slug: 'reconciler-test',
    suspended_by: installation.suspended ? simpleUser('octo-admin', 9, 'User') : null,
    suspended_at: installation.suspended ? '2026-01-02T00:00:00Z' : null,
  };
}

export interface FakeGitHub {
  url: string;
  appId: number;
  privateKey: string;
  installations: Map<number, FakeInstallation>;
  /** OAuth token → the repos that user can see. */
  userRepos: Map<string, FakeRepo[]>;
  fail(failure: FakeFailure): void;
  rateLimit(limit: FakeRateLimit): void;
  /** Every request served: method, path, page, and the credential kind used. */
  requests: { method: string; path: string; page: number; auth: 'jwt' | 'installation' | 'oauth' | 'none' }[];
  tokensIssued(): number;
  /** Every distinct credential sent (App JWTs, installation and OAuth tokens), for tests that hunt for leaks. */
  credentialsSeen(): string[];
  /** Each page of a paginated list is answered after this long (a slow GitHub, for progress). */
  pageDelayMs: number;
  /** When set, answers carry x-ratelimit-* headers counting down from `remaining` (never refusing). */
  quota: { remaining: number; resetInSeconds: number } | null;
  /** Where deliveries and redeliveries are sent, signed with `secret`, once a test sets it. */
  webhook: { url: string; secret: string } | null;
  /** Every delivery attempt, oldest first: what GET /app/hook/deliveries lists (newest first). */
  hookDeliveries: FakeHookDeliveryEntry[];
  /** Logs a delivery without sending it: GitHub's word that it tried and got `statusCode`. */
  recordHookDelivery(delivery: FakeHookDelivery): FakeHookDeliveryEntry;
  /** Sends a delivery to the webhook URL and logs the status code it got back. */
  sendHookDelivery(delivery: Omit<FakeHookDelivery, 'statusCode'>): Promise<FakeHookDeliveryEntry>;
  /** Resolves once every redelivery requested so far has been sent and logged. */
  redeliveriesSettled(): Promise<void>;
}

function base64UrlJson(part: string | undefined): Record<string, unknown> | null {
  try {
    return JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/** A test's context, or anything else that closes what it is given when done (a benchmark). */
export type TeardownHolder = Pick<ExecutionContext, 'teardown'>;

export async function startFakeGitHub(t: TeardownHolder): Promise<FakeGitHub> {
  const appId = 4242;
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const installations = new Map<number, FakeInstallation>();
  const userRepos = new Map<string, FakeRepo[]>();
  const tokens = new Map<string, number>();
  const failures: FakeFailure[] = [];
  const requests: FakeGitHub['requests'] = [];
  const credentials = new Set<string>();

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    // Every answer spends one request of the hourly quota and says what is left, as GitHub does.
    const quota = server.quota;
    if (quota !== null) {
      quota.remaining = Math.max(0, quota.remaining - 1);
      headers = {
        'x-ratelimit-limit': '5000',
        'x-ratelimit-remaining': String(quota.remaining),
        'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + quota.resetInSeconds),
        ...headers,
      };
    }
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  };
  const notFound = (res: ServerResponse): void =>
    send(res, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' });

  const validJwt = (authorization: string | undefined): boolean => {
    const token = /^Bearer (.+)$/i.exec(authorization ?? '')?.[1];
    const [header, payload, signature] = token?.split('.') ?? [];
    if (header === undefined || payload === undefined || signature === undefined) return false;
    const claims = base64UrlJson(payload);
    const now = Math.floor(Date.now() / 1000);
    const signed = verifySignature(
      'RSA-SHA256',
      Buffer.from(`${header}.${payload}`),
      publicKey,
      Buffer.from(signature, 'base64url'),
    );
    return (
      signed &&
      claims !== null &&
      String(claims.iss) === String(appId) &&
      typeof claims.exp === 'number' &&
      claims.exp > now &&
      claims.exp - Number(claims.iat) <= 600
    );
  };

  const paginate = (
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    page: number,
    items: FakeRepo[],
    wrap: (slice: Repository[]) => unknown,
  ): void => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const perPage = Math.min(100, Number(url.searchParams.get('per_page') ?? 30) || 30);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const link = (p: number, rel: string): string =>
      `<${server.url}${path}?per_page=${perPage}&page=${p}>; rel="${rel}"`;
    const links = [
      ...(page < last ? [link(page + 1, 'next'), link(last, 'last')] : []),
      ...(page > 1 ? [link(1, 'first'), link(page - 1, 'prev')] : []),
    ];
    const answer = () =>
      send(
        res,
        200,
        // Only the page is rendered: a 100k-repo installation is served page by page (bench/sync-scale.ts).
        wrap(items.slice((page - 1) * perPage, page * perPage).map(restRepository)),
        links.length ? { link: links.join(', ') } : {},
      );
    if (server.pageDelayMs > 0) setTimeout(answer, server.pageDelayMs).unref();
    else answer();
  };

  const hookDeliveries: FakeHookDeliveryEntry[] = [];
  const redeliveries = new Set<Promise<unknown>>();
  const logHookDelivery = (
    delivery: FakeHookDelivery,
    body: string,
    statusCode: number,
    redelivery: boolean,
    seconds: number,
  ): FakeHookDeliveryEntry => {
    const entry: FakeHookDeliveryEntry = {
      body,
      item: {
        id: 9000 + hookDeliveries.length + 1,
        guid: delivery.guid,
        delivered_at: delivery.deliveredAt ?? new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
        redelivery,
        duration: seconds,
        status:
          statusCode === 0 ? 'failed to connect' : statusCode < 300 ? 'OK' : `Invalid HTTP Response: ${statusCode}`,
        status_code: statusCode,
        event: delivery.event,
        action: delivery.action ?? null,
        installation_id: delivery.installationId ?? null,
        repository_id: delivery.repositoryId ?? null,
        throttled_at: null,
      },
    };
    hookDeliveries.push(entry);
    return entry;
  };
  const bodyOf = (delivery: FakeHookDelivery): string =>
    typeof delivery.payload === 'string' ? delivery.payload : JSON.stringify(delivery.payload);
  // As GitHub does: the same body and the same X-GitHub-Delivery GUID on every redelivery.
  const sendHookDelivery = async (delivery: FakeHookDelivery, redelivery: boolean): Promise<FakeHookDeliveryEntry> => {
    const body = bodyOf(delivery);
    const started = performance.now();
    let statusCode = 0;
    if (server.webhook !== null) {
      try {
        const response = await fetch(server.webhook.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'GitHub-Hookshot/fake',
            'x-github-event': delivery.event,
            'x-github-delivery': delivery.guid,
            'x-github-hook-id': '1',
            'x-github-hook-installation-target-type': 'integration',
            'x-github-hook-installation-target-id': String(appId),
            'x-hub-signature-256': await sign(server.webhook.secret, body),
          },
          body,
          signal: AbortSignal.timeout(10_000),
        });
        await response.arrayBuffer();
        statusCode = response.status;
      } catch {
        statusCode = 0;
      }
    }
    return logHookDelivery(delivery, body, statusCode, redelivery, (performance.now() - started) / 1000);
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = url.pathname;
    const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
    const authorization = req.headers.authorization;
    const bearer = /^(?:Bearer|token) (.+)$/i.exec(authorization ?? '')?.[1];
    const auth: FakeGitHub['requests'][number]['auth'] =
      bearer === undefined ? 'none' : tokens.has(bearer) ? 'installation' : userRepos.has(bearer) ? 'oauth' : 'jwt';
    requests.push({ method: req.method ?? 'GET', path, page, auth });
    if (bearer !== undefined) credentials.add(bearer);

    const failure = failures.find(
      (f) => f.path.test(path) && (f.page === undefined || f.page === page) && (f.times ?? 1) > 0,
    );
    if (failure) {
      failure.times = (failure.times ?? 1) - 1;
      const answer = (): void => {
        if (!res.destroyed)
          send(
            res,
            failure.status,
            { message: failure.message ?? `fake failure ${failure.status}` },
            failure.headers ?? {},
          );
      };
      if (failure.delayMs === undefined) answer();
      else setTimeout(answer, failure.delayMs).unref();
      return;
    }

    let match = /^\/app\/installations\/(\d+)$/.exec(path);
    if (match && req.method === 'GET') {
      if (!validJwt(authorization)) return send(res, 401, { message: 'A JSON web token could not be decoded' });
      const installation = installations.get(Number(match[1]));
      if (!installation || installation.deleted) return notFound(res);
      return send(res, 200, restInstallation(appId, installation));
    }
    match = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(path);
    if (match && req.method === 'POST') {
      if (!validJwt(authorization)) return send(res, 401, { message: 'A JSON web token could not be decoded' });
      const installation = installations.get(Number(match[1]));
      if (!installation || installation.deleted) return notFound(res);
      if (installation.suspended) return send(res, 403, { message: 'This installation has been suspended' });
      const token = `ghs_${randomBytes(18).toString('hex')}`;
      tokens.set(token, installation.id);
      const body: components['schemas']['installation-token'] = {
        token,
        expires_at: new Date(Date.now() + 3600_000).toISOString().replace(/\.\d+Z$/, 'Z'),
        permissions: { contents: 'read', metadata: 'read' },
        repository_selection: installation.repositorySelection ?? 'selected',
      };
      return send(res, 201, body);
    }
    if (path === '/installation/repositories' && req.method === 'GET') {
      const installationId = bearer === undefined ? undefined : tokens.get(bearer);
      const installation = installationId === undefined ? undefined : installations.get(installationId);
      if (!installation) return send(res, 401, { message: 'Bad credentials' });
      if (installation.deleted || installation.suspended) return send(res, 401, { message: 'Bad credentials' });
      const repos = installation.repos;
      return paginate(req, res, path, page, repos, (slice) => ({
        total_count: repos.length,
        repositories: slice,
        repository_selection: installation.repositorySelection ?? 'selected',
      }));
    }
    if (path === '/app/hook/deliveries' && req.method === 'GET') {
      if (!validJwt(authorization)) return send(res, 401, { message: 'A JSON web token could not be decoded' });
      // Cursor pagination, newest first: the cursor names the id the next page starts below.
      const perPage = Math.min(100, Number(url.searchParams.get('per_page') ?? 30) || 30);
      const cursor = /^v1_(\d+)$/.exec(url.searchParams.get('cursor') ?? '')?.[1];
      const newestFirst = hookDeliveries
        .map((entry) => entry.item)
        .filter((item) => cursor === undefined || Number(item.id) < Number(cursor))
        .sort((a, b) => Number(b.id) - Number(a.id));
      const slice = newestFirst.slice(0, perPage);
      const next = newestFirst.length > perPage ? slice.at(-1) : undefined;
      return send(
        res,
        200,
        slice,
        next === undefined
          ? {}
          : { link: `<${server.url}${path}?per_page=${perPage}&cursor=v1_${String(next.id)}>; rel="next"` },
      );
    }
    match = /^\/app\/hook\/deliveries\/(\d+)\/attempts$/.exec(path);
    if (match && req.method === 'POST') {
      if (!validJwt(authorization)) return send(res, 401, { message: 'A JSON web token could not be decoded' });
      const entry = hookDeliveries.find((e) => Number(e.item.id) === Number(match?.[1]));
      if (entry === undefined) return notFound(res);
      const { item } = entry;
      // GitHub accepts at once and sends afterwards.
      const sent = sendHookDelivery(
        {
          guid: item.guid,
          event: item.event,
          action: item.action,
          payload: entry.body,
          installationId: item.installation_id === null ? null : Number(item.installation_id),
          repositoryId: item.repository_id === null ? null : Number(item.repository_id),
        },
        true,
      );
      redeliveries.add(sent);
      void sent.finally(() => redeliveries.delete(sent));
      return send(res, 202, {});
    }
    if (path === '/user/repos' && req.method === 'GET') {
      const repos = bearer === undefined ? undefined : userRepos.get(bearer);
      if (!repos) return send(res, 401, { message: 'Bad credentials' });
      return paginate(req, res, path, page, repos, (slice) => slice);
    }
    notFound(res);
  };

  const httpServer = createServer(handle);
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const server: FakeGitHub = {
    url: `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`,
    appId,
    privateKey: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    installations,
    userRepos,
    fail: (failure) => failures.push({ times: 1, ...failure }),
    rateLimit: (limit) =>
      failures.push(
        limit.kind === 'primary'
          ? {
              path: limit.path,
              ...(limit.page === undefined ? {} : { page: limit.page }),
              times: limit.times ?? 1,
              status: 403,
              message:
                'API rate limit exceeded for installation. If you reach out to GitHub Support for help, please include the request ID.',
              headers: {
                'x-ratelimit-limit': '5000',
                'x-ratelimit-remaining': '0',
                'x-ratelimit-used': '5000',
                'x-ratelimit-resource': 'core',
                'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + limit.resetInSeconds),
              },
            }
          : {
              path: limit.path,
              ...(limit.page === undefined ? {} : { page: limit.page }),
              times: limit.times ?? 1,
              status: limit.status ?? 403,
              message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
              headers: { 'retry-after': String(limit.retryAfterSeconds) },
            },
      ),
    requests,
    tokensIssued: () => tokens.size,
    credentialsSeen: () => [...credentials],
    pageDelayMs: 0,
    quota: null,
    webhook: null,
    hookDeliveries,
    recordHookDelivery: (delivery) =>
      logHookDelivery(delivery, bodyOf(delivery), delivery.statusCode ?? 502, false, 10),
    sendHookDelivery: (delivery) => sendHookDelivery(delivery, false),
    redeliveriesSettled: async () => {
      while (redeliveries.size > 0) await Promise.allSettled([...redeliveries]);
    },
  };
  t.teardown(
    () =>
      new Promise<void>((resolve) => {
        httpServer.closeAllConnections();
        httpServer.close(() => resolve());
      }),
  );
  return server;
}

/** `count` repos of one owner with ids from `firstId`. */
export function fakeRepos(owner: string, count: number, firstId = 1): FakeRepo[] {
  return Array.from({ length: count }, (_, i) => ({ id: firstId + i, owner, name: `repo-${firstId + i}` }));
}

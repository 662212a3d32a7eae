import anyTest from 'ava';
import { GitHubError, type RepoPage } from '../src/github/github-port.js';
import { classifyGitHubFailure } from '../src/github/classify-failure.js';
import { createOctokitGitHub } from '../src/github/octokit-github.js';
import { lastPageFromLink } from '../src/github/response-headers.js';
import { silentLogger } from '../src/telemetry/logger.js';
import { fakeRepos, startFakeGitHub, type FakeGitHub } from './support/fake-github.js';

// Serial: @octokit/auth-app shares in-flight token requests between all its instances in a
// process, keyed by installation id alone, so concurrent tests with their own fake GitHub but
// the same installation id would receive each other's tokens. (One App per process in production.)
const test = anyTest.serial;

const adapterFor = (fake: FakeGitHub) =>
  createOctokitGitHub({
    app: { appId: fake.appId, privateKey: fake.privateKey },
    baseUrl: fake.url,
    logger: silentLogger,
  });

async function collect(pages: AsyncIterable<RepoPage>): Promise<RepoPage[]> {
  const all: RepoPage[] = [];
  for await (const page of pages) all.push(page);
  return all;
}

test('an installation is read with the App JWT and mapped to plain facts', async (t) => {
  const fake = await startFakeGitHub(t);
  fake.installations.set(11, { id: 11, account: { id: 5, login: 'octo-org', type: 'Organization' }, repos: [] });
  t.deepEqual(await adapterFor(fake).getInstallation(11), {
    id: 11,
    accountId: 5,
    accountLogin: 'octo-org',
    accountType: 'Organization',
    targetType: 'Organization',
    permissions: { contents: 'read', metadata: 'read', pull_requests: 'write' },
    repositorySelection: 'selected',
    events: ['push', 'pull_request'],
    suspendedAt: null,
    suspendedBy: null,
  });
  t.true(fake.requests.every((r) => r.auth === 'jwt'));
});

test('an enterprise account has a slug and no login', async (t) => {
  const fake = await startFakeGitHub(t);
  fake.installations.set(12, { id: 12, account: { id: 6, slug: 'acme', name: 'Acme' }, repos: [] });
  t.like(await adapterFor(fake).getInstallation(12), {
    accountLogin: 'acme',
    accountType: 'Enterprise',
    targetType: 'Enterprise',
  });
});

test('a suspended installation is still listed and says who suspended it', async (t) => {
  const fake = await startFakeGitHub(t);
  fake.installations.set(13, { id: 13, account: { id: 5, login: 'o', type: 'User' }, repos: [], suspended: true });
  t.like(await adapterFor(fake).getInstallation(13), {
    suspendedAt: '2026-01-02T00:00:00Z',
    suspendedBy: 'octo-admin',
  });
});

test('a deleted installation is a terminal installation_not_found error', async (t) => {
  const fake = await startFakeGitHub(t);
  fake.installations.set(14, { id: 14, account: { id: 5, login: 'o', type: 'User' }, repos: [], deleted: true });
  const error = await t.throwsAsync(adapterFor(fake).getInstallation(14), { instanceOf: GitHubError });
  t.like(error, { kind: 'installation_not_found', status: 404, retryable: false });
});

test("an installation's repositories are read page by page to the end, with one token", async (t) => {
  const fake = await startFakeGitHub(t);
  fake.installations.set(11, {
    id: 11,
    account: { id: 5, login: 'octo-org', type: 'Organization' },
    repos: fakeRepos('octo-org', 250),
  });
  const github = adapterFor(fake);
  const pages = await collect(github.listInstallationRepos(11));
  t.deepEqual(
    pages.map((p) => [p.page, p.lastPage, p.repos.length]),
    [
      [1, 3, 100],
      [2, 3, 100],
      [3, 3, 50],
    ],
  );
  t.deepEqual(pages[0]?.repos[0], {
    repoId: 1,
    fullName: 'octo-org/repo-1',
    owner: 'octo-org',
    name: 'repo-1',
    defaultBranch: 'main',
    visibility: 'private',
    archived: false,
  });
  await collect(github.listInstallationRepos(11));
  t.is(fake.tokensIssued(), 1, 'the installation token is cached between calls');
  t.is(fake.requests.filter((r) => r.path === '/installation/repositories' && r.auth === 'installation').length, 6);
});

test('a suspended installation refuses a token: terminal installation_suspended', async (t) => {
  const fake = await startFakeGitHub(t);
  fake.installations.set(13, {
    id: 13,
    account: { id: 5, login: 'o', type: 'User' },
    repos: fakeRepos('o', 3),
    suspended: true,
  });
  const error = await t.throwsAsync(collect(adapterFor(fake).listInstallationRepos(13)), { instanceOf: GitHubError });
  t.like(error, { kind: 'installation_suspended', retryable: false });
});

test('a 5xx in the middle of the list is retryable and comes after the pages already read', async (t) => {
  const fake = await startFakeGitHub(t);
  fake.installations.set(11, { id: 11, account: { id: 5, login: 'o', type: 'User' }, repos: fakeRepos('o', 250) });
  fake.fail({ path: /^\/installation\/repositories$/, page: 2, status: 502 });
  const seen: number[] = [];
  const error = await t.throwsAsync(
    (async () => {
      for await (const page of adapterFor(fake).listInstallationRepos(11)) seen.push(page.page);
    })(),
    { instanceOf: GitHubError },
  );
  t.deepEqual(seen, [1]);
  t.like(error, { kind: 'unavailable', status: 502, retryable: true });
});

for (const [title, status, headers, retryAfterMs] of [
  ['a primary rate limit (403, remaining 0)', 403, { 'x-ratelimit-remaining': '0' }, null],
  ['a secondary rate limit (429, retry-after)', 429, { 'retry-after': '7' }, 7000],
] as const) {
  test(`${title} is a retryable rate_limited error with when to come back`, async (t) => {
    const fake = await startFakeGitHub(t);
    fake.installations.set(11, { id: 11, account: { id: 5, login: 'o', type: 'User' }, repos: [] });
    const reset = Math.floor(Date.now() / 1000) + 60;
    fake.fail({
      path: /^\/app\/installations\/11$/,
      status,
      headers: { ...headers, ...(retryAfterMs === null ? { 'x-ratelimit-reset': String(reset) } : {}) },
    });
    const error = await t.throwsAsync(adapterFor(fake).getInstallation(11), { instanceOf: GitHubError });
    t.like(error, { kind: 'rate_limited', retryable: true, status });
    if (retryAfterMs !== null) t.is(error?.retryAfterMs, retryAfterMs);
    else t.true((error?.retryAfterMs ?? 0) > 50_000 && (error?.retryAfterMs ?? 0) <= 60_000);
  });
}

test("a user's OAuth repositories are listed; a refused token is unauthorized", async (t) => {
  const fake = await startFakeGitHub(t);
  fake.userRepos.set('gho_user', [
    ...fakeRepos('octocat', 2),
    { id: 99, owner: 'octo-org', name: 'public', private: false },
  ]);
  const github = adapterFor(fake);
  const [page] = await collect(github.listUserRepos('gho_user'));
  t.deepEqual(
    page?.repos.map((r) => [r.repoId, r.fullName, r.visibility]),
    [
      [1, 'octocat/repo-1', 'private'],
      [2, 'octocat/repo-2', 'private'],
      [99, 'octo-org/public', 'public'],
    ],
  );
  const error = await t.throwsAsync(collect(github.listUserRepos('gho_wrong')), { instanceOf: GitHubError });
  t.like(error, { kind: 'unauthorized', retryable: false });
});

test('without App credentials, App calls are refused as unauthorized and user calls still work', async (t) => {
  const fake = await startFakeGitHub(t);
  fake.userRepos.set('gho_user', fakeRepos('octocat', 1));
  const github = createOctokitGitHub({ app: null, baseUrl: fake.url, logger: silentLogger });
  await t.throwsAsync(github.getInstallation(11), { instanceOf: GitHubError, message: /no GitHub App credentials/ });
  await t.throwsAsync(collect(github.listInstallationRepos(11)), {
    instanceOf: GitHubError,
    message: /no GitHub App credentials/,
  });
  t.is((await collect(github.listUserRepos('gho_user')))[0]?.repos.length, 1);
});

test('a GitHub that does not answer in time is a retryable unavailable error', async (t) => {
  const fake = await startFakeGitHub(t);
  fake.installations.set(11, { id: 11, account: { id: 5, login: 'o', type: 'User' }, repos: [] });
  fake.fail({ path: /^\/app\/installations\/11$/, status: 200, delayMs: 5_000 });
  const github = createOctokitGitHub({
    app: { appId: fake.appId, privateKey: fake.privateKey },
    baseUrl: fake.url,
    logger: silentLogger,
    requestTimeoutMs: 200,
  });
  const error = await t.throwsAsync(github.getInstallation(11), { instanceOf: GitHubError });
  t.like(error, { kind: 'unavailable', retryable: true });
});

test('the last page number is read from a Link header', (t) => {
  t.is(
    lastPageFromLink('<https://x/y?per_page=100&page=2>; rel="next", <https://x/y?per_page=100&page=25>; rel="last"'),
    25,
  );
  t.is(lastPageFromLink('<https://x/y?page=1>; rel="first"'), null);
  t.is(lastPageFromLink(undefined), null);
});

test('a 403 is a suspension only on the token request; a secondary limit without headers is a rate limit', (t) => {
  const tokenUrl = 'https://api.github.com/app/installations/11/access_tokens';
  const pageUrl = 'https://api.github.com/installation/repositories?per_page=100&page=2';
  const failure = (url: string, message: string) => ({
    status: 403,
    message,
    request: { url },
    response: { headers: {} },
  });
  t.like(classifyGitHubFailure(failure(tokenUrl, 'This installation has been suspended'), { installationId: 11 }), {
    kind: 'installation_suspended',
  });
  t.like(classifyGitHubFailure(failure(pageUrl, 'Resource not accessible by integration'), { installationId: 11 }), {
    kind: 'forbidden',
    retryable: false,
  });
  t.like(classifyGitHubFailure(failure(pageUrl, 'You have exceeded a secondary rate limit.'), { installationId: 11 }), {
    kind: 'rate_limited',
    retryable: true,
    retryAfterMs: null,
  });
});

test('other 4xx answers are refusals that a retry cannot change; 5xx and network failures are retryable', (t) => {
  const answer = (status: number | undefined, message: string) => ({
    ...(status !== undefined ? { status } : {}),
    message,
    request: { url: 'https://api.github.com/app/hook/deliveries/9/attempts' },
    response: { headers: {} },
  });
  for (const status of [400, 409, 410, 422]) {
    t.like(classifyGitHubFailure(answer(status, 'Validation Failed'), {}), {
      kind: 'rejected',
      retryable: false,
      status,
    });
  }
  for (const status of [502, 408, 429]) {
    t.like(classifyGitHubFailure(answer(status, 'try later'), {}), { kind: 'unavailable', retryable: true, status });
  }
  t.like(classifyGitHubFailure(answer(undefined, 'connect ECONNREFUSED'), {}), {
    kind: 'unavailable',
    retryable: true,
    status: null,
  });
});

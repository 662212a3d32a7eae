import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { chromium, type Page } from 'playwright-core';
import { startTracing } from '../src/telemetry/start-tracing.js';
import { fakeRepos, startFakeGitHub, type FakeRepo } from './support/fake-github.js';
import { appWorld } from './support/app-world.js';
import { deliver, pushPayload } from './support/github-payloads.js';
import { eventually, json, startTestService, TEST_TOKEN, type TestService } from './support/test-service.js';

// A global tracer provider for this test process: spans are made (nothing is exported), so
// deliveries carry trace ids as they do in the running service.
startTracing({ env: {}, instrumentations: [] });

// The Observability view (R11) in a real browser against the real service: a person enters the
// token, sees the deliveries, narrows them to those that woke nothing, opens the one whose
// trigger is bound to the wrong installation and reads why (with its trace), diagnoses the repo,
// and reads coverage and rebind skips. The world is the product document's stale binding, built
// through the public API, signed webhooks and the fake GitHub.

const API: FakeRepo = { id: 7, owner: 'octo-org', name: 'api' };
const DOCS: FakeRepo = { id: 8, owner: 'octo-org', name: 'docs' };
const WEB: FakeRepo = { id: 9, owner: 'octo-org', name: 'web' };
const TRACE_URL_TEMPLATE = 'https://traces.example.test/explore?trace={traceId}&from=reconciler';
const SCREENSHOTS = join(process.cwd(), 'test-output');
const HOSTILE = '<img src="/x" id="injected">';

async function ok(response: Promise<Response>): Promise<Response> {
  const answered = await response;
  if (answered.status >= 300) throw new Error(`${answered.status}: ${await answered.text()}`);
  return answered;
}

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `observability-view-${name}.png`), fullPage: true });
}

/** Polls the page until `check` holds (playwright-core has no expect()). */
const until = (check: () => Promise<boolean>, timeoutMs = 10_000) => eventually(check, timeoutMs);

test.serial(
  'the Observability view explains a delivery that woke nothing, diagnoses its repo and shows coverage',
  async (t) => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const fake = await startFakeGitHub(t);
    const service: TestService = await startTestService(t, {
      env: {
        GITHUB_API_URL: fake.url,
        GITHUB_APP_ID: String(fake.appId),
        GITHUB_APP_PRIVATE_KEY: fake.privateKey,
        TRACE_URL_TEMPLATE,
      },
    });

    // u1 holds installation 11 (octo-old, the repo's former owner) and 22 (octo-org): rebind is
    // skipped, so t1 stays bound to 11 and a push from 22 does not wake it; t2 on docs wakes.
    fake.installations.set(11, { id: 11, account: { id: 4, login: 'octo-old', type: 'Organization' }, repos: [] });
    fake.installations.set(22, {
      id: 22,
      account: { id: 5, login: 'octo-org', type: 'Organization' },
      repos: [API, DOCS],
    });
    await ok(service.api('/api/users/u1', json('PUT', { githubUserId: 1, githubLogin: 'u1' })));
    await ok(service.api('/api/users/u1/installations/11', { method: 'PUT' }));
    await ok(service.api('/api/users/u1/installations/22', { method: 'PUT' }));
    const trigger = (id: string, installationId: number, repoId: number) =>
      ok(service.api(`/api/triggers/${id}`, json('PUT', { userId: 'u1', installationId, repoId, events: ['push'] })));
    await trigger('t1', 11, API.id);
    await trigger('t2', 22, DOCS.id);
    await ok(service.api('/api/users/u1/sync', json('POST', {})));

    // GitHub's fields are data, never markup: this action must show as text.
    const hostile = await deliver(service, 'ping', { zen: 'Keep it simple.', hook_id: 1, action: HOSTILE });
    const ping = await deliver(service, 'ping', { zen: 'Design for failure.', hook_id: 1 });
    const woke = await deliver(service, 'push', pushPayload(DOCS, 22, ['README.md']));
    const mismatch = await deliver(service, 'push', pushPayload(API, 22, ['src/main.go']));
    const unwatched = await deliver(service, 'push', pushPayload(WEB, 22, ['index.html']));
    const story = (await (await ok(service.api(`/api/deliveries/${mismatch.id}`))).json()) as {
      traceId: string | null;
    };
    t.regex(story.traceId ?? '', /^[0-9a-f]{32}$/, 'the delivery has a trace id');

    // The page itself needs no token and is locked down.
    const shell = await fetch(`${service.url}/`);
    t.is(shell.status, 200);
    t.regex(shell.headers.get('content-type') ?? '', /^text\/html/);
    t.regex(shell.headers.get('content-security-policy') ?? '', /^default-src 'self'(;|$)/);
    t.notRegex(shell.headers.get('content-security-policy') ?? '', /unsafe-inline|unsafe-eval/);
    t.is(shell.headers.get('x-content-type-options'), 'nosniff');
    const script = await fetch(`${service.url}/view/app.js`);
    t.regex(script.headers.get('content-type') ?? '', /^text\/javascript/);
    t.is(script.headers.get('x-content-type-options'), 'nosniff');

    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
    t.teardown(() => browser.close());
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const pageProblems: string[] = [];
    page.on('pageerror', (error) => pageProblems.push(error.message));
    page.on('console', (message) => {
      // The wrong token below is refused on purpose; anything else (a CSP violation, a script error) is a bug.
      if (message.type() === 'error' && !/status of 401/.test(message.text())) pageProblems.push(message.text());
    });
    await page.goto(`${service.url}/`);

    // The token is asked for once; a refused one is asked for again.
    await page.locator('#token-panel').waitFor();
    t.true(await page.locator('#main').isHidden());
    await screenshot(page, '1-token');
    await page.fill('#token-input', 'not-the-token');
    await page.click('#token-form button[type=submit]');
    await until(async () => /refused/.test((await page.locator('#token-message').textContent()) ?? ''));
    t.true(await page.locator('#token-panel').isVisible());
    await page.fill('#token-input', TEST_TOKEN);
    await page.click('#token-form button[type=submit]');
    await page.locator('#main').waitFor();
    t.is(await page.evaluate('sessionStorage.getItem("reconciler.apiToken")'), TEST_TOKEN);

    // Recent deliveries, newest first, with their outcome.
    const rows = page.locator('#deliveries-body tr');
    await until(async () => (await rows.count()) === 5);
    t.deepEqual(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-delivery-id'))), [
      unwatched.id,
      mismatch.id,
      woke.id,
      ping.id,
      hostile.id,
    ]);
    t.deepEqual(await page.locator('#deliveries-body .badge').allTextContents(), [
      'no candidates',
      'woke none',
      'woke',
      'not routed',
      'not routed',
    ]);
    t.regex((await rows.nth(4).textContent()) ?? '', /ping\.<img src="\/x" id="injected">/);
    t.is(await page.locator('#injected').count(), 0, 'a value from a payload is text, not markup');

    // Coverage and rebind skips.
    await until(async () => (await page.locator('[data-metric="coverage.covered"]').textContent()) === '2');
    t.is(await page.locator('[data-metric="coverage.visible_only"]').textContent(), '0');
    t.is(await page.locator('[data-metric="installations.active"]').textContent(), '2');
    t.not(await page.locator('[data-metric="rebindSkips.several_installations"]').textContent(), '0');
    t.regex((await page.locator('#rebind-skips').textContent()) ?? '', /several_installations/);
    await screenshot(page, '2-overview');

    // "Woke nothing": the mismatch and the push to a repo without triggers, nothing else.
    await page.click('.filters button[data-outcome="woke_nothing"]:not([data-problems])');
    await until(async () => (await rows.count()) === 2);
    t.deepEqual(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-delivery-id'))), [
      unwatched.id,
      mismatch.id,
    ]);
    t.deepEqual(await page.locator('#deliveries-body .badge').allTextContents(), ['no candidates', 'woke none']);
    await screenshot(page, '3-woke-nothing');

    // Its story: the reason, the detail and fix, the audit, the trace id and its link.
    await page.click(`#deliveries-body tr[data-delivery-id="${mismatch.id}"]`);
    await page.locator('#story-candidates').waitFor();
    t.true(page.url().endsWith(`#delivery=${encodeURIComponent(mismatch.id)}`), 'the story has its own address');
    const candidate = page.locator('#story-candidates li[data-trigger-id="t1"]');
    t.is(await candidate.locator('code.reason').textContent(), 'installation_mismatch');
    t.regex((await candidate.textContent()) ?? '', /bound to installation 11 but the event came from 22/);
    t.regex((await candidate.locator('.fix').textContent()) ?? '', /^Fix: /);
    t.regex((await page.locator('#story-summary').textContent()) ?? '', /^woke 0 of 1 trigger: .*rebind was skipped/);
    t.true((await page.locator('#story table.audit tbody tr').count()) > 0, 'the audit records are listed');
    t.is(await page.locator('#story-trace-id').textContent(), story.traceId);
    t.is(
      await page.locator('#story-trace-link').getAttribute('href'),
      TRACE_URL_TEMPLATE.replace('{traceId}', story.traceId ?? ''),
    );
    await screenshot(page, '4-story');

    // The default re-test is a dry run: then and now side by side, and nothing written.
    const deliveriesBefore = ((await (await ok(service.api('/api/deliveries'))).json()) as { deliveries: unknown[] })
      .deliveries.length;
    await page.click('#retest-button');
    await page.locator('#retest-result').waitFor();
    t.regex((await page.locator('#retest-then').textContent()) ?? '', /woke nothing/);
    t.regex((await page.locator('#retest-now').textContent()) ?? '', /nothing was woken/);
    t.truthy(await page.locator('#retest-changed').textContent());
    t.is(
      ((await (await ok(service.api('/api/deliveries'))).json()) as { deliveries: unknown[] }).deliveries.length,
      deliveriesBefore,
      'a dry run stores no delivery',
    );

    // A real replay of the same delivery, with its own story.
    await page.click('#replay-button');
    await until(async () => /Replayed as/.test((await page.locator('#story-actions').textContent()) ?? ''));
    const all = (await (await ok(service.api('/api/deliveries'))).json()) as {
      deliveries: { replayOf: string | null }[];
    };
    t.true(all.deliveries.some((d) => d.replayOf === mismatch.id));

    // Diagnose the repo: the five steps, the ambiguous installations flagged as a problem.
    await page.fill('#diagnose-user', 'u1');
    await page.fill('#diagnose-repo', 'octo-org/api');
    await page.click('#diagnose-form button[type=submit]');
    const steps = page.locator('#diagnose-steps li');
    await until(async () => (await steps.count()) === 5);
    const statuses = await steps.evaluateAll((lis) => lis.map((li) => li.getAttribute('data-status')));
    t.true(statuses.includes('problem'));
    t.is(statuses[3], 'problem', 'step 4: ambiguous installations, stale binding');
    t.regex((await steps.nth(3).locator('.badge').textContent()) ?? '', /problem/);
    await page.locator('#diagnose-panel').scrollIntoViewIfNeeded();
    await screenshot(page, '5-diagnose');

    // Forgetting the token hides the data and asks again.
    await page.click('#forget-token');
    await page.locator('#token-panel').waitFor();
    t.true(await page.locator('#main').isHidden());
    t.is(await page.evaluate('sessionStorage.getItem("reconciler.apiToken")'), null);
    t.is(await rows.count(), 0);

    t.deepEqual(pageProblems, [], 'no script error or CSP violation in the page');
  },
);

// Serial: both worlds use installation 11, and auth-app shares in-flight tokens per installation id.
test.serial('a running sync shows in the view with a progress bar that follows it to its end', async (t) => {
  const { fake, service } = await appWorld(t, fakeRepos('big-org', 1000));
  fake.pageDelayMs = 500;

  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  t.teardown(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const pageProblems: string[] = [];
  page.on('pageerror', (error) => pageProblems.push(error.message));
  page.on('console', (message) => message.type() === 'error' && pageProblems.push(message.text()));
  await page.goto(`${service.url}/`);
  await page.fill('#token-input', TEST_TOKEN);
  await page.click('#token-form button[type=submit]');
  await until(async () => /No sync has run/.test((await page.locator('#syncs').textContent()) ?? ''));

  // A sync started elsewhere (the CLI, the API) appears by itself.
  const started = (await (await ok(service.api('/api/users/u1/sync?async=1', json('POST', {})))).json()) as {
    syncId: string;
  };
  const row = page.locator(`#syncs tr[data-sync-id="${started.syncId}"]`);
  const bar = row.locator('progress');
  const value = async () => Number((await bar.getAttribute('value')) ?? -1);
  // Part-way: running, the bar neither empty nor full, pages counted from GitHub's Link header.
  await until(async () => (await row.getAttribute('data-state')) === 'running' && (await value()) > 0, 20_000);
  t.true((await value()) < 100);
  t.regex((await row.textContent()) ?? '', /u1.*running.*\d+ \/ 10 pages/);
  await page.locator('#syncs-panel').scrollIntoViewIfNeeded();
  await screenshot(page, '6-sync-running');
  // The page follows it by itself to the end.
  await until(async () => (await row.getAttribute('data-state')) === 'completed', 30_000);
  t.is(await value(), 100);
  t.regex((await row.textContent()) ?? '', /10 \/ 10 pages · 1000 repos.*created 1000/);
  await screenshot(page, '7-sync-completed');
  t.deepEqual(pageProblems, [], 'no script error or CSP violation in the page');
});

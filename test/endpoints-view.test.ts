import test from 'ava';
import { chromium } from 'playwright-core';
import { OCTO_API, coveredRepoWorld, deliver, pushPayload, pushTrigger } from './support/github-payloads.js';
import { eventually, json, startTestService, TEST_TOKEN } from './support/test-service.js';
import { RUNNER_SECRET, startWakeReceiver } from './support/wake-receiver.js';

// The Observability view's runner endpoints in a real browser: a runner that failed every
// attempt shows its given-up send with each attempt's status, and "Send again" delivers it once
// the runner answers.

test('the view shows a given-up send with its attempts, and sends it again', async (t) => {
  const service = await startTestService(t, { env: { WAKE_PUSH_FIRST_RETRY_MS: '20', WAKE_PUSH_MAX_ATTEMPTS: '2' } });
  await coveredRepoWorld(service);
  await pushTrigger(service, 22);
  const receiver = await startWakeReceiver(t);
  let failing = true;
  receiver.answer = () => ({ status: failing ? 500 : 204 });
  const put = await service.api('/api/endpoints/runner', json('PUT', { url: receiver.url, secret: RUNNER_SECRET }));
  t.is(put.status, 201);
  const delivery = await deliver(service, 'push', pushPayload(OCTO_API, 22, ['README.md']));
  await eventually(async () => {
    const page = (await (await service.api('/api/endpoints/runner/sends?state=given_up')).json()) as {
      sends: unknown[];
    };
    return page.sends.length === 1;
  }, 10_000);

  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  t.teardown(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(`${service.url}/`);
  await page.fill('#token-input', TEST_TOKEN);
  await page.click('#token-form button[type=submit]');
  const row = page.locator('#endpoints tr[data-endpoint-id="runner"]');
  await row.waitFor();
  t.regex((await row.textContent()) ?? '', /failing/);
  t.regex((await row.textContent()) ?? '', /HTTP 500/);
  await row.click();
  const send = page.locator(`#endpoint-sends tr[data-send-id="${delivery.id}:t1"]`);
  await send.waitFor();
  t.is(await send.getAttribute('data-state'), 'given_up');
  t.is(await send.locator('.attempts').textContent(), '500 → 500');

  failing = false;
  await send.locator('button.requeue').click();
  await eventually(async () => /goes out again/.test((await page.locator('#endpoints-status').textContent()) ?? ''));
  await eventually(async () => receiver.received.length === 3, 10_000);
  // Choosing the endpoint again reads its sends again.
  await eventually(async () => {
    await row.click();
    return (await send.getAttribute('data-state')) === 'delivered';
  }, 10_000);
  t.regex((await send.locator('.attempts').textContent()) ?? '', /500 → 500 → 204/);
  t.deepEqual(problems, []);
});

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { BILLING, investigationWorld, ORG_INSTALLATION, PERSONAL_INSTALLATION } from './support/investigation-world.js';
import { openView, overflowingElements, until } from './support/view-page.js';

// The investigation workspace's parts that stand on their own (issue 15, items 5 and 8): entity
// pages reached by links, every id a link, readable times, filters carried in the address, and
// no panel clipping its content at 1280, 1440 and 1920 px.

const SCREENSHOTS = join(process.cwd(), 'test-output');

test.serial('entity pages, links, times and URL filters of the view, without clipping at three widths', async (t) => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const { service, latestBillingPush } = await investigationWorld(t, { noiseDeliveries: 40 });

  // A shared link with filters: the page shows them and sends them to the API under the same names.
  const requested: string[] = [];
  const { page, problems } = await openView(t, `${service.url}/?event=push&installation=${ORG_INSTALLATION}#repo=${BILLING.id}`);
  page.on('request', (request) => requested.push(request.url()));
  await page.locator('table.repo-rows').waitFor();
  t.is(await page.inputValue('#filter-event'), 'push');
  t.is(await page.inputValue('#filter-installation'), String(ORG_INSTALLATION));
  await page.click('#refresh');
  await until(async () => requested.some((url) => /\/api\/deliveries\?.*event=push.*installation=22/.test(url)));

  // The repo page: today's name, the name it had, its row, its stale trigger, its latest deliveries.
  const entity = page.locator('#entity');
  t.regex((await entity.locator('h3').textContent()) ?? '', /acme-org\/billing-api/);
  t.regex((await page.locator('#repo-former-names').textContent()) ?? '', /acme-org\/billing/);
  t.is(await entity.locator(`tr[data-delivery-id="${latestBillingPush.id}"]`).count(), 1);
  const time = entity.locator('table.entity-deliveries time').first();
  t.regex((await time.getAttribute('title')) ?? '', /^\d{4}-\d{2}-\d{2}T/, 'ISO on hover');
  t.regex((await time.textContent()) ?? '', /\d{4}.*(UTC|GMT).*ago/, 'date, time zone and relative');

  // Every id is a link: trigger → its binding (stale), automation, installation.
  await entity.locator('a.link-trigger[data-id="t-deploy"]').first().click();
  await until(async () => /stale binding/.test((await entity.textContent()) ?? ''));
  t.regex((await entity.textContent()) ?? '', /installation_mismatch/);
  await entity.locator('a.link-automation[data-id="a-deploy"]').first().click();
  await until(async () => /Deploy billing/.test((await entity.locator('h3').textContent()) ?? ''));
  await entity.locator(`a.link-installation[data-id="${PERSONAL_INSTALLATION}"]`).first().click();
  await until(async () => /octocat/.test((await entity.locator('h3').textContent()) ?? ''));
  t.regex((await page.locator('#installation-coverage').textContent()) ?? '', /1 rows: 1 covered/);

  // Delivery rows name their repo next to the id, and link it.
  await page.click('#filters-summary');
  await page.click('#filters-clear');
  const rows = page.locator('#deliveries-body tr');
  await until(async () => (await rows.count()) === 25);
  // The name itself comes with GET /api/deliveries' repoFullName (the search branch); the link is here.
  t.is(await rows.first().locator(`a.link-repo[data-id="${BILLING.id}"]`).count(), 1);
  t.false(page.url().includes('event='), 'cleared filters leave the address');

  // The story of the latest delivery: a diagnose button on the not-woken candidate; the payload section.
  await page.goto(`${service.url}/#delivery=${encodeURIComponent(latestBillingPush.id)}`);
  await page.locator('#story-candidates').waitFor();
  t.is(await page.locator('#story-candidates .diagnose-candidate').count(), 1);
  await page.locator('#story-candidates .diagnose-candidate').click();
  await until(async () => (await page.locator('#diagnose-steps li').count()) === 5);

  for (const width of [1280, 1440, 1920]) {
    await page.setViewportSize({ width, height: 900 });
    await page.goto(`${service.url}/#repo=${BILLING.id}`);
    await page.locator('table.repo-rows').waitFor();
    await until(async () => (await rows.count()) > 0);
    t.deepEqual(await overflowingElements(page), [], `nothing overflows its panel at ${width} px`);
    await page.screenshot({ path: join(SCREENSHOTS, `investigation-view-${width}.png`), fullPage: true });
  }
  t.deepEqual(problems, [], 'no script error or CSP violation in the page');
});

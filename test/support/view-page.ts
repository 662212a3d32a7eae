import type { ExecutionContext } from 'ava';
import { chromium, type Page } from 'playwright-core';
import { eventually, TEST_TOKEN } from './test-service.js';

// A Chromium page on the Observability view with the token entered, for the view's browser tests.

export async function openView(t: ExecutionContext, url: string, width = 1440): Promise<{ page: Page; problems: string[] }> {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  t.teardown(() => browser.close());
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    // A 404 of an endpoint this branch lacks is answered in the page; anything else is a bug.
    if (message.type() === 'error' && !/status of 404/.test(message.text())) problems.push(message.text());
  });
  await page.goto(url);
  await page.fill('#token-input', TEST_TOKEN);
  await page.click('#token-form button[type=submit]');
  await page.locator('#main').waitFor();
  return { page, problems };
}

export const until = (check: () => Promise<boolean>, timeoutMs = 10_000) => eventually(check, timeoutMs);

/**
 * Every element that sticks out of the panel or card it is in (by more than a pixel), or a
 * scrolling box whose content is wider than it: what would be clipped at this width.
 */
export function overflowingElements(page: Page): Promise<string[]> {
  // A string, so this Node program needs no DOM types: it runs in the page.
  return page.evaluate(`(() => {
    const found = [];
    const describe = (el) =>
      \`\${el.tagName.toLowerCase()}\${el.id ? \`#\${el.id}\` : ''}.\${[...el.classList].join('.')} "\${(el.textContent ?? '').slice(0, 40)}"\`;
    for (const panel of document.querySelectorAll('.panel, .card')) {
      if (panel.offsetParent === null) continue;
      const box = panel.getBoundingClientRect();
      for (const el of panel.querySelectorAll('*')) {
        const rect = el.getBoundingClientRect();
        if (rect.width === 0 || el.offsetParent === null) continue;
        if (rect.right > box.right + 1 || rect.left < box.left - 1) found.push(describe(el));
      }
      for (const scroller of panel.querySelectorAll('.scroll'))
        if (scroller.scrollWidth > scroller.clientWidth + 1) found.push(\`scrolls: \${describe(scroller)}\`);
    }
    return found;
  })()`) as Promise<string[]>;
}

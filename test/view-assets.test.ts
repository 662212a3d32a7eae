import test from 'ava';
import { startTestService } from './support/test-service.js';

// The Observability view's program is served from the package (what npm run build emitted), never
// a CDN: the page loads /view/app.js as a module, and every module it imports, at any depth, is
// served from /view/ under the same locked-down headers. Nothing else under /view/ is.

const IMPORT = /^import\s[^'"]*['"](\.\/[a-z0-9-]+\.js)['"]/gm;

test('every module of the view is served from /view/ as JavaScript under the page policy', async (t) => {
  const service = await startTestService(t);
  const shell = await (await fetch(`${service.url}/`)).text();
  t.regex(shell, /<script type="module" src="\/view\/app\.js"><\/script>/);
  t.notRegex(shell, /<script(?![^>]*\bsrc="\/view\/)/, 'no inline script, nothing from another origin');

  const seen = new Set<string>();
  const pending = ['app.js'];
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (seen.has(name)) continue;
    seen.add(name);
    const answer = await fetch(`${service.url}/view/${name}`);
    t.is(answer.status, 200, name);
    t.regex(answer.headers.get('content-type') ?? '', /^text\/javascript/, name);
    t.regex(answer.headers.get('content-security-policy') ?? '', /^default-src 'self'/, name);
    t.is(answer.headers.get('x-content-type-options'), 'nosniff', name);
    const source = await answer.text();
    t.notRegex(source, /^import\s[^'"]*['"](?!\.\/)/m, `${name} imports only its siblings`);
    for (const [, imported] of source.matchAll(IMPORT)) pending.push(imported!.slice(2));
  }
  t.true(seen.size > 1, 'app.js imports the rest of the view');
});

test('a module the view does not have is 404, and no path reaches the file system', async (t) => {
  const service = await startTestService(t);
  for (const path of [
    '/view/nope.js',
    '/view/..%2Froutes%2Fobservability-view.js',
    '/view/app.js.map',
    '/view/dom.ts',
  ]) {
    const answer = await fetch(`${service.url}${path}`);
    t.is(answer.status, 404, path);
    t.like(await answer.json(), { error: { code: 'not_found' } }, path);
  }
});

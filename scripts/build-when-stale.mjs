// `npm start` runs this first: it builds only when no complete build exists or a source is newer
// than it, so a start after the first build takes the service's own start-up time, not tsc's.
// Plain JavaScript because it runs before anything is compiled.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const STAMP = 'dist/.build-complete';
const SOURCES = ['src', 'package.json', 'package-lock.json'];

function newestChange(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, entry) => Math.max(newest, newestChange(join(path, entry))), stat.mtimeMs);
}

const tsconfigs = readdirSync('.').filter((name) => /^tsconfig.*\.json$/.test(name));
const builtAt = existsSync(STAMP) ? statSync(STAMP).mtimeMs : 0;
const changedAt = Math.max(...[...SOURCES, ...tsconfigs].map(newestChange));
if (changedAt > builtAt) {
  console.error(builtAt === 0 ? 'building (first start)…' : 'sources changed since the last build: building…');
  execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
}

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import test from 'ava';

// The tunnel needs smee.io, which tests cannot reach: what is checked is that it refuses bad
// arguments before connecting anywhere, naming what is wrong.

const SCRIPT = fileURLToPath(new URL('../../scripts/dev-tunnel.mjs', import.meta.url));

const run = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [SCRIPT, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8', timeout: 20_000 });

test('dev:tunnel --help prints its usage and exits 0', (t) => {
  const result = run(['--help']);
  t.is(result.status, 0);
  t.regex(result.stdout, /SMEE_URL .*smee\.io channel/);
});

for (const [what, args, env, message] of [
  ['a SMEE_URL that is no URL', [], { SMEE_URL: 'channel' }, /SMEE_URL must be a URL, not "channel"/],
  ['a SMEE_URL that is not http(s)', [], { SMEE_URL: 'ftp://smee.io/x' }, /SMEE_URL must be an http\(s\) URL/],
  ['a PORT that is no port', [], { PORT: 'abc', SMEE_URL: 'https://smee.io/x' }, /PORT must be a port number/],
  ['a --target that is no URL', ['--target', 'localhost'], { SMEE_URL: 'https://smee.io/x' }, /--target must be a URL/],
  ['an unknown option', ['--colour'], {}, /Unknown option '--colour'/],
] as const) {
  test(`dev:tunnel refuses ${what} with exit 2 and its usage`, (t) => {
    const result = run([...args], { ...env });
    t.is(result.status, 2);
    t.regex(result.stderr, message);
    t.regex(result.stderr, /usage: npm run dev:tunnel/);
  });
}

import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { eventually, startTestService, temporaryDir } from './support/test-service.js';

test('a second service on the same data directory refuses to start and takes nothing', async (t) => {
  const dataDir = temporaryDir(t);
  const first = await startTestService(t, { dataDir });
  const error = await t.throwsAsync(startTestService(t, { dataDir }));
  t.regex(error?.message ?? '', /in use by another process/);
  t.is((await fetch(`${first.url}/readyz`)).status, 200, 'the first one is untouched');
});

test('a pid lock file naming this very process (PID 1 restarted in its container) is taken over', async (t) => {
  const path = join(temporaryDir(t), 'restarted.sqlite');
  writeFileSync(`${path}.lock`, String(process.pid));
  const store = openSqliteStore({ path });
  t.teardown(() => store.close());
  await t.notThrowsAsync(store.ping());
});

/** Another process that opens the store and holds it until it is killed. */
async function holdInChild(t: ExecutionContext, path: string): Promise<ChildProcess> {
  const module = new URL('../src/store/sqlite/sqlite-store.js', import.meta.url).href;
  const child = spawn(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const { openSqliteStore } = await import(${JSON.stringify(module)});
       globalThis.held = openSqliteStore({ path: ${JSON.stringify(path)} });
       console.log('holding');
       setInterval(() => {}, 60_000);`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  t.teardown(() => child.kill('SIGKILL'));
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('holding') && resolve());
    child.once('exit', (code) => reject(new Error(`the holder exited with ${code}`)));
  });
  return child;
}

test('a store held by another live process refuses; once that process is killed, its lock is gone', async (t) => {
  const path = join(temporaryDir(t), 'held.sqlite');
  const holder = await holdInChild(t, path);
  t.throws(() => openSqliteStore({ path }), { message: /in use by another process/ });
  const exited = new Promise((resolve) => holder.once('exit', resolve));
  holder.kill('SIGKILL');
  await exited;
  const store = openSqliteStore({ path });
  t.teardown(() => store.close());
  await t.notThrowsAsync(store.ping());
});

function get(agent: Agent, url: string): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/healthz`, { agent }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.headers.connection));
    });
    req.once('error', reject);
    req.end();
  });
}

test('closing ends keep-alive connections that keep sending, instead of waiting on them', async (t) => {
  const service = await startTestService(t);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  t.teardown(() => agent.destroy());
  t.is(await get(agent, service.url), 'keep-alive');
  const headers: (string | undefined)[] = [];
  // The client never stops by itself: only the server ending its connections stops it.
  const client = (async (): Promise<string> => {
    for (;;) {
      try {
        headers.push(await get(agent, service.url));
      } catch (error) {
        return (error as NodeJS.ErrnoException).code ?? 'error';
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  // Served over the kept-alive connection a few times first, however slow the machine is.
  await eventually(async () => headers.length >= 2);
  await service.close();
  t.regex(await client, /ECONNREFUSED|ECONNRESET|EPIPE/);
});

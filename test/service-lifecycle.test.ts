import { writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import test from 'ava';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { eventually, startTestService, temporaryDir } from './support/test-service.js';

test('a second service on the same data directory refuses to start and takes nothing', async (t) => {
  const dataDir = temporaryDir(t);
  const first = await startTestService(t, { dataDir });
  const error = await t.throwsAsync(startTestService(t, { dataDir }));
  t.regex(error?.message ?? '', new RegExp(`in use by process ${process.pid}`));
  t.is((await fetch(`${first.url}/readyz`)).status, 200, 'the first one is untouched');
});

test('a lock left by a process that is gone is taken over', async (t) => {
  const path = join(temporaryDir(t), 'stale.sqlite');
  // Past the kernel's pid range: no such process.
  writeFileSync(`${path}.lock`, '4194305');
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

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { MongoClient } from 'mongodb';
import { freePort } from './free-port.js';

// A MongoDB for the tests: MONGODB_URI when set (CI starts ../shared/tools/mongo-wire-server),
// else the wire server started here, once per test file, on a free port.

const WIRE_SERVER = fileURLToPath(new URL('../../../../shared/tools/mongo-wire-server/run.sh', import.meta.url));

let started: Promise<string> | null = null;

export function mongoUri(): Promise<string> {
  const given = process.env.MONGODB_URI;
  if (given !== undefined && given !== '') return Promise.resolve(given);
  started ??= (async () => {
    if (!existsSync(WIRE_SERVER))
      throw new Error(`MONGODB_URI is not set and ${WIRE_SERVER} is missing: set MONGODB_URI to a MongoDB server`);
    const port = await freePort();
    const child = spawn(WIRE_SERVER, [String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
    process.once('exit', () => child.kill('SIGKILL'));
    child.unref();
    return new Promise<string>((resolve, reject) => {
      let output = '';
      const onData = (chunk: Buffer) => {
        output += chunk.toString('utf8');
        if (!output.includes('listening on mongodb://')) return;
        // Ready: the test process must not wait on the server's pipes to exit.
        for (const pipe of [child.stdout, child.stderr]) (pipe as unknown as Socket).unref();
        resolve(`mongodb://127.0.0.1:${port}`);
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('exit', (code) => reject(new Error(`the wire server exited with ${code}: ${output}`)));
    });
  })();
  return started;
}

export type StoreKind = 'sqlite' | 'mongodb';
export const STORE_KINDS: readonly StoreKind[] = ['sqlite', 'mongodb'];

/** Service environment selecting a store: the embedded default, or a fresh MongoDB database dropped afterwards. */
export async function storeEnv(
  t: { teardown(fn: () => Promise<void> | void): void },
  kind: StoreKind,
): Promise<Record<string, string>> {
  if (kind === 'sqlite') return {};
  const uri = await mongoUri();
  const database = `e2e_${randomBytes(6).toString('hex')}`;
  t.teardown(async () => {
    const admin = new MongoClient(uri);
    await admin.db(database).dropDatabase();
    await admin.close();
  });
  return { MONGODB_URI: uri, MONGODB_DB: database };
}

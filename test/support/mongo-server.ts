import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { ExecutionContext } from 'ava';
import { MongoClient } from 'mongodb';
import { freePort } from './free-port.js';

// A MongoDB for the tests: MONGODB_URI when set (CI starts ../shared/tools/mongo-wire-server),
// else the wire server started here, once per test file, on a free port. A plain clone has no
// ../shared beside it: there the MongoDB tests are declared skipped, so they are counted as
// such, and `npm test` prints why once (mongo-notice.ts).

const WIRE_SERVER = fileURLToPath(new URL('../../../../shared/tools/mongo-wire-server/run.sh', import.meta.url));

const givenUri = (): string | undefined => {
  const given = process.env.MONGODB_URI;
  return given === undefined || given === '' ? undefined : given;
};

/** Why the MongoDB tests cannot run here, or null when they can. */
export const MONGODB_SKIP_REASON: string | null =
  givenUri() !== undefined || existsSync(WIRE_SERVER)
    ? null
    : `MongoDB suites skipped: MONGODB_URI is not set and the wire server is not beside this checkout (${WIRE_SERVER}). ` +
      'Run them with MONGODB_URI=mongodb://host:port npm test, or with ../shared beside the checkout.';

export type DeclareTest = (title: string, implementation: (t: ExecutionContext) => Promise<void> | void) => void;

/** Declares a test on a store: as given, or skipped when it needs a MongoDB that cannot be had here. */
export function testOn(kind: StoreKind, declare: DeclareTest & { skip: DeclareTest }): DeclareTest {
  return kind === 'mongodb' && MONGODB_SKIP_REASON !== null ? declare.skip : declare;
}

let started: Promise<string> | null = null;

export function mongoUri(): Promise<string> {
  const given = givenUri();
  if (given !== undefined) return Promise.resolve(given);
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

import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ExecutionContext } from 'ava';

// The real server as an operator runs it: `node dist/src/main.js` in its own process.

export const MAIN_JS = fileURLToPath(new URL('../../src/main.js', import.meta.url));

export interface SpawnedService {
  child: ChildProcess;
  output(): string;
  /** Resolves with the service URL once it logs that it listens. */
  ready: Promise<string>;
  exited: Promise<number | null>;
}

/** The preload `npm start` uses: the OpenTelemetry SDK and its instrumentations. */
export const INSTRUMENT_JS = fileURLToPath(new URL('../../src/telemetry/instrument.js', import.meta.url));

export function spawnService(
  t: ExecutionContext,
  env: Record<string, string>,
  cwd?: string,
  nodeArgs: string[] = [],
): SpawnedService {
  const child = spawn(process.execPath, [...nodeArgs, MAIN_JS], {
    // Only PATH from the parent: the service must start from what the test gives it.
    env: { PATH: process.env.PATH ?? '', ...env },
    cwd: cwd ?? process.cwd(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      const match = /"url":"(http:\/\/[^"]+)".*"msg":"reconciler listening"/.exec(output);
      if (match?.[1] !== undefined) resolve(match[1]);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((code) => reject(new Error(`service exited with ${code} before listening:\n${output}`)));
  });
  ready.catch(() => undefined);
  t.teardown(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return { child, output: () => output, ready, exited };
}

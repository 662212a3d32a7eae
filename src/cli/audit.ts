#!/usr/bin/env node
import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { checkpointKeys, type SignedCheckpoint } from '../domain/audit/index.js';
import { openMongoStore } from '../store/mongo/mongo-store.js';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';
import type { Store } from '../store/store.js';
import { verifyAuditTrail, type CheckpointSource } from '../telemetry/audit-trail.js';

// `reconciler-audit verify`: checks a store's audit chain against checkpoints exported from it
// and the public keys that signed them, offline: no service and no secret, so that whoever
// holds the exported file and the public key can check a store its writer could have rewritten.
// Exit codes: 0 verified, 1 the chain does not verify (the first bad record is named), 2 usage.

const USAGE = `usage:
  reconciler-audit verify --checkpoints FILE.jsonl --public-key KEY.pem [--public-key OLD.pem ...]
                          (--sqlite DATA_DIR/reconciler.sqlite | --mongodb-uri URI [--mongodb-db NAME])
  A SQLite store is opened as its owner: stop the service first, or verify a copy of the file.`;

class UsageError extends Error {}

/** An exported checkpoint file, one signed checkpoint per line, in order. */
function fileCheckpoints(text: string): CheckpointSource {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  const list = lines.flatMap((line, i) => {
    try {
      return [JSON.parse(line) as SignedCheckpoint];
    } catch {
      // The service appends one line per checkpoint; a crash can cut the last one short.
      if (i < lines.length - 1) throw new UsageError(`line ${i + 1} of the checkpoint file is not JSON`);
      process.stderr.write(
        'the last line of the checkpoint file is cut short (a crash while it was written): skipped\n',
      );
      return [];
    }
  });
  return {
    covering: async (seq) => list.find((c) => c.seq >= seq) ?? null,
    numbered: async (number) => list.find((c) => c.number === number) ?? null,
    last: async () => list.at(-1) ?? null,
  };
}

const PEM_BLOCK = /-----BEGIN [A-Z ]+-----[\s\S]+?-----END [A-Z ]+-----/g;

async function openStore(values: { sqlite?: string; 'mongodb-uri'?: string; 'mongodb-db'?: string }): Promise<Store> {
  if (values.sqlite !== undefined && values['mongodb-uri'] === undefined)
    return openSqliteStore({ path: values.sqlite });
  if (values['mongodb-uri'] !== undefined && values.sqlite === undefined)
    return openMongoStore({ uri: values['mongodb-uri'], database: values['mongodb-db'] ?? 'reconciler' });
  throw new UsageError('give the store: --sqlite FILE or --mongodb-uri URI');
}

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        checkpoints: { type: 'string' },
        'public-key': { type: 'string', multiple: true },
        sqlite: { type: 'string' },
        'mongodb-uri': { type: 'string' },
        'mongodb-db': { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (positionals.join(' ') !== 'verify') throw new UsageError('the command is verify');
  if (values.checkpoints === undefined) throw new UsageError('give --checkpoints FILE.jsonl');
  const pems = (values['public-key'] ?? []).flatMap((path) => readFileSync(path, 'utf8').match(PEM_BLOCK) ?? []);
  if (pems.length === 0) throw new UsageError('give --public-key KEY.pem (the public half of AUDIT_SIGNING_KEY)');
  const keys = checkpointKeys(pems.map((pem) => createPublicKey(pem)));
  const source = fileCheckpoints(readFileSync(values.checkpoints, 'utf8'));
  const store = await openStore(values);
  try {
    const result = await verifyAuditTrail(store, { source, keys });
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    if (result.broken !== null)
      process.stderr.write(`audit record ${result.broken.seq} is bad: ${result.broken.problem}\n`);
    else if (result.signedCheckpoint === null) process.stderr.write('no signed checkpoint covers the chain yet\n');
    return result.ok ? 0 : 1;
  } finally {
    await store.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    if (error instanceof UsageError) process.stderr.write(`\n${USAGE}\n`);
    process.exitCode = 2;
  },
);

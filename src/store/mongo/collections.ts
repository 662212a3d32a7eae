import { MongoServerError, type Collection, type Db } from 'mongodb';
import type { Codec, Dialect, FlatRecord } from '../codec.js';

// The collections of the MongoDB store and how the shared field lists (../codec.ts) become
// documents: a field keeps its domain name, an entity's id is `_id`, a boolean is a boolean.
// Every document is built field by field from typed values, never from a request or a payload.

// String ids for platform entities and deliveries, numbers for GitHub ids (installations).
export interface Doc {
  _id?: string | number;
  [field: string]: unknown;
}

/** A lease runs until `renewedAt` (the database's time of the last take or renewal) plus `durationMs`. */
export interface LeaseDoc {
  _id: string;
  holder: string;
  durationMs: number;
  renewedAt: Date;
}

export interface Collections {
  deliveries: Collection<Doc>;
  payloads: Collection<Doc>;
  installations: Collection<Doc>;
  users: Collection<Doc>;
  links: Collection<Doc>;
  repos: Collection<Doc>;
  automations: Collection<Doc>;
  triggers: Collection<Doc>;
  audit: Collection<Doc>;
  checkpoint: Collection<Doc>;
  wakes: Collection<Doc>;
  leases: Collection<LeaseDoc>;
  endpoints: Collection<Doc>;
  wakeSends: Collection<Doc>;
  signedCheckpoints: Collection<Doc>;
}

export function collectionsOf(db: Db): Collections {
  return {
    deliveries: db.collection<Doc>('deliveries'),
    payloads: db.collection<Doc>('delivery_payloads'),
    installations: db.collection<Doc>('installations'),
    users: db.collection<Doc>('users'),
    links: db.collection<Doc>('user_installations'),
    repos: db.collection<Doc>('repo_rows'),
    automations: db.collection<Doc>('automations'),
    triggers: db.collection<Doc>('triggers'),
    audit: db.collection<Doc>('audit'),
    checkpoint: db.collection<Doc>('audit_checkpoint'),
    wakes: db.collection<Doc>('wakes'),
    leases: db.collection<LeaseDoc>('leases'),
    endpoints: db.collection<Doc>('wake_endpoints'),
    wakeSends: db.collection<Doc>('wake_sends'),
    signedCheckpoints: db.collection<Doc>('audit_signed_checkpoints'),
  };
}

const MONGO: Dialect = {
  encodeBool: (value) => value,
  decodeBool: (stored) => stored === true,
};

const fieldOf = (name: string): string => (name === 'id' ? '_id' : name);

/** A value's fields as a document (its id as `_id`). */
export const docOf = <T>(codec: Codec<T>, value: T): Doc => {
  const record: FlatRecord = codec.encode(value, MONGO);
  return Object.fromEntries(Object.entries(record).map(([name, v]) => [fieldOf(name), v]));
};

/** A value's fields but its id, for a `$set` on the document with that id. */
export const fieldsOf = <T>(codec: Codec<T>, value: T): Doc => {
  const { _id: _unused, ...fields } = docOf(codec, value);
  return fields;
};

const fromDoc = <T>(codec: Codec<T>, doc: Doc): T => codec.decode((name) => doc[fieldOf(name)], MONGO);

export const oneOf = <T>(codec: Codec<T>, doc: Doc | null): T | null => (doc === null ? null : fromDoc(codec, doc));

export const allOf = <T>(codec: Codec<T>, docs: readonly Doc[]): T[] => docs.map((doc) => fromDoc(codec, doc));

export const isDuplicateKey = (error: unknown): boolean => error instanceof MongoServerError && error.code === 11000;

/**
 * Two replicas upserting the same new key at once: one inserts, the other fails on the unique
 * index (MongoDB's documented upsert race). Done again, the update finds the document.
 */
export async function upsertOnce(write: () => Promise<unknown>): Promise<void> {
  try {
    await write();
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    await write();
  }
}

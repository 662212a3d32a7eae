import type { AuditCheckpoint, AuditRecord } from '../domain/audit/index.js';
import type { Delivery } from '../domain/delivery.js';
import type { Automation, Installation, RepoRow, StoredWake, Trigger, User, Wake } from '../domain/entities.js';
import type { StoredEndpoint, WakeSend } from '../domain/wake-push.js';

// One field list per stored value, shared by both engines: which fields a value has and how
// each one is stored. Free-form values (headers, permissions, audit before/after, trigger
// events) are stored as JSON strings, so nothing a client sends can become a query operator,
// a column or a field name. An engine supplies only how a field is named where it stores it
// (a SQLite column, a MongoDB field) and how it keeps a boolean.

/**
 * - `root`: a repo row's root directory; a base row keeps '' so that the unique key
 *   (user, repo, root directory) stays unique, where the domain says null.
 */
export type FieldKind = 'text' | 'textOrNull' | 'int' | 'intOrNull' | 'bool' | 'json' | 'jsonOrNull' | 'root';

export type FieldList<T> = { readonly [K in keyof T]-?: FieldKind };

/** What differs between the engines in how a value is kept. */
export interface Dialect {
  /** SQLite has no boolean (1 / 0); MongoDB has. */
  encodeBool(value: boolean): unknown;
  decodeBool(stored: unknown): boolean;
}

/** A value as a flat record of stored fields, keyed by the domain's field names. */
export type FlatRecord = Record<string, unknown>;

export interface Codec<T> {
  readonly fields: FieldList<T>;
  readonly names: readonly (keyof T & string)[];
  encode(value: T, dialect: Dialect): FlatRecord;
  /** `read` gives the stored value of a field by its domain name. */
  decode(read: (field: keyof T & string) => unknown, dialect: Dialect): T;
}

const isAbsent = (v: unknown): boolean => v === null || v === undefined;

function encodeField(kind: FieldKind, value: unknown, dialect: Dialect): unknown {
  switch (kind) {
    case 'bool':
      return dialect.encodeBool(value === true);
    case 'json':
      return JSON.stringify(value);
    case 'jsonOrNull':
      return isAbsent(value) ? null : JSON.stringify(value);
    case 'root':
      return (value as string | null) ?? '';
    default:
      return value ?? null;
  }
}

function decodeField(kind: FieldKind, stored: unknown, dialect: Dialect): unknown {
  switch (kind) {
    case 'text':
      return stored as string;
    case 'textOrNull':
      return isAbsent(stored) ? null : (stored as string);
    case 'int':
      return Number(stored);
    case 'intOrNull':
      return isAbsent(stored) ? null : Number(stored);
    case 'bool':
      return dialect.decodeBool(stored);
    case 'json':
      return JSON.parse(stored as string) as unknown;
    case 'jsonOrNull':
      return isAbsent(stored) ? null : (JSON.parse(stored as string) as unknown);
    case 'root':
      return stored === '' ? null : (stored as string);
  }
}

function defineCodec<T>(fields: FieldList<T>): Codec<T> {
  const names = Object.keys(fields) as (keyof T & string)[];
  return {
    fields,
    names,
    encode(value, dialect) {
      const record: FlatRecord = {};
      for (const name of names) record[name] = encodeField(fields[name], value[name], dialect);
      return record;
    },
    decode(read, dialect) {
      const value: FlatRecord = {};
      for (const name of names) value[name] = decodeField(fields[name], read(name), dialect);
      return value as T;
    },
  };
}

export const INSTALLATION = defineCodec<Installation>({
  id: 'int',
  accountId: 'intOrNull',
  accountLogin: 'textOrNull',
  accountType: 'textOrNull',
  targetType: 'textOrNull',
  permissions: 'jsonOrNull',
  repositorySelection: 'textOrNull',
  events: 'json',
  suspendedAt: 'textOrNull',
  suspendedBy: 'textOrNull',
  deletedAt: 'textOrNull',
  updatedAt: 'text',
});

export const USER = defineCodec<User>({
  id: 'text',
  githubUserId: 'int',
  githubLogin: 'text',
  createdAt: 'text',
  updatedAt: 'text',
});

export const REPO_ROW = defineCodec<RepoRow>({
  userId: 'text',
  repoId: 'int',
  rootDirectory: 'root',
  fullName: 'text',
  owner: 'text',
  name: 'text',
  defaultBranch: 'textOrNull',
  visibility: 'textOrNull',
  archived: 'bool',
  installationId: 'intOrNull',
  discoveredBy: 'text',
  lastSeenAt: 'text',
});

export const AUTOMATION = defineCodec<Automation>({
  id: 'text',
  userId: 'text',
  installationId: 'int',
  name: 'text',
  enabled: 'bool',
  updatedAt: 'text',
});

export const TRIGGER = defineCodec<Trigger>({
  id: 'text',
  userId: 'text',
  automationId: 'textOrNull',
  installationId: 'int',
  repoId: 'int',
  repoFullName: 'textOrNull',
  rootDirectory: 'textOrNull',
  events: 'json',
  enabled: 'bool',
  updatedAt: 'text',
});

const WAKE_FIELDS: FieldList<Wake> = {
  id: 'text',
  deliveryId: 'text',
  triggerId: 'text',
  automationId: 'textOrNull',
  userId: 'text',
  repoId: 'int',
  repoFullName: 'textOrNull',
  installationId: 'int',
  event: 'text',
  action: 'textOrNull',
  push: 'jsonOrNull',
  pullRequest: 'jsonOrNull',
  replayOf: 'textOrNull',
  createdAt: 'text',
};
export const WAKE = defineCodec<Wake>(WAKE_FIELDS);
export const STORED_WAKE = defineCodec<StoredWake>({ seq: 'int', ...WAKE_FIELDS });

export const ENDPOINT = defineCodec<StoredEndpoint>({
  id: 'text',
  url: 'text',
  secret: 'text',
  filter: 'json',
  enabled: 'bool',
  source: 'text',
  updatedAt: 'text',
  queuedThroughSeq: 'int',
  consecutiveFailures: 'int',
  pausedUntil: 'textOrNull',
  lastFailure: 'textOrNull',
  lastSuccessAt: 'textOrNull',
});

export const WAKE_SEND = defineCodec<WakeSend>({
  id: 'text',
  seq: 'int',
  endpointId: 'text',
  wakeId: 'text',
  body: 'text',
  state: 'text',
  attempts: 'int',
  nextAttemptAt: 'textOrNull',
  attemptLog: 'json',
  createdAt: 'text',
  finishedAt: 'textOrNull',
});

// Every delivery field but the payload, which only the worker reads (and can be 25 MB).
export const DELIVERY = defineCodec<Delivery>({
  seq: 'int',
  id: 'text',
  event: 'text',
  action: 'textOrNull',
  installationId: 'intOrNull',
  repoId: 'intOrNull',
  receivedAt: 'text',
  headers: 'json',
  state: 'text',
  attempts: 'int',
  error: 'textOrNull',
  reason: 'textOrNull',
  processedAt: 'textOrNull',
  nextAttemptAt: 'textOrNull',
  replayOf: 'textOrNull',
  traceparent: 'textOrNull',
  routingOutcome: 'textOrNull',
  routingReasons: 'jsonOrNull',
});

export const AUDIT_RECORD = defineCodec<AuditRecord>({
  id: 'text',
  seq: 'int',
  schemaVersion: 'int',
  kind: 'text',
  actor: 'text',
  source: 'json',
  subject: 'json',
  decision: 'text',
  reason: 'textOrNull',
  before: 'json',
  after: 'json',
  traceId: 'textOrNull',
  deliveryId: 'textOrNull',
  occurredAt: 'text',
  recordedAt: 'text',
  prevHash: 'textOrNull',
  hash: 'text',
});

export const AUDIT_CHECKPOINT = defineCodec<AuditCheckpoint>({
  seq: 'int',
  hash: 'text',
  prunedAt: 'text',
  pruned: 'int',
});

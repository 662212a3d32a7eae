import type Database from 'better-sqlite3';
import { EXPECTED_NON_MATCHES } from '../../domain/reason-classes.js';

// Schema versions of the embedded store, applied in order at start (PRAGMA user_version holds
// the last one applied). Append a new entry to change the schema; never edit a shipped one.

export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE deliveries (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    event TEXT NOT NULL,
    action TEXT,
    installation_id INTEGER,
    repo_id INTEGER,
    received_at TEXT NOT NULL,
    headers TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    error TEXT,
    reason TEXT,
    processed_at TEXT,
    next_attempt_at TEXT,
    lease_owner TEXT,
    lease_until TEXT
  );
  CREATE INDEX deliveries_by_state ON deliveries (state, seq);
  -- Payloads live apart: SQLite rewrites a whole row on UPDATE, and state changes are frequent.
  CREATE TABLE delivery_payloads (
    seq INTEGER PRIMARY KEY,
    payload TEXT NOT NULL
  );
  -- Partial: a new delivery touches neither, so acknowledging one updates fewer B-trees.
  CREATE INDEX deliveries_retry_due ON deliveries (next_attempt_at) WHERE state = 'failed';
  CREATE INDEX deliveries_lease_due ON deliveries (lease_until) WHERE state = 'processing';

  CREATE TABLE installations (
    id INTEGER PRIMARY KEY,
    account_id INTEGER,
    account_login TEXT,
    account_type TEXT,
    target_type TEXT,
    permissions TEXT,
    repository_selection TEXT,
    events TEXT NOT NULL,
    suspended_at TEXT,
    suspended_by TEXT,
    deleted_at TEXT,
    updated_at TEXT NOT NULL
  );

  CREATE TABLE users (
    id TEXT PRIMARY KEY,
    github_user_id INTEGER NOT NULL,
    github_login TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );

  CREATE TABLE user_installations (
    user_id TEXT NOT NULL,
    installation_id INTEGER NOT NULL,
    linked_at TEXT NOT NULL,
    PRIMARY KEY (user_id, installation_id)
  );
  CREATE INDEX user_installations_by_installation ON user_installations (installation_id, user_id);

  -- A base row stores root_directory as '' so that the key stays unique (NULLs never collide).
  CREATE TABLE repo_rows (
    user_id TEXT NOT NULL,
    repo_id INTEGER NOT NULL,
    root_directory TEXT NOT NULL,
    full_name TEXT NOT NULL,
    owner TEXT NOT NULL,
    name TEXT NOT NULL,
    default_branch TEXT,
    visibility TEXT,
    archived INTEGER NOT NULL,
    installation_id INTEGER,
    discovered_by TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    PRIMARY KEY (user_id, repo_id, root_directory)
  );
  CREATE INDEX repo_rows_by_repo ON repo_rows (repo_id);
  CREATE INDEX repo_rows_by_installation ON repo_rows (installation_id);

  CREATE TABLE automations (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    installation_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    enabled INTEGER NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX automations_by_user ON automations (user_id, id);

  CREATE TABLE triggers (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    automation_id TEXT,
    installation_id INTEGER NOT NULL,
    repo_id INTEGER NOT NULL,
    repo_full_name TEXT,
    root_directory TEXT,
    events TEXT NOT NULL,
    enabled INTEGER NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX triggers_by_user ON triggers (user_id, id);
  CREATE INDEX triggers_by_repo ON triggers (repo_id, id);

  CREATE TABLE audit (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    schema_version INTEGER NOT NULL,
    kind TEXT NOT NULL,
    actor TEXT NOT NULL,
    source_type TEXT NOT NULL,
    source_id TEXT NOT NULL,
    subject TEXT NOT NULL,
    user_id TEXT,
    repo_id INTEGER,
    decision TEXT NOT NULL,
    reason TEXT,
    before TEXT NOT NULL,
    after TEXT NOT NULL,
    trace_id TEXT,
    delivery_id TEXT,
    occurred_at TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    prev_hash TEXT,
    hash TEXT NOT NULL
  );
  CREATE INDEX audit_by_delivery ON audit (delivery_id, seq);
  CREATE INDEX audit_by_trace ON audit (trace_id, seq);
  CREATE INDEX audit_by_user ON audit (user_id, seq);
  CREATE INDEX audit_by_repo ON audit (repo_id, seq);
  CREATE INDEX audit_by_kind ON audit (kind, seq);
  CREATE INDEX audit_by_occurred ON audit (occurred_at);
  `,
  // 2: routing (R9, R10): replays, the wake outbox, and lookups by repo for the delivery story
  // and diagnosis.
  `
  ALTER TABLE deliveries ADD COLUMN replay_of TEXT;
  ALTER TABLE deliveries ADD COLUMN traceparent TEXT;
  ALTER TABLE deliveries ADD COLUMN routing_outcome TEXT;
  CREATE INDEX deliveries_by_repo ON deliveries (repo_id, seq);
  CREATE INDEX deliveries_by_routing_outcome ON deliveries (routing_outcome, seq);
  ALTER TABLE audit ADD COLUMN repo_full_name TEXT;
  CREATE INDEX audit_by_repo_full_name ON audit (repo_full_name COLLATE NOCASE, seq);
  ALTER TABLE audit ADD COLUMN installation_id INTEGER;
  CREATE INDEX audit_by_installation ON audit (installation_id, seq);
  -- Records written before these columns existed are found by them too.
  UPDATE audit SET installation_id = json_extract(subject, '$.installationId'),
    repo_full_name = json_extract(subject, '$.repoFullName');
  -- The story reads a delivery's routing records, routing reads a user's newest rebind.
  CREATE INDEX audit_by_delivery_kind ON audit (delivery_id, kind, seq);
  CREATE INDEX audit_by_user_kind ON audit (user_id, kind, seq);
  -- GitHub compares owner/name without case.
  CREATE INDEX repo_rows_by_full_name ON repo_rows (full_name COLLATE NOCASE);

  -- Where the audit chain starts once old records were pruned (one row at most).
  CREATE TABLE audit_checkpoint (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL,
    hash TEXT NOT NULL,
    pruned_at TEXT NOT NULL,
    pruned INTEGER NOT NULL
  );

  -- The outbox a runner consumes, in seq order (docs/routing.md, "Wakes").
  CREATE TABLE wakes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    delivery_id TEXT NOT NULL,
    trigger_id TEXT NOT NULL,
    automation_id TEXT,
    user_id TEXT NOT NULL,
    repo_id INTEGER NOT NULL,
    installation_id INTEGER NOT NULL,
    event TEXT NOT NULL,
    action TEXT,
    created_at TEXT NOT NULL
  );
  `,
  `
  -- Sync and the Projects view read a user's rows per installation in key order, and sync reads
  -- an installation's rows in pages: both in index order, without sorting or scanning.
  DROP INDEX repo_rows_by_installation;
  CREATE INDEX repo_rows_by_installation ON repo_rows (installation_id, user_id, repo_id, root_directory);
  CREATE INDEX repo_rows_by_user_installation ON repo_rows (user_id, installation_id, repo_id, root_directory);
  `,
  `
  -- Named leases for work only one process may do at a time (periodic jobs).
  CREATE TABLE leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    until TEXT NOT NULL
  );
  `,
  `
  -- A wake carries what a runner acts on: the repo's name, the push or pull request, and
  -- whether it is a replay's re-test.
  ALTER TABLE wakes ADD COLUMN repo_full_name TEXT;
  ALTER TABLE wakes ADD COLUMN push TEXT;
  ALTER TABLE wakes ADD COLUMN pull_request TEXT;
  ALTER TABLE wakes ADD COLUMN replay_of TEXT;

  -- Pushed wakes (docs/wake-push.md): runner endpoints and, per endpoint, the queue of sends.
  CREATE TABLE wake_endpoints (
    id TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    secret TEXT NOT NULL,
    filter TEXT NOT NULL,
    enabled INTEGER NOT NULL,
    source TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    queued_through_seq INTEGER NOT NULL,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    paused_until TEXT,
    last_failure TEXT,
    last_success_at TEXT
  );
  CREATE TABLE wake_sends (
    id TEXT PRIMARY KEY,
    seq INTEGER NOT NULL,
    endpoint_id TEXT NOT NULL REFERENCES wake_endpoints (id) ON DELETE CASCADE,
    wake_id TEXT NOT NULL,
    body TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    attempt_log TEXT NOT NULL DEFAULT '[]',
    created_at TEXT NOT NULL,
    finished_at TEXT,
    lease_owner TEXT,
    lease_until TEXT
  );
  CREATE INDEX wake_sends_due ON wake_sends (state, next_attempt_at);
  CREATE INDEX wake_sends_by_endpoint ON wake_sends (endpoint_id, seq);
  CREATE INDEX wake_sends_in_attempt ON wake_sends (state, lease_until);
  `,
  `
  -- Signed checkpoints of the audit chain (docs/audit.md), each kept whole as signed JSON.
  CREATE TABLE audit_signed_checkpoints (
    number INTEGER PRIMARY KEY,
    seq INTEGER NOT NULL UNIQUE,
    body TEXT NOT NULL
  );
  `,
  `
  -- Delivery search (issue 15): what routing found (its reason codes, whether one is a problem)
  -- and the triggers and automations it considered, each filter behind an index.
  ALTER TABLE deliveries ADD COLUMN routing_reasons TEXT;
  ALTER TABLE deliveries ADD COLUMN problem INTEGER NOT NULL DEFAULT 0;
  CREATE TABLE delivery_routing_facts (
    kind TEXT NOT NULL CHECK (kind IN ('trigger', 'automation', 'reason')),
    value TEXT NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (kind, value, seq)
  ) WITHOUT ROWID;
  CREATE INDEX deliveries_problems ON deliveries (problem, seq) WHERE problem = 1;
  CREATE INDEX deliveries_by_installation ON deliveries (installation_id, seq);
  CREATE INDEX deliveries_by_event ON deliveries (event, action, seq);
  CREATE INDEX deliveries_by_received ON deliveries (received_at);
  -- The search box finds an installation by its account's login, without case as GitHub compares.
  CREATE INDEX installations_by_login ON installations (account_login COLLATE NOCASE);
  -- Deliveries routed before this version: their facts from the routing records still kept.
  INSERT OR IGNORE INTO delivery_routing_facts (kind, value, seq)
    SELECT f.kind, f.value, d.seq FROM deliveries d JOIN (
      SELECT delivery_id, 'trigger' AS kind, json_extract(subject, '$.triggerId') AS value FROM audit WHERE kind = 'routing.decision'
      UNION ALL
      SELECT delivery_id, 'automation', json_extract(subject, '$.automationId') FROM audit WHERE kind = 'routing.decision'
      UNION ALL
      SELECT delivery_id, 'reason', reason FROM audit WHERE kind = 'routing.decision'
    ) f ON f.delivery_id = d.id
    WHERE f.value IS NOT NULL;
  INSERT OR IGNORE INTO delivery_routing_facts (kind, value, seq)
    SELECT 'reason', 'no_candidates', seq FROM deliveries WHERE routing_outcome = 'no_candidates';
  UPDATE deliveries SET routing_reasons = (
    SELECT json_group_array(value) FROM delivery_routing_facts WHERE kind = 'reason' AND seq = deliveries.seq
  ) WHERE routing_outcome IS NOT NULL;
  UPDATE deliveries SET problem = 1 WHERE seq IN (
    SELECT seq FROM delivery_routing_facts WHERE kind = 'reason'
      AND value NOT IN (${EXPECTED_NON_MATCHES.map((code) => `'${code}'`).join(', ')}));
  `,
  `
  -- The trigger list's filter by automation (GET /api/triggers?automationId=), in id order.
  CREATE INDEX triggers_by_automation ON triggers (automation_id, id);
  `,
];

/** Applies every migration the file has not seen yet, each in its own transaction. */
export function applyMigrations(db: Database.Database): void {
  const current = Number(db.pragma('user_version', { simple: true }));
  if (current > MIGRATIONS.length) {
    throw new Error(
      `the database at ${db.name} has schema version ${current}, newer than this build knows (${MIGRATIONS.length}); run a newer reconciler`,
    );
  }
  for (let version = current; version < MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version] ?? '');
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}

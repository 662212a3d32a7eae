import type Database from 'better-sqlite3';
import { ATTEMPT_LOG_LIMIT, newlyRegistered, type SendAttempt } from '../../domain/wake-push.js';
import { ENDPOINT, WAKE_SEND } from '../codec.js';
import type { WakePushStore } from '../ports/wake-push.js';
import { auditedWrite, type AppendAuditNow } from './audit.js';
import { columnsOf, oneOf, paramsOf, rowsOf } from './sqlite-codec.js';

const SEND_COLUMNS = columnsOf(WAKE_SEND);
const DUE = `((s.state = 'pending' AND s.next_attempt_at <= @now) OR (s.state = 'sending' AND s.lease_until <= @now))`;
const SENDABLE_ENDPOINT = `(e.enabled = 1 AND (e.paused_until IS NULL OR e.paused_until <= @now))`;

/** Runner endpoints and their send queues; an endpoint write commits with its audit. */
export function sqliteWakePush(db: Database.Database, appendAudit: AppendAuditNow): WakePushStore {
  const q = {
    endpointById: db.prepare(`SELECT ${columnsOf(ENDPOINT)} FROM wake_endpoints WHERE id = ?`),
    endpoints: db.prepare(`SELECT ${columnsOf(ENDPOINT)} FROM wake_endpoints ORDER BY id`),
    insertEndpoint: db.prepare(`
      INSERT INTO wake_endpoints (id, url, secret, filter, enabled, source, updated_at, queued_through_seq)
      VALUES (@id, @url, @secret, @filter, @enabled, @source, @updatedAt, @queuedThroughSeq)
      ON CONFLICT (id) DO UPDATE SET url = excluded.url, secret = excluded.secret, filter = excluded.filter,
        enabled = excluded.enabled, source = excluded.source, updated_at = excluded.updated_at`),
    deleteEndpoint: db.prepare('DELETE FROM wake_endpoints WHERE id = ?'),
    moveQueue: db.prepare(
      'UPDATE wake_endpoints SET queued_through_seq = @throughSeq WHERE id = @endpointId AND queued_through_seq = @fromSeq',
    ),
    insertSend: db.prepare(`
      INSERT INTO wake_sends (id, seq, endpoint_id, wake_id, body, state, next_attempt_at, created_at)
      VALUES (@id, @seq, @endpointId, @wakeId, @body, 'pending', @createdAt, @createdAt)
      ON CONFLICT (id) DO NOTHING`),
    dueSend: db.prepare(`
      SELECT s.id FROM wake_sends s JOIN wake_endpoints e ON e.id = s.endpoint_id
      WHERE s.state IN ('pending', 'sending') AND ${DUE} AND ${SENDABLE_ENDPOINT}
      ORDER BY s.next_attempt_at LIMIT 1`),
    claim: db.prepare(`
      UPDATE wake_sends SET state = 'sending', lease_owner = @workerId, lease_until = @leaseUntil
      WHERE id = @id RETURNING ${SEND_COLUMNS}`),
    sendLog: db.prepare(`SELECT attempt_log FROM wake_sends WHERE id = ? AND state = 'sending' AND lease_owner = ?`),
    finish: db.prepare(`
      UPDATE wake_sends SET state = @state, attempts = attempts + 1, next_attempt_at = @nextAttemptAt,
        attempt_log = @attemptLog, finished_at = @finishedAt, lease_owner = NULL, lease_until = NULL
      WHERE id = @id AND state = 'sending' AND lease_owner = @workerId`),
    healthy: db.prepare(`
      UPDATE wake_endpoints SET consecutive_failures = 0, paused_until = NULL, last_success_at = @now
      WHERE id = (SELECT endpoint_id FROM wake_sends WHERE id = @id)`),
    failing: db.prepare(`
      UPDATE wake_endpoints SET consecutive_failures = consecutive_failures + 1, last_failure = @failure,
        paused_until = CASE WHEN consecutive_failures + 1 >= @threshold
          AND (paused_until IS NULL OR paused_until <= @now) THEN @pauseUntil ELSE paused_until END
      WHERE id = (SELECT endpoint_id FROM wake_sends WHERE id = @id)`),
    requeueOne: db.prepare(`
      UPDATE wake_sends SET state = 'pending', next_attempt_at = @now, finished_at = NULL
      WHERE endpoint_id = @endpointId AND id = @sendId AND state = 'given_up'`),
    requeueSince: db.prepare(`
      UPDATE wake_sends SET state = 'pending', next_attempt_at = @now, finished_at = NULL
      WHERE endpoint_id = @endpointId AND state = 'given_up' AND finished_at >= @since`),
    backlog: db.prepare(`
      SELECT endpoint_id, count(*) AS pending, min(created_at) AS oldest FROM wake_sends
      WHERE state IN ('pending', 'sending') GROUP BY endpoint_id ORDER BY endpoint_id`),
    nextSendAt: db.prepare(`SELECT min(next_attempt_at) AS at FROM wake_sends WHERE state = 'pending'`),
  };
  const putNow = auditedWrite(db, appendAudit, (params: unknown) => q.insertEndpoint.run(params).changes > 0);
  const deleteNow = auditedWrite(db, appendAudit, (id: string) => q.deleteEndpoint.run(id).changes > 0);
  const queueNow = db.transaction(
    (endpointId: string, fromSeq: number, throughSeq: number, sends: readonly Record<string, unknown>[]) => {
      if (q.moveQueue.run({ endpointId, fromSeq, throughSeq }).changes === 0) return false;
      for (const send of sends) q.insertSend.run(send);
      return true;
    },
  );
  const claimNow = db.transaction((claim: { workerId: string; now: string; leaseUntil: string }) => {
    const due = q.dueSend.get({ now: claim.now }) as { id: string } | undefined;
    return due === undefined ? null : q.claim.get({ ...claim, id: due.id });
  });
  const finishNow = db.transaction(
    (id: string, workerId: string, now: string, finish: Parameters<WakePushStore['finishSend']>[3]) => {
      const row = q.sendLog.get(id, workerId) as { attempt_log: string } | undefined;
      if (row === undefined) return false;
      const log = [...(JSON.parse(row.attempt_log) as SendAttempt[]), finish.attempt].slice(-ATTEMPT_LOG_LIMIT);
      q.finish.run({
        id,
        workerId,
        state: finish.state,
        nextAttemptAt: finish.nextAttemptAt,
        attemptLog: JSON.stringify(log),
        finishedAt: finish.state === 'pending' ? null : now,
      });
      if (finish.state === 'delivered') q.healthy.run({ id, now });
      else
        q.failing.run({
          id,
          now,
          failure: `${finish.attempt.at}: ${finish.attempt.error ?? `HTTP ${finish.attempt.status}`}`,
          threshold: finish.pauseAfterFailures,
          pauseUntil: finish.pauseUntil,
        });
      return true;
    },
  );
  return {
    async putEndpoint(endpoint, startAfterSeq, audit) {
      const existed = q.endpointById.get(endpoint.id) !== undefined;
      putNow.immediate(audit, paramsOf(ENDPOINT, newlyRegistered(endpoint, startAfterSeq)));
      return existed ? 'updated' : 'created';
    },
    async getEndpoint(id) {
      return oneOf(ENDPOINT, q.endpointById.get(id));
    },
    async listEndpoints() {
      return rowsOf(ENDPOINT, q.endpoints.all());
    },
    async deleteEndpoint(id, audit) {
      return deleteNow.immediate(audit, id);
    },
    async queueSends(endpointId, fromSeq, throughSeq, sends) {
      return queueNow.immediate(
        endpointId,
        fromSeq,
        throughSeq,
        sends.map((send) => ({ ...send })),
      );
    },
    async claimSend(claim) {
      return oneOf(WAKE_SEND, claimNow.immediate(claim));
    },
    async finishSend(id, workerId, now, finish) {
      return finishNow.immediate(id, workerId, now, finish);
    },
    async listSends(query) {
      const where = ['endpoint_id = ?'];
      const params: unknown[] = [query.endpointId];
      if (query.states !== undefined) {
        where.push(`state IN (${query.states.map(() => '?').join(', ')})`);
        params.push(...query.states);
      }
      if (query.beforeSeq !== undefined) {
        where.push('seq < ?');
        params.push(query.beforeSeq);
      }
      const sql = `SELECT ${SEND_COLUMNS} FROM wake_sends WHERE ${where.join(' AND ')} ORDER BY seq DESC LIMIT ?`;
      return rowsOf(WAKE_SEND, db.prepare(sql).all(...params, query.limit));
    },
    async requeueSends(endpointId, which, now) {
      return 'sendId' in which
        ? q.requeueOne.run({ endpointId, sendId: which.sendId, now }).changes
        : q.requeueSince.run({ endpointId, since: which.givenUpSince, now }).changes;
    },
    async sendBacklog() {
      return (q.backlog.all() as { endpoint_id: string; pending: number; oldest: string | null }[]).map((row) => ({
        endpointId: row.endpoint_id,
        pending: Number(row.pending),
        oldestPendingAt: row.oldest,
      }));
    },
    async nextSendAt() {
      return (q.nextSendAt.get() as { at: string | null }).at;
    },
  };
}

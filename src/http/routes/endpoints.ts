import { Router } from 'express';
import { asAuditValue } from '../../domain/audit/api-change.js';
import {
  endpointCondition,
  endpointUrlProblem,
  signingSecretProblem,
  type EndpointFilter,
  type StoredEndpoint,
  type WakeEndpoint,
  type WakeSend,
} from '../../domain/wake-push.js';
import type { Store } from '../../store/store.js';
import { apiAudit } from '../api-audit.js';
import type { EndpointJson, EndpointsPage, RequeueAnswer, SendsPage, WakeSendJson } from '../api-shapes.js';
import { HttpError } from '../http-error.js';
import { endpointParams, endpointRequest, requeueRequest, sendsQuery } from '../openapi/endpoints.js';
import { parseBody, parseParams, parseQuery } from '../openapi/parse-request.js';
import { requireWebhookEvents } from '../validate.js';

// Runner endpoints (docs/wake-push.md): where woken triggers are pushed, signed, with retries.
// The secret is written, never read back: answers say only whether one is set.

/** The URL and the secret are judged by the sender's own rules (domain/wake-push.ts). */
function refuseProblem(field: string, problem: string | null): void {
  if (problem !== null) throw new HttpError(400, 'invalid_input', `${field}: ${problem}`);
}

function filterOf(filter: {
  automationIds?: string[] | null | undefined;
  userIds?: string[] | null | undefined;
  events?: string[] | null | undefined;
}): EndpointFilter {
  return {
    automationIds: filter.automationIds ?? null,
    userIds: filter.userIds ?? null,
    events: filter.events ?? null,
  };
}

export function endpointJson(endpoint: StoredEndpoint, pending: number, now: Date): EndpointJson {
  return {
    id: endpoint.id,
    url: endpoint.url,
    secretSet: endpoint.secret.length > 0,
    filter: {
      automationIds: endpoint.filter.automationIds === null ? null : [...endpoint.filter.automationIds],
      userIds: endpoint.filter.userIds === null ? null : [...endpoint.filter.userIds],
      events: endpoint.filter.events === null ? null : [...endpoint.filter.events],
    },
    enabled: endpoint.enabled,
    source: endpoint.source,
    condition: endpointCondition(endpoint, now),
    pending,
    consecutiveFailures: endpoint.consecutiveFailures,
    pausedUntil: endpoint.pausedUntil,
    lastFailure: endpoint.lastFailure,
    lastSuccessAt: endpoint.lastSuccessAt,
    queuedThroughSeq: endpoint.queuedThroughSeq,
    updatedAt: endpoint.updatedAt,
  };
}

function sendJson(send: WakeSend): WakeSendJson {
  const message = JSON.parse(send.body) as { data?: unknown };
  return {
    id: send.id,
    seq: send.seq,
    endpointId: send.endpointId,
    wakeId: send.wakeId,
    state: send.state,
    attempts: send.attempts,
    nextAttemptAt: send.nextAttemptAt,
    attemptLog: send.attemptLog,
    createdAt: send.createdAt,
    finishedAt: send.finishedAt,
    wake: message.data ?? null,
  };
}

export function endpointRoutes({ store, now }: { store: Store; now: () => Date }): Router {
  const router = Router();
  const pendingOf = async (): Promise<Map<string, number>> =>
    new Map((await store.sendBacklog()).map((b) => [b.endpointId, b.pending]));
  const find = async (params: unknown): Promise<StoredEndpoint> => {
    const { id } = parseParams(endpointParams, params);
    const endpoint = await store.getEndpoint(id);
    if (endpoint === null) throw new HttpError(404, 'endpoint_not_found', `no endpoint ${id}`);
    return endpoint;
  };
  const refuseConfigured = (endpoint: StoredEndpoint | null): void => {
    if (endpoint?.source === 'config')
      throw new HttpError(
        409,
        'configured_endpoint',
        `endpoint ${endpoint.id} is defined by WAKE_ENDPOINT_URL and WAKE_ENDPOINT_SECRET; change those and restart`,
      );
  };

  router.get('/endpoints', async (_req, res) => {
    const pending = await pendingOf();
    const at = now();
    const endpoints = (await store.listEndpoints()).map((e) => endpointJson(e, pending.get(e.id) ?? 0, at));
    res.json({ endpoints } satisfies EndpointsPage);
  });

  router.get('/endpoints/:id', async (req, res) => {
    const endpoint = await find(req.params);
    res.json({ endpoint: endpointJson(endpoint, (await pendingOf()).get(endpoint.id) ?? 0, now()) });
  });

  router.put('/endpoints/:id', async (req, res) => {
    const { id } = parseParams(endpointParams, req.params);
    const body = parseBody(endpointRequest, req.body);
    refuseProblem('url', endpointUrlProblem(body.url));
    if (body.secret !== undefined && body.secret !== null) refuseProblem('secret', signingSecretProblem(body.secret));
    if (body.filter?.events) await requireWebhookEvents(body.filter.events, 'filter.events');
    const before = await store.getEndpoint(id);
    refuseConfigured(before);
    const secret = body.secret ?? before?.secret;
    if (secret === undefined)
      throw new HttpError(
        400,
        'invalid_input',
        'secret: is required for a new endpoint (whsec_ and base64, e.g. echo whsec_$(openssl rand -base64 32))',
      );
    const at = now();
    const endpoint: WakeEndpoint = {
      id,
      url: body.url,
      secret,
      filter: filterOf(body.filter ?? {}),
      enabled: body.enabled ?? true,
      source: 'api',
      updatedAt: at.toISOString(),
    };
    // Never the secret in the audit trail: only whether it changed.
    const audited = (e: WakeEndpoint) => ({ url: e.url, filter: asAuditValue(e.filter), enabled: e.enabled });
    const change = await store.putEndpoint(endpoint, (await store.wakeBounds()).headSeq, [
      apiAudit(req, at, {
        kind: 'endpoint.put',
        subject: {},
        decision: before === null ? 'created' : 'updated',
        before: before === null ? null : audited(before),
        after: {
          ...audited(endpoint),
          secretChanged: before === null || (body.secret !== undefined && body.secret !== null && body.secret !== before.secret),
        },
      }),
    ]);
    const stored = await find({ id });
    res
      .status(change === 'created' ? 201 : 200)
      .json({ endpoint: endpointJson(stored, (await pendingOf()).get(id) ?? 0, at) });
  });

  router.delete('/endpoints/:id', async (req, res) => {
    const endpoint = await find(req.params);
    refuseConfigured(endpoint);
    const at = now();
    await store.deleteEndpoint(endpoint.id, [
      apiAudit(req, at, {
        kind: 'endpoint.deleted',
        subject: {},
        decision: 'deleted',
        before: { id: endpoint.id, url: endpoint.url },
        after: null,
      }),
    ]);
    res.status(204).end();
  });

  router.get('/endpoints/:id/sends', async (req, res) => {
    const { state, limit = 50, cursor: beforeSeq } = parseQuery(sendsQuery, req.query);
    const endpoint = await find(req.params);
    const sends = await store.listSends({
      endpointId: endpoint.id,
      limit,
      ...(state !== undefined ? { states: [state] } : {}),
      ...(beforeSeq !== undefined ? { beforeSeq } : {}),
    });
    const last = sends.at(-1);
    res.json({
      sends: sends.map(sendJson),
      nextCursor: sends.length === limit && last !== undefined ? String(last.seq) : null,
    } satisfies SendsPage);
  });

  // Given-up sends go out again: one (`sendId`), or every one given up since a time (`since`).
  router.post('/endpoints/:id/requeue', async (req, res) => {
    const endpoint = await find(req.params);
    const body = parseBody(requeueRequest, req.body);
    if (((body.sendId ?? null) === null) === ((body.since ?? null) === null))
      throw new HttpError(
        400,
        'invalid_input',
        'give exactly one of sendId (one send) or since (every send given up since that ISO time)',
      );
    let which: { sendId: string } | { givenUpSince: string };
    if (body.sendId !== undefined && body.sendId !== null) which = { sendId: body.sendId };
    else {
      const since = Date.parse(body.since ?? '');
      if (Number.isNaN(since))
        throw new HttpError(400, 'invalid_input', 'since: must be an ISO 8601 time such as 2026-11-25T08:00:00Z');
      which = { givenUpSince: new Date(since).toISOString() };
    }
    const at = now();
    const requeued = await store.requeueSends(endpoint.id, which, at.toISOString());
    if (requeued > 0)
      await store.appendAudit([
        apiAudit(req, at, {
          kind: 'endpoint.requeued',
          subject: {},
          decision: 'requeued',
          before: null,
          after: { endpointId: endpoint.id, ...which, requeued },
        }),
      ]);
    res.json({ requeued } satisfies RequeueAnswer);
  });
  return router;
}

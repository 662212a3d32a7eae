import { z } from 'zod';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import {
  arrayOf,
  boundedString,
  errorResponses,
  eventFilter,
  flag,
  isoTime,
  jsonAnswer,
  jsonBody,
  noContent,
  platformId,
  queryEnum,
  queryLimit,
  seqCursor,
} from './fields.js';

// Runner endpoints (docs/wake-push.md): where woken triggers are pushed, signed, with retries.

export const endpointParams = z.object({ id: platformId });

export const endpointFilterRequest = z.strictObject({
  automationIds: arrayOf(platformId, 1, 500).nullish(),
  userIds: arrayOf(platformId, 1, 500).nullish(),
  events: arrayOf(eventFilter, 1, 100).nullish(),
});

export const endpointRequest = z.strictObject({
  url: boundedString(2000),
  secret: boundedString(200).nullish().meta({ description: 'whsec_ and base64; required for a new endpoint' }),
  filter: endpointFilterRequest.nullish(),
  enabled: flag.nullish(),
});

export const endpointJson = z
  .object({
    id: z.string(),
    url: z.string(),
    secretSet: z.boolean(),
    filter: z.object({
      automationIds: z.array(z.string()).nullable(),
      userIds: z.array(z.string()).nullable(),
      events: z.array(z.string()).nullable(),
    }),
    enabled: z.boolean(),
    source: z.enum(['api', 'config']).meta({ description: '`config` for the endpoint WAKE_ENDPOINT_URL defines' }),
    condition: z.enum(['disabled', 'paused', 'failing', 'healthy']),
    pending: z.number().meta({ description: 'sends waiting for an attempt or in one' }),
    consecutiveFailures: z.number(),
    pausedUntil: isoTime.nullable(),
    lastFailure: z.string().nullable(),
    lastSuccessAt: isoTime.nullable(),
    queuedThroughSeq: z.number().meta({ description: 'the outbox position through which wakes were queued for it' }),
    updatedAt: isoTime,
  })
  .meta({ id: 'Endpoint', description: 'A runner endpoint; its secret is never shown.' });

export const endpointsPage = z.object({ endpoints: z.array(endpointJson) });
export const endpointAnswer = z.object({ endpoint: endpointJson });

const SEND_STATES = ['pending', 'sending', 'delivered', 'given_up'] as const;
export const sendState = z.enum(SEND_STATES);

export const wakeSendJson = z
  .object({
    id: z.string().meta({ description: 'the webhook-id sent' }),
    seq: z.number(),
    endpointId: z.string(),
    wakeId: z.string(),
    state: sendState,
    attempts: z.number(),
    nextAttemptAt: isoTime.nullable(),
    attemptLog: z.array(
      z.object({ at: isoTime, status: z.number().nullable(), error: z.string().nullable(), durationMs: z.number() }),
    ),
    createdAt: isoTime,
    finishedAt: isoTime.nullable(),
    wake: z.unknown().meta({ description: 'the wake as it was sent' }),
  })
  .meta({ id: 'WakeSend' });

export const sendsQuery = z.strictObject({ state: queryEnum(SEND_STATES), limit: queryLimit(500), cursor: seqCursor });
export const sendsPage = z.object({ sends: z.array(wakeSendJson), nextCursor: z.string().nullable() });

export const requeueRequest = z.strictObject({
  sendId: boundedString(300).nullish(),
  since: boundedString(40).nullish(),
});
export const requeueAnswer = z.object({ requeued: z.number() });

export function registerEndpointsPaths(registry: OpenAPIRegistry): void {
  const tags = ['endpoints'];
  registry.registerPath({
    method: 'get',
    path: '/api/endpoints',
    tags,
    summary: 'Every runner endpoint with its condition',
    responses: { 200: jsonAnswer('the endpoints', endpointsPage), ...errorResponses() },
  });
  registry.registerPath({
    method: 'put',
    path: '/api/endpoints/{id}',
    tags,
    summary: 'Register or change a runner endpoint',
    request: { params: endpointParams, body: jsonBody(endpointRequest) },
    responses: {
      200: jsonAnswer('changed', endpointAnswer),
      201: jsonAnswer('created', endpointAnswer),
      ...errorResponses(400, 409, 413),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/endpoints/{id}',
    tags,
    summary: 'One endpoint',
    request: { params: endpointParams },
    responses: { 200: jsonAnswer('the endpoint', endpointAnswer), ...errorResponses(400, 404) },
  });
  registry.registerPath({
    method: 'delete',
    path: '/api/endpoints/{id}',
    tags,
    summary: 'Delete an endpoint',
    request: { params: endpointParams },
    responses: { 204: noContent, ...errorResponses(400, 404, 409) },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/endpoints/{id}/sends',
    tags,
    summary: "An endpoint's sends, newest first, with every attempt",
    request: { params: endpointParams, query: sendsQuery },
    responses: { 200: jsonAnswer('a page of sends', sendsPage), ...errorResponses(400, 404) },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/endpoints/{id}/requeue',
    tags,
    summary: 'Send given-up sends again: one (sendId) or every one given up since a time (since)',
    request: { params: endpointParams, body: jsonBody(requeueRequest) },
    responses: { 200: jsonAnswer('how many were requeued', requeueAnswer), ...errorResponses(400, 404) },
  });
}

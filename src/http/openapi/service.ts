import { z } from 'zod';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { apiErrorBody, jsonAnswer } from './fields.js';
import { deliveryState } from './deliveries.js';

// The service's own routes outside /api: GitHub's webhook, health, readiness, and this document.

export const webhookAnswer = z.object({ status: z.string(), deliveryId: z.string(), state: deliveryState });

const errorAnswer = (description: string) => jsonAnswer(description, apiErrorBody);

export function registerServicePaths(registry: OpenAPIRegistry): void {
  const tags = ['service'];
  registry.registerPath({
    method: 'post',
    path: '/webhooks/github',
    tags,
    summary: 'GitHub deliveries, verified (X-Hub-Signature-256) and stored before the answer',
    security: [],
    request: {
      headers: z.object({
        'x-github-event': z.string(),
        'x-github-delivery': z.string(),
        'x-hub-signature-256': z.string(),
      }),
      body: { required: true, content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } } },
    },
    responses: {
      200: jsonAnswer('a repeated delivery id: acknowledged, not applied twice', webhookAnswer),
      202: jsonAnswer('stored', webhookAnswer),
      400: errorAnswer('a malformed body or missing headers'),
      401: errorAnswer('a bad signature: nothing stored'),
      408: errorAnswer('the body stalled'),
      413: errorAnswer("past GitHub's 25 MB cap"),
      503: errorAnswer('too many webhook bodies in memory: retry'),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/healthz',
    tags,
    summary: 'The process is up',
    security: [],
    responses: { 200: jsonAnswer('up', z.object({ status: z.literal('ok') })) },
  });
  registry.registerPath({
    method: 'get',
    path: '/readyz',
    tags,
    summary: 'The store and the worker can take deliveries',
    security: [],
    responses: {
      200: jsonAnswer(
        'ready (a paused worker is ready: deliveries are still stored)',
        z.object({
          status: z.literal('ready'),
          store: z.literal('ok'),
          worker: z.enum(['running', 'paused']),
          ingress: z.object({ bodyBytesInFlight: z.number(), bodyBytesBudget: z.number() }),
        }),
      ),
      503: errorAnswer('not ready: the store, the worker or the ingress budget'),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/openapi.json',
    tags,
    summary: 'This document (no token needed: it holds no data)',
    security: [],
    responses: { 200: jsonAnswer('the OpenAPI 3.1 document', z.record(z.string(), z.unknown())) },
  });
}

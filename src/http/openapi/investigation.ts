import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { deliveryParams } from './deliveries.js';
import { errorResponses, jsonAnswer } from './fields.js';

// The investigation routes (issue 15) beside the delivery search: the search box and a
// delivery's payload. The same schemas validate the requests and describe them in the document.

export const searchQuery = z.strictObject({ q: z.string().trim().min(1).max(200) });

export const SEARCH_KINDS = ['repo', 'delivery', 'trigger', 'automation', 'installation', 'trace', 'user'] as const;

export const searchAnswer = z
  .object({
    query: z.string(),
    matches: z.array(
      z.object({
        kind: z.enum(SEARCH_KINDS),
        id: z.string(),
        label: z.string(),
        detail: z.string().nullable(),
        formerName: z
          .string()
          .optional()
          .meta({ description: 'the name typed, when the repo is called otherwise today' }),
      }),
    ),
  })
  .meta({ id: 'SearchAnswer' });

export const deliveryPayloadAnswer = z
  .object({
    deliveryId: z.string(),
    event: z.string(),
    action: z.string().nullable(),
    receivedAt: z.string(),
    headers: z
      .record(z.string(), z.string())
      .meta({ description: 'the request headers as GitHub sent them (lower-case names), without X-Hub-Signature*' }),
    payload: z.record(z.string(), z.unknown()).meta({ description: 'the JSON body as signed' }),
  })
  .meta({ id: 'DeliveryPayload' });

export function registerInvestigationPaths(registry: OpenAPIRegistry): void {
  const tags = ['deliveries'];
  registry.registerPath({
    method: 'get',
    path: '/api/search',
    tags,
    summary:
      'What the search box text names: repos (also by a former name), deliveries, triggers, automations, installations, users, a trace id',
    request: { query: searchQuery },
    responses: { 200: jsonAnswer('the matches, most specific first', searchAnswer), ...errorResponses(400) },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/deliveries/{deliveryId}/payload',
    tags,
    summary: 'The stored payload and headers of a delivery',
    request: { params: deliveryParams },
    responses: {
      200: jsonAnswer('the payload as signed and the headers as sent', deliveryPayloadAnswer),
      ...errorResponses(404),
    },
  });
}

import { z } from 'zod';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import {
  arrayOf,
  boundedString,
  errorResponses,
  eventFilter,
  flag,
  githubId,
  idCursor,
  isoTime,
  jsonAnswer,
  jsonBody,
  noContent,
  platformId,
  queryLimit,
  repoFullName,
  repoIdOrName,
  rootDirectory,
} from './fields.js';

// Automations and triggers: the installation-scoped bindings that routing and rebinding act on.

export const bindingParams = z.object({ id: platformId });

export const automationRequest = z.strictObject({
  userId: platformId,
  installationId: githubId,
  name: boundedString(200),
  enabled: flag.nullish(),
});

export const automationJson = z
  .object({
    id: z.string(),
    userId: z.string(),
    installationId: z.number(),
    name: z.string(),
    enabled: z.boolean(),
    updatedAt: isoTime,
  })
  .meta({ id: 'Automation' });

export const triggerRequest = z
  .strictObject({
    userId: platformId,
    automationId: platformId.nullish(),
    installationId: githubId,
    repoId: githubId.nullish(),
    repoFullName: repoFullName.nullish(),
    rootDirectory: rootDirectory.nullish(),
    events: arrayOf(eventFilter, 1, 50),
    enabled: flag.nullish(),
  })
  .meta({
    description:
      "An entry `event` matches every action, `event.action` one action. Give repoId, or repoFullName alone: it is resolved to the id through the user's repo rows (409 when unknown or ambiguous).",
  });

export const triggerJson = z
  .object({
    id: z.string(),
    userId: z.string(),
    automationId: z.string().nullable(),
    installationId: z.number(),
    repoId: z.number(),
    repoFullName: z.string().nullable(),
    rootDirectory: z.string().nullable(),
    events: z.array(z.string()),
    enabled: z.boolean(),
    updatedAt: isoTime,
  })
  .meta({ id: 'Trigger' });

export const automationAnswer = z.object({ automation: automationJson });
export const triggerAnswer = z.object({ trigger: triggerJson });

export const automationsQuery = z.strictObject({
  userId: platformId.optional(),
  cursor: idCursor,
  limit: queryLimit(1000),
});
export const automationsPage = z.object({ automations: z.array(automationJson), nextCursor: z.string().nullable() });

export const triggersQuery = z.strictObject({
  userId: platformId.optional(),
  repo: repoIdOrName.optional(),
  automationId: platformId.optional(),
  cursor: idCursor,
  limit: queryLimit(1000),
});
export const triggersPage = z.object({ triggers: z.array(triggerJson), nextCursor: z.string().nullable() });

export function registerBindingsPaths(registry: OpenAPIRegistry): void {
  const tags = ['bindings'];
  registry.registerPath({
    method: 'get',
    path: '/api/automations',
    tags,
    summary: 'Automations in id order',
    request: { query: automationsQuery },
    responses: { 200: jsonAnswer('a page of automations', automationsPage), ...errorResponses(400) },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/triggers',
    tags,
    summary: 'Triggers in id order; filters combine with AND',
    request: { query: triggersQuery },
    responses: { 200: jsonAnswer('a page of triggers', triggersPage), ...errorResponses(400) },
  });
  for (const [noun, request, answer] of [
    ['automation', automationRequest, automationAnswer],
    ['trigger', triggerRequest, triggerAnswer],
  ] as const) {
    const path = `/api/${noun}s/{id}`;
    registry.registerPath({
      method: 'put',
      path,
      tags,
      summary: `Create or replace a ${noun}`,
      request: { params: bindingParams, body: jsonBody(request) },
      responses: {
        200: jsonAnswer('replaced', answer),
        201: jsonAnswer('created', answer),
        ...errorResponses(400, 404, 409, 413),
      },
    });
    registry.registerPath({
      method: 'delete',
      path,
      tags,
      summary: `Delete a ${noun} (audited with what was deleted)`,
      request: { params: bindingParams },
      responses: { 204: noContent, ...errorResponses(400, 404) },
    });
  }
}

import { z } from 'zod';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import {
  boundedString,
  errorResponses,
  githubId,
  githubIdText,
  idCursor,
  isoTime,
  jsonAnswer,
  jsonBody,
  noContent,
  platformId,
  queryEnum,
  queryLimit,
  rootDirectory,
} from './fields.js';

// Users, their installations (R6) and their Projects view (R5).

const GITHUB_LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;

export const COVERAGES = ['covered', 'visible_only', 'bound_to_gone'] as const;
export const coverage = z.enum(COVERAGES);
export const INSTALLATION_STATES = ['active', 'suspended', 'deleted'] as const;
export const installationState = z.enum(INSTALLATION_STATES);

export const userParams = z.object({ userId: platformId });
export const linkParams = z.object({ userId: platformId, installationId: githubIdText });

export const userRequest = z.strictObject({
  githubUserId: githubId,
  githubLogin: boundedString(39, GITHUB_LOGIN, 'must be a GitHub login'),
});

export const userJson = z
  .object({ id: z.string(), githubUserId: z.number(), githubLogin: z.string(), createdAt: isoTime, updatedAt: isoTime })
  .meta({ id: 'User' });

export const userAnswer = z.object({ user: userJson });

export const usersQuery = z.strictObject({ cursor: idCursor, limit: queryLimit(1000) });
export const usersPage = z.object({
  users: z.array(userJson),
  nextCursor: z.string().nullable(),
});

export const linkAnswer = z.object({ userId: z.string(), installationId: z.number(), linked: z.literal(true) });

export const metadataField = z.enum(['accountLogin', 'accountType', 'targetType', 'permissions']);

export const installationJson = z
  .object({
    id: z.number(),
    accountLogin: z.string().nullable(),
    accountType: z.string().nullable(),
    targetType: z.string().nullable(),
    permissions: z.record(z.string(), z.string()).nullable(),
    state: installationState,
    repositorySelection: z.enum(['all', 'selected']).nullable(),
    suspendedAt: isoTime.nullable(),
    deletedAt: isoTime.nullable(),
    /** What the view's metadata refresh (R6) did for this installation. */
    refresh: z.object({
      status: z.enum(['complete', 'refreshed', 'unavailable', 'failed']),
      filled: z.array(metadataField),
      missing: z.array(metadataField),
      message: z.string().nullable(),
    }),
  })
  .meta({ id: 'Installation' });

export const installationsAnswer = z.object({ installations: z.array(installationJson) });

export const subProjectRequest = z.strictObject({ repoId: githubId, rootDirectory });

export const projectRowJson = z
  .object({
    repoId: z.number(),
    fullName: z.string(),
    owner: z.string(),
    name: z.string(),
    defaultBranch: z.string().nullable(),
    rootDirectory: z.string().nullable().meta({ description: 'null for base rows' }),
    installationId: z.number().nullable(),
    coverage,
    installationState: z.union([installationState, z.literal('unknown')]).nullable(),
    visibility: z.enum(['public', 'private', 'internal']).nullable(),
    archived: z.boolean(),
    discoveredBy: z.enum(['oauth', 'installation', 'webhook']),
    lastSeenAt: isoTime,
  })
  .meta({ id: 'ProjectRow' });

export const projectsQuery = z.object({
  include: queryEnum(['all']),
  limit: queryLimit(1000),
  cursor: z.string().optional(),
});

export const projectsAnswer = z.object({
  rows: z.array(projectRowJson),
  installationSyncActive: z.boolean(),
  nextCursor: z.string().nullable(),
  hiddenVisibleOnly: z.number().meta({ description: 'OAuth-only rows left out of the active list (include=all shows them)' }),
});

export function registerUsersPaths(registry: OpenAPIRegistry): void {
  const tags = ['users'];
  registry.registerPath({
    method: 'get',
    path: '/api/users',
    tags,
    summary: 'Users in id order',
    request: { query: usersQuery },
    responses: { 200: jsonAnswer('a page of users', usersPage), ...errorResponses(400) },
  });
  registry.registerPath({
    method: 'put',
    path: '/api/users/{userId}',
    tags,
    summary: 'Create or update a user',
    request: { params: userParams, body: jsonBody(userRequest) },
    responses: {
      200: jsonAnswer('updated', userAnswer),
      201: jsonAnswer('created', userAnswer),
      ...errorResponses(400, 413),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/users/{userId}',
    tags,
    summary: 'One user',
    request: { params: userParams },
    responses: { 200: jsonAnswer('the user', userAnswer), ...errorResponses(400, 404) },
  });
  registry.registerPath({
    method: 'put',
    path: '/api/users/{userId}/installations/{installationId}',
    tags,
    summary: 'Link a user to an installation',
    request: { params: linkParams },
    responses: {
      200: jsonAnswer('already linked', linkAnswer),
      201: jsonAnswer('linked', linkAnswer),
      ...errorResponses(400, 404),
    },
  });
  registry.registerPath({
    method: 'delete',
    path: '/api/users/{userId}/installations/{installationId}',
    tags,
    summary: 'Unlink a user from an installation',
    request: { params: linkParams },
    responses: { 204: noContent, ...errorResponses(400, 404) },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/users/{userId}/installations',
    tags,
    summary: "The user's installations, missing metadata filled in from GitHub (R6)",
    request: { params: userParams },
    responses: { 200: jsonAnswer('the installations', installationsAnswer), ...errorResponses(400, 404) },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/users/{userId}/projects',
    tags,
    summary: 'The Projects view (R5): covered repos first, in a stable order',
    request: { params: userParams, query: projectsQuery },
    responses: { 200: jsonAnswer('a page of rows', projectsAnswer), ...errorResponses(400, 404) },
  });
  registry.registerPath({
    method: 'put',
    path: '/api/users/{userId}/projects',
    tags,
    summary: 'Create a sub-project row under an existing base row',
    request: { params: userParams, body: jsonBody(subProjectRequest) },
    responses: {
      200: jsonAnswer('it existed', z.object({ row: projectRowJson })),
      201: jsonAnswer('created', z.object({ row: projectRowJson })),
      ...errorResponses(400, 404),
    },
  });
}

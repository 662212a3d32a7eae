import { Router } from 'express';
import { sparseInstallation, type RepoRow, type User } from '../../domain/entities.js';
import { projectView } from '../../domain/projects.js';
import type { Store } from '../../store/store.js';
import { linkUser, putUser, unlinkUser } from '../../reconcile/users.js';
import { apiAudit, apiOrigin, asAuditValue } from '../api-audit.js';
import { HttpError } from '../http-error.js';
import { linkParams, subProjectRequest, userParams, userRequest, usersQuery } from '../openapi/users.js';
import { nextIdCursor } from '../openapi/fields.js';
import type { UsersPage } from '../api-shapes.js';
import { parseBody, parseParams, parseQuery } from '../openapi/parse-request.js';

export interface UserRouteDeps {
  store: Store;
  now: () => Date;
}

export async function requireUser(store: Store, userId: string): Promise<User> {
  const user = await store.getUser(userId);
  if (user === null)
    throw new HttpError(404, 'user_not_found', `no user ${userId}; create it with PUT /api/users/${userId}`);
  return user;
}

export function userRoutes({ store, now }: UserRouteDeps): Router {
  const router = Router();

  router.get('/users', async (req, res) => {
    const { cursor, limit = 100 } = parseQuery(usersQuery, req.query);
    const users = await store.listUsers({ limit, ...(cursor !== undefined ? { afterId: cursor } : {}) });
    res.json({ users, nextCursor: nextIdCursor(users, limit) } satisfies UsersPage);
  });

  router.put('/users/:userId', async (req, res) => {
    const { userId } = parseParams(userParams, req.params);
    const body = parseBody(userRequest, req.body);
    const at = now();
    const before = await store.getUser(userId);
    const user: User = {
      id: userId,
      githubUserId: body.githubUserId,
      githubLogin: body.githubLogin,
      createdAt: before?.createdAt ?? at.toISOString(),
      updatedAt: at.toISOString(),
    };
    await putUser(store, user, before, apiOrigin(req, at));
    res.status(before ? 200 : 201).json({ user });
  });

  router.get('/users/:userId', async (req, res) => {
    res.json({ user: await requireUser(store, parseParams(userParams, req.params).userId) });
  });

  router.put('/users/:userId/installations/:installationId', async (req, res) => {
    const { userId, installationId } = parseParams(linkParams, req.params);
    await requireUser(store, userId);
    const at = now();
    // Linking may come before any webhook about the installation: keep a row whose metadata the
    // installations view fills in from GitHub (R6).
    if ((await store.getInstallation(installationId)) === null) {
      await store.upsertInstallation(sparseInstallation(installationId, at.toISOString()));
    }
    const linked = await linkUser(store, userId, installationId, apiOrigin(req, at));
    res.status(linked ? 201 : 200).json({ userId, installationId, linked: true });
  });

  router.delete('/users/:userId/installations/:installationId', async (req, res) => {
    const { userId, installationId } = parseParams(linkParams, req.params);
    if ((await unlinkUser(store, userId, installationId, apiOrigin(req, now()))) === null) {
      throw new HttpError(404, 'link_not_found', `user ${userId} is not linked to installation ${installationId}`);
    }
    res.status(204).end();
  });

  router.put('/users/:userId/projects', async (req, res) => {
    const { userId } = parseParams(userParams, req.params);
    const body = parseBody(subProjectRequest, req.body);
    await requireUser(store, userId);
    const base = await store.getRepoRow({ userId, repoId: body.repoId, rootDirectory: null });
    if (base === null) {
      throw new HttpError(
        404,
        'base_row_not_found',
        `user ${userId} has no repo ${body.repoId}; sync the user's repos before adding a sub-project`,
      );
    }
    const key = { userId, repoId: body.repoId, rootDirectory: body.rootDirectory };
    const existing = await store.getRepoRow(key);
    const row: RepoRow = existing ?? { ...base, ...key, lastSeenAt: now().toISOString() };
    if (existing === null) {
      await store.writeRepoRows(
        [row],
        [
          apiAudit(req, now(), {
            kind: 'repo.subproject_created',
            subject: { userId, repoId: row.repoId, repoFullName: row.fullName },
            decision: 'created',
            before: null,
            after: asAuditValue(row),
          }),
        ],
      );
    }
    const installation = row.installationId === null ? null : await store.getInstallation(row.installationId);
    res.status(existing ? 200 : 201).json({ row: projectView(row, installation) });
  });

  return router;
}

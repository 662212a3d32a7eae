import type { z } from 'zod';
import type * as users from '../openapi/users.js';

// Users, their installations (R6) and their Projects view (R5).

export type Coverage = z.infer<typeof users.coverage>;
export type InstallationState = z.infer<typeof users.installationState>;
/** `PUT /api/users/:userId`. */
export type UserRequest = z.input<typeof users.userRequest>;
export type UserJson = z.infer<typeof users.userJson>;
/** `PUT` and `GET /api/users/:userId`. */
export type UserAnswer = z.infer<typeof users.userAnswer>;
/** `GET /api/users`. */
export type UsersPage = z.infer<typeof users.usersPage>;
/** `PUT /api/users/:userId/installations/:installationId`. */
export type LinkAnswer = z.infer<typeof users.linkAnswer>;
export type MetadataField = z.infer<typeof users.metadataField>;
export type InstallationJson = z.infer<typeof users.installationJson>;
/** `GET /api/users/:userId/installations`. */
export type InstallationsAnswer = z.infer<typeof users.installationsAnswer>;
/** `PUT /api/users/:userId/projects`: a sub-project row under an existing base row. */
export type SubProjectRequest = z.input<typeof users.subProjectRequest>;
export type ProjectRowJson = z.infer<typeof users.projectRowJson>;
/** `GET /api/users/:userId/projects[?include=all]` (R5). */
export type ProjectsAnswer = z.infer<typeof users.projectsAnswer>;

import type { z } from 'zod';
import type * as syncs from '../openapi/syncs.js';

// A user's sync: what it decided, and its progress while it runs.

/** `POST /api/users/:userId/sync`. */
export type SyncRequest = z.input<typeof syncs.syncRequest>;
export type RowDecision = z.infer<typeof syncs.rowDecision>;
export type DecisionCounts = z.infer<typeof syncs.decisionCounts>;
export type RebindOutcomeJson = z.infer<typeof syncs.rebindOutcomeJson>;
export type InstallationSyncJson = z.infer<typeof syncs.installationSyncJson>;
export type OAuthSyncJson = z.infer<typeof syncs.oauthSyncJson>;
/** What a sync decided (the answer of a synchronous `POST /api/users/:userId/sync`). */
export type UserSyncJson = z.infer<typeof syncs.userSyncJson>;
/** `POST /api/users/:userId/sync?async=1` (202). */
export type SyncStarted = z.infer<typeof syncs.syncStarted>;
/** `GET /api/syncs/:syncId`. */
export type SyncProgressJson = z.infer<typeof syncs.syncProgressJson>;
/** `GET /api/syncs`: newest first, without each one's result (GET /api/syncs/:syncId has it). */
export type SyncsPage = z.infer<typeof syncs.syncsPage>;

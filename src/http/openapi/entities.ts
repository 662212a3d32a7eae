import { z } from 'zod';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { automationJson, triggerJson } from './bindings.js';
import { deliveryListItem } from './deliveries.js';
import { errorResponses, githubIdText, isoTime, jsonAnswer, orNull, platformId } from './fields.js';
import { coverage as coverageJson, installationState as installationStateJson } from './users.js';

// The entity pages of the Observability view (issue 15, item 5): a repo, a trigger, an
// automation and an installation, each with what an operator asks about it next. Browser-safe on
// purpose (zod only): the view type-checks the shapes inferred from these (api-shapes/entities.ts).

export const repoParams = z.strictObject({ repoId: githubIdText });
export const triggerParams = z.strictObject({ id: platformId });
export const automationParams = z.strictObject({ id: platformId });
export const installationParams = z.strictObject({ installationId: githubIdText });

export const repoRowOfUserJson = z.object({
  userId: z.string(),
  repoId: z.number(),
  fullName: z.string(),
  rootDirectory: z.string().nullable(),
  installationId: z.number().nullable(),
  coverage: coverageJson,
  installationState: z.enum(['active', 'suspended', 'deleted', 'unknown']).nullable(),
  discoveredBy: z.enum(['oauth', 'installation', 'webhook']),
  archived: z.boolean(),
  lastSeenAt: isoTime,
});

export const repoPageJson = z
  .object({
    repoId: z.number(),
    fullName: z.string().nullable(),
    formerNames: z
      .array(z.object({ name: z.string(), until: isoTime }))
      .meta({ description: 'names the audit trail knows the repo by before a rename or transfer, newest first' }),
    rows: z.array(repoRowOfUserJson),
    triggers: z.array(triggerJson),
    latestDeliveries: z.array(deliveryListItem),
  })
  .meta({ id: 'RepoPage' });

export const triggerBindingJson = z
  .object({
    installationId: z.number(),
    installationAccount: z.string().nullable(),
    installationState: z.enum(['active', 'suspended', 'deleted', 'unknown']),
    automationInstallationId: z.number().nullable(),
    agreesWithAutomation: z
      .boolean()
      .nullable()
      .meta({ description: 'null without an automation; false when the automation is bound elsewhere' }),
    repoRow: z
      .object({ installationId: z.number().nullable(), coverage: coverageJson, fullName: z.string() })
      .nullable()
      .meta({ description: "the trigger's user's base row of the repo; null when the user has none" }),
    agreesWithRepoRow: z
      .boolean()
      .nullable()
      .meta({ description: 'null without a row; false when the row is bound to another installation (stale binding)' }),
  })
  .meta({ id: 'TriggerBinding' });

export const decisionJson = z.object({
  deliveryId: z.string(),
  receivedAt: isoTime,
  outcome: z.enum(['woken', 'not_woken']),
  reason: z.string().nullable(),
});

export const triggerPageJson = z
  .object({
    trigger: triggerJson,
    automation: orNull(automationJson),
    binding: triggerBindingJson,
    latestDecisions: z.array(decisionJson).meta({ description: 'newest first' }),
  })
  .meta({ id: 'TriggerPage' });

export const automationPageJson = z
  .object({ automation: automationJson, triggers: z.array(triggerJson) })
  .meta({ id: 'AutomationPage' });

export const installationSyncJson = z.object({
  occurredAt: isoTime,
  userId: z.string().nullable(),
  decision: z.string(),
  reason: z.string().nullable(),
  traceId: z.string().nullable(),
  counts: z.record(z.string(), z.number()).meta({ description: 'row decisions of the run, where it recorded them' }),
});

export const installationPageJson = z
  .object({
    installation: z.object({
      id: z.number(),
      account: z.object({ id: z.number().nullable(), login: z.string().nullable(), type: z.string().nullable() }),
      state: installationStateJson,
      repositorySelection: z.enum(['all', 'selected']).nullable(),
      targetType: z.string().nullable(),
      events: z.array(z.string()),
      suspendedAt: isoTime.nullable(),
      deletedAt: isoTime.nullable(),
      updatedAt: isoTime,
    }),
    linkedUsers: z.array(z.string()),
    coverage: z
      .object({ rows: z.number(), covered: z.number(), notCovered: z.number() })
      .meta({ description: 'the repo rows (every user) bound to this installation, and how many it covers' }),
    latestSyncs: z
      .array(installationSyncJson)
      .meta({ description: 'its installation syncs, newest first (audit trail)' }),
  })
  .meta({ id: 'InstallationPage' });

export function registerEntityPaths(registry: OpenAPIRegistry): void {
  const tags = ['entities'];
  const pages = [
    [
      '/api/repos/{repoId}',
      repoParams,
      repoPageJson,
      'A repo: its rows per user, names it had, triggers, latest deliveries',
    ],
    ['/api/triggers/{id}', triggerParams, triggerPageJson, 'A trigger: its binding and latest decisions'],
    ['/api/automations/{id}', automationParams, automationPageJson, 'An automation and its triggers'],
    [
      '/api/installations/{installationId}',
      installationParams,
      installationPageJson,
      'An installation: state, linked users, coverage counts, latest syncs',
    ],
  ] as const;
  for (const [path, params, page, summary] of pages)
    registry.registerPath({
      method: 'get',
      path,
      tags,
      summary,
      request: { params },
      responses: { 200: jsonAnswer(summary, page), ...errorResponses(400, 404) },
    });
}

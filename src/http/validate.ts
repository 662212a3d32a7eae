import { HttpError } from './http-error.js';

// What the request schemas (openapi/) cannot say by themselves: checks against lists loaded at
// run time. The error names the field, as a schema's does.

let webhookEventNames: Promise<ReadonlySet<string>> | null = null;

/**
 * Refuses entries that are no GitHub webhook event or event.action (`pushh`), as the list
 * @octokit/webhooks ships names them. Loaded on first use: the package costs 4 MB of memory
 * that a service which never registers a trigger should not carry.
 */
export async function requireWebhookEvents(entries: readonly string[], field: string): Promise<void> {
  webhookEventNames ??= import('@octokit/webhooks').then((webhooks) => new Set(webhooks.emitterEventNames));
  const known = await webhookEventNames;
  entries.forEach((entry, index) => {
    if (!known.has(entry))
      throw new HttpError(
        400,
        'invalid_input',
        `${field}[${index}]: "${entry}" is not a GitHub webhook event or event.action`,
      );
  });
}

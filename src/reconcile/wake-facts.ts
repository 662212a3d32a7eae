import type { EmitterWebhookEvent } from '@octokit/webhooks/types';
import type { PullRequestFacts, PushFacts } from '../domain/entities.js';
import { claim, idOf, textOf, type ParsedPayload } from './webhooks/claimed-payload.js';

// The routing facts a runner acts on, read from the payload once when a wake is written, so
// that most runners never fetch the payload (GET /api/deliveries/:id/payload has it all).

export interface WakeFacts {
  push: PushFacts | null;
  pullRequest: PullRequestFacts | null;
}

export function wakeFactsOf(event: string, payload: ParsedPayload): WakeFacts {
  if (event === 'push') {
    const push = claim<EmitterWebhookEvent<'push'>['payload']>(payload);
    const head = push?.head_commit;
    const headId = textOf(head?.id);
    return {
      push: {
        ref: textOf(push?.ref),
        before: textOf(push?.before),
        after: textOf(push?.after),
        headCommit: headId === null ? null : { id: headId, timestamp: textOf(head?.timestamp), url: textOf(head?.url) },
      },
      pullRequest: null,
    };
  }
  if (event === 'pull_request') {
    const pull = claim<EmitterWebhookEvent<'pull_request'>['payload']>(payload)?.pull_request;
    return {
      push: null,
      pullRequest: {
        number: idOf(pull?.number),
        headSha: textOf(pull?.head?.sha),
        headRef: textOf(pull?.head?.ref),
        baseSha: textOf(pull?.base?.sha),
        baseRef: textOf(pull?.base?.ref),
      },
    };
  }
  return { push: null, pullRequest: null };
}

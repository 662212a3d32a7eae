import { randomUUID } from 'node:crypto';
import type { ExecutionContext } from 'ava';
import type { Delivery } from '../../src/domain/delivery.js';
import { serviceWithFakeGitHub } from './app-world.js';
import type { FakeGitHub, FakeRepo } from './fake-github.js';
import { deliver, pushPayload, repositoryPayload } from './github-payloads.js';
import { eventually, json, TEST_SECRET, type TestService } from './test-service.js';
import { postDelivery, signedDelivery } from './webhook-samples.js';

// Issue 15's investigation, as a world: user u1 holds the organisation installation 22 (acme-org)
// and a personal one, 11 (octocat). acme-org/billing was renamed acme-org/billing-api; its
// deploy trigger t-deploy and automation a-deploy are still bound to the personal installation
// (the sync skipped the rebind, since u1 holds two), so its pushes wake nothing: a stale binding.
// acme-org/web's trigger t-web is bound right and wakes. Pushes to repos without any trigger
// are the expected non-matches that used to flood "woke nothing".

export const ORG_INSTALLATION = 22;
export const PERSONAL_INSTALLATION = 11;
export const BILLING_OLD: FakeRepo = { id: 10002, owner: 'acme-org', name: 'billing' };
export const BILLING: FakeRepo = { ...BILLING_OLD, name: 'billing-api' };
export const WEB: FakeRepo = { id: 10003, owner: 'acme-org', name: 'web' };
export const DOTFILES: FakeRepo = { id: 20001, owner: 'octocat', name: 'dotfiles' };
/** Repos without a trigger: their pushes are expected non-matches. */
export const QUIET_REPOS: FakeRepo[] = Array.from({ length: 20 }, (_, i) => ({
  id: 10100 + i,
  owner: 'acme-org',
  name: `service-${String(i).padStart(2, '0')}`,
}));

export interface InvestigationWorld {
  fake: FakeGitHub;
  service: TestService;
  /** The latest push to acme-org/billing-api: it woke nothing because of the stale binding. */
  latestBillingPush: Delivery;
}

async function ok(response: Promise<Response>): Promise<Response> {
  const answered = await response;
  if (answered.status >= 300) throw new Error(`${answered.status}: ${await answered.text()}`);
  return answered;
}

/** Posts signed pushes a few at a time, without waiting for each to be applied. */
async function postPushes(service: TestService, pushes: { repo: FakeRepo; installationId: number }[]): Promise<void> {
  const BATCH = 16;
  for (let start = 0; start < pushes.length; start += BATCH) {
    await Promise.all(
      pushes.slice(start, start + BATCH).map(async ({ repo, installationId }) => {
        const signed = await signedDelivery(
          TEST_SECRET,
          'push',
          `noise-${randomUUID()}`,
          pushPayload(repo, installationId, ['src/index.ts']),
        );
        const answer = await postDelivery(service.url, signed);
        if (answer.status !== 202) throw new Error(`push answered ${answer.status}`);
      }),
    );
  }
}

export async function investigationWorld(
  t: ExecutionContext,
  options: { env?: Record<string, string>; noiseDeliveries?: number } = {},
): Promise<InvestigationWorld> {
  const { fake, service } = await serviceWithFakeGitHub(t, options.env === undefined ? {} : { env: options.env });
  fake.installations.set(PERSONAL_INSTALLATION, {
    id: PERSONAL_INSTALLATION,
    account: { id: 1, login: 'octocat', type: 'User' },
    repos: [DOTFILES],
  });
  const org = { id: ORG_INSTALLATION, account: { id: 5, login: 'acme-org', type: 'Organization' as const } };
  fake.installations.set(ORG_INSTALLATION, { ...org, repos: [BILLING_OLD, WEB, ...QUIET_REPOS] });
  await ok(service.api('/api/users/u1', json('PUT', { githubUserId: 1, githubLogin: 'octocat' })));
  await ok(service.api(`/api/users/u1/installations/${PERSONAL_INSTALLATION}`, { method: 'PUT' }));
  await ok(service.api(`/api/users/u1/installations/${ORG_INSTALLATION}`, { method: 'PUT' }));
  // The deploy automation was set up while the repo was reachable only through the personal installation.
  await ok(
    service.api(
      '/api/automations/a-deploy',
      json('PUT', { userId: 'u1', installationId: PERSONAL_INSTALLATION, name: 'Deploy billing' }),
    ),
  );
  await ok(
    service.api(
      '/api/triggers/t-deploy',
      json('PUT', {
        userId: 'u1',
        automationId: 'a-deploy',
        installationId: PERSONAL_INSTALLATION,
        repoId: BILLING.id,
        repoFullName: `${BILLING_OLD.owner}/${BILLING_OLD.name}`,
        events: ['push'],
      }),
    ),
  );
  await ok(
    service.api(
      '/api/triggers/t-web',
      json('PUT', { userId: 'u1', installationId: ORG_INSTALLATION, repoId: WEB.id, events: ['push'] }),
    ),
  );
  await ok(service.api('/api/users/u1/sync', json('POST', {})));

  // The rename: GitHub renames the repo and says so.
  fake.installations.set(ORG_INSTALLATION, { ...org, repos: [BILLING, WEB, ...QUIET_REPOS] });
  const renamed = repositoryPayload('renamed', BILLING, ORG_INSTALLATION);
  await deliver(service, 'repository', {
    ...renamed,
    changes: { repository: { name: { from: BILLING_OLD.name } } },
  });

  // A few hundred deliveries: mostly pushes to repos without triggers, some to web.
  const noise = options.noiseDeliveries ?? 0;
  await postPushes(
    service,
    Array.from({ length: noise }, (_, i) => ({
      repo: i % 5 === 0 ? WEB : (QUIET_REPOS[i % QUIET_REPOS.length] as FakeRepo),
      installationId: ORG_INSTALLATION,
    })),
  );
  await deliver(service, 'push', pushPayload(BILLING, ORG_INSTALLATION, ['src/billing.ts']));
  await eventually(async () => (await service.store.inboxBacklog()).pending === 0, 120_000);
  const latestBillingPush = await deliver(service, 'push', pushPayload(BILLING, ORG_INSTALLATION, ['src/api.ts']));
  // MongoDB copies a finished delivery's audit records out just after it marks it done.
  await eventually(
    async () =>
      (await service.store.listAudit({ limit: 1, deliveryId: latestBillingPush.id, kind: 'routing.decision' })).length >
      0,
    10_000,
  );
  return { fake, service, latestBillingPush };
}

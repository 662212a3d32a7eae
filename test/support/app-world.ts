import type { ExecutionContext } from 'ava';
import type { ServiceOverrides } from '../../src/service.js';
import { startFakeGitHub, type FakeGitHub, type FakeRepo } from './fake-github.js';
import { json, startTestService, TEST_SECRET, type TestService } from './test-service.js';

/**
 * A service with GitHub App credentials against the fake GitHub, and user u1 linked to
 * installation 11 (account octo-org) holding `repos`. The fake sends its webhooks to the service.
 */
/** A fake GitHub, and a service holding App credentials for it. */
export async function serviceWithFakeGitHub(
  t: ExecutionContext,
  options: { env?: Record<string, string>; overrides?: ServiceOverrides } = {},
): Promise<{ fake: FakeGitHub; service: TestService }> {
  const fake = await startFakeGitHub(t);
  const service = await startTestService(t, {
    env: {
      ...options.env,
      GITHUB_API_URL: fake.url,
      GITHUB_APP_ID: String(fake.appId),
      GITHUB_APP_PRIVATE_KEY: fake.privateKey,
    },
    ...(options.overrides !== undefined ? { overrides: options.overrides } : {}),
  });
  return { fake, service };
}

export async function appWorld(
  t: ExecutionContext,
  repos: FakeRepo[],
  options: { env?: Record<string, string>; overrides?: ServiceOverrides } = {},
): Promise<{ fake: FakeGitHub; service: TestService }> {
  const { fake, service } = await serviceWithFakeGitHub(t, options);
  fake.webhook = { url: `${service.url}/webhooks/github`, secret: TEST_SECRET };
  fake.installations.set(11, { id: 11, account: { id: 5, login: 'octo-org', type: 'Organization' }, repos });
  await service.api('/api/users/u1', json('PUT', { githubUserId: 1, githubLogin: 'u1' }));
  await service.api('/api/users/u1/installations/11', { method: 'PUT' });
  return { fake, service };
}

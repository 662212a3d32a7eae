import { checkedFetch } from './openapi-check.js';
import type { ExecutionContext } from 'ava';
import { installationPayload, OCTO_API } from './github-payloads.js';
import { storeEnv } from './mongo-server.js';
import { spawnService, type SpawnedService } from './spawned-service.js';
import { eventually, json, temporaryDir, TEST_SECRET, TEST_TOKEN } from './test-service.js';
import { postDelivery, signedDelivery } from './webhook-samples.js';

// Two replicas of the service on one MongoDB database (R12), each its own process, with the
// routing model built through the first: user u1 on installation 22, which covers
// octo-org/api, and trigger t1 of u1 on its pushes.

export interface ReplicaWorld {
  a: SpawnedService;
  b: SpawnedService;
  urlA: string;
  urlB: string;
  /** The API of replica a, with the token. */
  api: (path: string, init?: RequestInit) => Promise<Response>;
  /** The environment both replicas run with. */
  env: Record<string, string>;
}

export async function replicaWorld(t: ExecutionContext, extraEnv: Record<string, string> = {}): Promise<ReplicaWorld> {
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    PORT: '0',
    API_TOKEN: TEST_TOKEN,
    GITHUB_WEBHOOK_SECRET: TEST_SECRET,
    ...extraEnv,
    ...(await storeEnv(t, 'mongodb')),
  };
  const a = spawnService(t, { ...env, DATA_DIR: temporaryDir(t) });
  const b = spawnService(t, { ...env, DATA_DIR: temporaryDir(t) });
  const [urlA, urlB] = await Promise.all([a.ready, b.ready]);
  const api = (path: string, init: RequestInit = {}) =>
    checkedFetch(`${urlA}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${TEST_TOKEN}`, ...(init.headers as Record<string, string> | undefined) },
    });
  await api('/api/users/u1', json('PUT', { githubUserId: 1, githubLogin: 'u1' }));
  await api('/api/users/u1/installations/22', { method: 'PUT' });
  await postDelivery(
    urlA,
    await signedDelivery(TEST_SECRET, 'installation', 'setup-1', installationPayload('created', 22, [OCTO_API])),
  );
  // Routing reads the coverage this delivery writes: the pushes that follow must find it.
  await eventually(async () => {
    const answer = (await (await api('/api/deliveries/setup-1')).json()) as { delivery?: { state: string } };
    return answer.delivery?.state === 'applied';
  }, 10_000);
  await api(
    '/api/triggers/t1',
    json('PUT', { userId: 'u1', installationId: 22, repoId: OCTO_API.id, events: ['push'] }),
  );
  return { a, b, urlA, urlB, api, env };
}

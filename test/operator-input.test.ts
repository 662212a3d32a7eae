import anyTest from 'ava';
import { MongoClient } from 'mongodb';
import { deliver, installationPayload, pushPayload, OCTO_API } from './support/github-payloads.js';
import { storeEnv, testOn } from './support/mongo-server.js';
import { json, startTestService } from './support/test-service.js';

const test = testOn('mongodb', anyTest);

// NoSQL injection (R12): operator-shaped input in API bodies, paths, queries and webhook fields
// is refused before it reaches MongoDB, or stored as a plain value, never interpreted.

const OPERATOR = { $ne: null };

const refusals: [string, string, RequestInit][] = [
  ['an operator as a GitHub user id', '/api/users/u1', json('PUT', { githubUserId: OPERATOR, githubLogin: 'x' })],
  ['an operator as a login', '/api/users/u1', json('PUT', { githubUserId: 1, githubLogin: { $gt: '' } })],
  ['a $ key in a body', '/api/users/u1', json('PUT', { githubUserId: 1, githubLogin: 'x', $set: { admin: true } })],
  ['a dotted key in a body', '/api/users/u1', json('PUT', { githubUserId: 1, githubLogin: 'x', 'a.b': 1 })],
  ['an operator-shaped user id in the path', `/api/users/${encodeURIComponent('{"$ne":null}')}`, { method: 'GET' }],
  ['a $ user id in the path', '/api/users/$where', { method: 'GET' }],
  [
    'an operator as a repo id',
    '/api/triggers/t1',
    json('PUT', { userId: 'u1', installationId: 22, repoId: { $gt: 0 }, events: ['push'] }),
  ],
  [
    'an operator as an event',
    '/api/triggers/t1',
    json('PUT', { userId: 'u1', installationId: 22, repoId: 7, events: [{ $gt: '' }] }),
  ],
  [
    'a $ event name',
    '/api/triggers/t1',
    json('PUT', { userId: 'u1', installationId: 22, repoId: 7, events: ['$push'] }),
  ],
  ['an operator in an audit filter', `/api/audit?userId[$ne]=x`, { method: 'GET' }],
  [
    'an operator-shaped repo in an audit filter',
    `/api/audit?repo=${encodeURIComponent('{"$ne":null}')}`,
    { method: 'GET' },
  ],
  ['an operator in diagnose', `/api/diagnose?userId[$ne]=&repo=o/r`, { method: 'GET' }],
  ['an operator-shaped installation id', '/api/users/u1/installations/%7B%22%24gt%22%3A0%7D', { method: 'PUT' }],
];

test('operator-shaped input is refused with a 400 and changes nothing in MongoDB', async (t) => {
  const env = await storeEnv(t, 'mongodb');
  const service = await startTestService(t, { env });
  await service.api('/api/users/u1', json('PUT', { githubUserId: 1, githubLogin: 'u1' }));
  const client = new MongoClient(env.MONGODB_URI ?? '');
  t.teardown(() => client.close());
  const db = client.db(env.MONGODB_DB);
  const before = await db.collection('users').find().toArray();
  for (const [what, path, init] of refusals) {
    const response = await service.api(path, init);
    t.is(response.status, 400, what);
    t.truthy(((await response.json()) as { error?: { code: string } }).error?.code, `${what}: a JSON error`);
  }
  t.deepEqual(await db.collection('users').find().toArray(), before);
  t.is(await db.collection('triggers').countDocuments(), 0);
});

test('operator-shaped webhook fields are read as no value, and the payload is kept as plain text', async (t) => {
  const env = await storeEnv(t, 'mongodb');
  const service = await startTestService(t, { env });
  const push = pushPayload(OCTO_API, 22, ['a']);
  const hostile = {
    ...push,
    repository: { ...(push.repository as object), id: OPERATOR, full_name: { $gt: '' } },
    installation: { id: { $ne: null } },
  };
  const routed = await deliver(service, 'push', hostile);
  t.like(routed, { state: 'ignored', repoId: null, installationId: null });
  t.is(await service.store.getDeliveryPayload(routed.id), JSON.stringify(hostile));
  const installation = installationPayload('created', 22, [OCTO_API]);
  const broken = await deliver(service, 'installation', {
    ...installation,
    installation: { ...(installation.installation as object), id: { $ne: null } },
  });
  t.like(broken, { state: 'ignored', reason: 'the payload has no installation id' });
  const client = new MongoClient(env.MONGODB_URI ?? '');
  t.teardown(() => client.close());
  t.is(await client.db(env.MONGODB_DB).collection('installations').countDocuments(), 0);
});

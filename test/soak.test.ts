import test from 'ava';
import { planSoak } from '../bench/soak-plan.js';
import { runSoak } from '../bench/soak-run.js';
import { STORE_KINDS, storeEnv, testOn } from './support/mongo-server.js';

// The soak benchmark's core at a small size (npm run bench:soak runs it at 10,000): a real
// server killed once mid-run loses nothing, applies nothing twice, and ends in the modelled state.

for (const storeKind of STORE_KINDS) {
  testOn(storeKind, test)(
    `${storeKind}: a soak run with a SIGKILL mid-run finishes every delivery once, as modelled, and ends in the modelled state`,
    async (t) => {
      t.timeout(120_000);
      const result = await runSoak({
        deliveries: 300,
        concurrency: 10,
        installations: 20,
        kills: 1,
        seed: 7,
        storeEnv: await storeEnv(t, storeKind),
      });
      t.deepEqual(result.problems, []);
      t.true(result.ok);
      t.is(result.kills, 1);
    },
  );
}

test('the soak plan is deterministic, keeps each stream in order and covers every event kind', (t) => {
  const plan = planSoak({ deliveries: 500, installations: 10, seed: 3 });
  t.deepEqual(plan, planSoak({ deliveries: 500, installations: 10, seed: 3 }));
  const deliveries = plan.flatMap((stream) => stream.deliveries);
  t.is(deliveries.length, 500);
  t.is(new Set(deliveries.map((d) => d.id)).size, 500);
  for (const stream of plan) t.is(stream.deliveries[0]?.event, 'installation', 'each stream starts by installing');
  const kinds = new Set(
    deliveries.map((d) => `${d.event}.${(JSON.parse(d.body) as { action?: string }).action ?? ''}`),
  );
  for (const kind of [
    'installation.created',
    'installation_repositories.added',
    'installation_repositories.removed',
    'repository.renamed',
    'push.',
    'pull_request.opened',
  ])
    t.true(kinds.has(kind), kind);
  t.true(deliveries.some((d) => d.expect === 'ignored'));
  t.true(deliveries.some((d) => d.wakes));
});

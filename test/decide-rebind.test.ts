import test from 'ava';
import { decideRebind, type BoundEntity } from '../src/domain/decide-rebind.js';

const entities: BoundEntity[] = [
  { type: 'automation', id: 'a1', installationId: 22 },
  { type: 'trigger', id: 't1', installationId: 22 },
  { type: 'trigger', id: 't2', installationId: 11 },
];

test('exactly one current installation, the one synced: stale bindings are rebound to it', (t) => {
  t.deepEqual(decideRebind([11], 11, entities), {
    kind: 'rebind',
    to: 11,
    entities: [
      { type: 'automation', id: 'a1', from: 22 },
      { type: 'trigger', id: 't1', from: 22 },
    ],
  });
});

test('nothing stale: a rebind with no entities', (t) => {
  t.deepEqual(decideRebind([11], 11, [{ type: 'trigger', id: 't2', installationId: 11 }]), {
    kind: 'rebind',
    to: 11,
    entities: [],
  });
});

for (const [title, current, synced, reason, ids] of [
  ['no current installation', [], 11, 'no_installations', []],
  ['several current installations', [22, 11], 11, 'several_installations', [11, 22]],
  ['one current installation that is not the one synced', [22], 11, 'installation_mismatch', [22]],
  ['a duplicated id is still one installation', [22, 22], 11, 'installation_mismatch', [22]],
] as const) {
  test(`${title}: skip with reason ${reason} and the ids`, (t) => {
    t.deepEqual(decideRebind(current, synced, entities), {
      kind: 'skip',
      reason,
      installationIds: [...ids],
      syncedInstallationId: synced,
    });
  });
}

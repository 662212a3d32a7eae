import test from 'ava';
import { diagnoseRepo, type DiagnosisFacts } from '../src/domain/diagnose.js';
import { sparseInstallation, type Installation } from '../src/domain/entities.js';
import { FIXTURE_TIME, repoRowFixture } from './support/fixtures.js';

// Diagnose is consistent with itself (issue 17): when step 1 finds no live installation of the
// repo's owner for the user, step 2 cannot call the repo App-covered, whatever the row says.

type OwnerState = 'active' | 'suspended' | 'deleted';

const installation = (id: number, login: string | null, state: OwnerState = 'active'): Installation => ({
  ...sparseInstallation(id, FIXTURE_TIME),
  accountLogin: login,
  accountType: login === null ? null : 'Organization',
  suspendedAt: state === 'suspended' ? FIXTURE_TIME : null,
  deletedAt: state === 'deleted' ? FIXTURE_TIME : null,
});

const ROWS = ['none', 'visible_only', 22, 11, 33, 44] as const;

interface Case {
  ownerState: OwnerState;
  ownerLinked: boolean;
  otherLinked: boolean;
  unnamedLinked: boolean;
  row: (typeof ROWS)[number];
}

function factsOf(c: Case): DiagnosisFacts {
  // 22 is octo-org's (the repo's owner), 11 another account's, 33 one whose account is not known
  // yet; 44 is known to no one.
  const known = new Map<number, Installation>([
    [22, installation(22, 'octo-org', c.ownerState)],
    [11, installation(11, 'octo-old')],
    [33, installation(33, null)],
  ]);
  const linked = [
    ...(c.ownerLinked ? [known.get(22)!] : []),
    ...(c.otherLinked ? [known.get(11)!] : []),
    ...(c.unnamedLinked ? [known.get(33)!] : []),
  ];
  const row =
    c.row === 'none'
      ? null
      : repoRowFixture({ installationId: c.row === 'visible_only' ? null : c.row, discoveredBy: 'installation' });
  return {
    userId: 'u1',
    repoFullName: 'octo-org/api',
    appCredentials: true,
    linked,
    row,
    rowInstallation: row?.installationId == null ? null : (known.get(row.installationId) ?? null),
    lastInstallationSync: null,
    lastRowDecision: null,
    lastRebind: null,
    triggers: [],
    automations: [],
    deliveries: [],
    formerName: null,
  };
}

const cases: Case[] = (['active', 'suspended', 'deleted'] as const).flatMap((ownerState) =>
  [true, false].flatMap((ownerLinked) =>
    [true, false].flatMap((otherLinked) =>
      [true, false].flatMap((unnamedLinked) =>
        ROWS.map((row) => ({ ownerState, ownerLinked, otherLinked, unnamedLinked, row })),
      ),
    ),
  ),
);

test('step 2 is never ok when step 1 says the repo owner has no live installation for the user', (t) => {
  let ownerProblems = 0;
  let covered = 0;
  for (const c of cases) {
    const [ownerStep, coverage] = diagnoseRepo(factsOf(c));
    if (coverage?.status === 'ok') covered += 1;
    if (ownerStep?.status !== 'problem') continue;
    ownerProblems += 1;
    t.not(
      coverage?.status,
      'ok',
      `${JSON.stringify(c)}: step 1 says "${ownerStep.evidence}", step 2 "${coverage?.evidence}"`,
    );
  }
  // The table reaches both sides: owners without a live installation, and repos truly covered.
  t.true(ownerProblems >= 40, `${ownerProblems} cases where step 1 is a problem`);
  t.true(covered > 0, 'some rows are covered by the owner installation');
});

test("a row bound to another account's installation is not App-covered for this repo", (t) => {
  const [ownerStep, coverage] = diagnoseRepo(
    factsOf({ ownerState: 'active', ownerLinked: false, otherLinked: true, unnamedLinked: false, row: 11 }),
  );
  t.is(ownerStep?.status, 'problem');
  t.is(coverage?.status, 'problem');
  t.regex(coverage?.evidence ?? '', /bound to installation 11 of octo-old, but the repo belongs to octo-org/);
});

test('a row bound to an installation the user is not linked to is not App-covered for the user', (t) => {
  const [, coverage] = diagnoseRepo(
    factsOf({ ownerState: 'active', ownerLinked: false, otherLinked: false, unnamedLinked: false, row: 22 }),
  );
  t.is(coverage?.status, 'problem');
  t.regex(coverage?.evidence ?? '', /bound to installation 22, which is not linked to user u1/);
});

test('a row covered by the owner installation linked to the user is ok at steps 1 and 2', (t) => {
  const steps = diagnoseRepo(
    factsOf({ ownerState: 'active', ownerLinked: true, otherLinked: true, unnamedLinked: false, row: 22 }),
  );
  t.deepEqual(
    steps.slice(0, 2).map((s) => s.status),
    ['ok', 'ok'],
  );
});

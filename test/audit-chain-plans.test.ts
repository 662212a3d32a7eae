import { generateKeyPairSync } from 'node:crypto';
import test from 'ava';
import {
  auditSearchKeys,
  canonicalJson,
  checkpointHash,
  checkpointKeys,
  checkpointProblem,
  hashAuditRecord,
  nextCheckpointSeq,
  signCheckpoint,
  signedHashOf,
  planPrune,
  sealChain,
  verifyChainSegment,
  type AuditCheckpoint,
  type AuditDraft,
} from '../src/domain/audit/index.js';

// sealChain and planPrune: the two steps of the audit chain both stores run, as pure functions.

const T0 = '2026-01-01T00:00:00.000Z';
const draft = (decision: string): AuditDraft => ({
  kind: 'sync.decision',
  actor: 'sync',
  source: { type: 'sync', id: 's1' },
  subject: { userId: 'u1' },
  decision,
  reason: null,
  before: null,
  after: null,
  traceId: null,
  deliveryId: null,
  occurredAt: T0,
});

test('sealChain numbers drafts after the head and links each to the one before it', (t) => {
  const records = sealChain(
    [
      { id: 'a', draft: draft('created') },
      { id: 'b', draft: draft('updated') },
    ],
    { seq: 4, hash: 'h4' },
    T0,
  );
  t.deepEqual(
    records.map((r) => [r.id, r.seq, r.prevHash]),
    [
      ['a', 5, 'h4'],
      ['b', 6, records[0]?.hash],
    ],
  );
  for (const { hash, ...rest } of records) t.is(hashAuditRecord(rest), hash);
  const stored = records.map((record) => ({ record, searchKeys: auditSearchKeys(record) }));
  t.true(verifyChainSegment(stored, { seq: 4, hash: 'h4' }).verdict.ok);
});

test('a search key that differs from the hashed subject breaks the chain at its record; a name differing only in case does not', (t) => {
  const records = sealChain(
    [
      { id: 'a', draft: { ...draft('created'), subject: { userId: 'u1', repoFullName: 'Octo/API' } } },
      { id: 'b', draft: draft('updated') },
    ],
    { seq: 0, hash: null },
    T0,
  );
  const stored = records.map((record) => ({ record, searchKeys: auditSearchKeys(record) }));
  const [first, second] = stored;
  if (first === undefined || second === undefined) throw new Error('two records sealed');
  const folded = { ...first, searchKeys: { ...first.searchKeys, repoFullName: 'octo/api' } };
  t.true(verifyChainSegment([folded, second], { seq: 0, hash: null }).verdict.ok);
  const moved = { ...second, searchKeys: { ...second.searchKeys, userId: 'someone-else' } };
  t.like(verifyChainSegment([first, moved], { seq: 0, hash: null }).verdict, {
    ok: false,
    seq: 2,
    problem: 'its search keys (userId) do not match its hashed subject (edited after it was written)',
  });
});

test('canonical JSON takes strings well-formed, so a lone surrogate hashes as the U+FFFD a store keeps', (t) => {
  t.is(canonicalJson({ name: 'a\ud800b', ['k\udc00']: 1 }), canonicalJson({ name: 'a\ufffdb', ['k\ufffd']: 1 }));
  t.is(canonicalJson('\ud83d\ude00'), JSON.stringify('\ud83d\ude00'), 'a surrogate pair is one character, kept');
});

test('sealChain starts an empty chain at 1 with no previous hash, and seals nothing from nothing', (t) => {
  const [first] = sealChain([{ id: 'a', draft: draft('created') }], { seq: 0, hash: null }, T0);
  t.like(first, { seq: 1, prevHash: null, recordedAt: T0, schemaVersion: 1 });
  t.deepEqual(sealChain([], { seq: 3, hash: 'h' }, T0), []);
});

const checkpoint = (seq: number, pruned: number): AuditCheckpoint => ({ seq, hash: `h${seq}`, prunedAt: T0, pruned });

const pruneCases: {
  title: string;
  facts: Parameters<typeof planPrune>[0];
  plan: ReturnType<typeof planPrune>;
}[] = [
  {
    title: 'an empty chain keeps everything',
    facts: { firstKept: null, newest: null, previous: null, prunedAt: T0 },
    plan: { kind: 'keep', checkpoint: null },
  },
  {
    title: 'records older than the cutoff before the first kept one are removed',
    facts: { firstKept: { seq: 3, prevHash: 'h2' }, newest: { seq: 4, prevHash: 'h3' }, previous: null, prunedAt: T0 },
    plan: { kind: 'prune', keepFrom: 3, checkpoint: { seq: 2, hash: 'h2', prunedAt: T0, pruned: 2 } },
  },
  {
    title: 'when every record is older the newest stays, so the chain keeps its head',
    facts: { firstKept: null, newest: { seq: 5, prevHash: 'h4' }, previous: checkpoint(2, 2), prunedAt: T0 },
    plan: { kind: 'prune', keepFrom: 5, checkpoint: { seq: 4, hash: 'h4', prunedAt: T0, pruned: 4 } },
  },
  {
    title: 'nothing older than the cutoff keeps the checkpoint as it was',
    facts: {
      firstKept: { seq: 3, prevHash: 'h2' },
      newest: { seq: 5, prevHash: 'h4' },
      previous: checkpoint(2, 2),
      prunedAt: T0,
    },
    plan: { kind: 'keep', checkpoint: checkpoint(2, 2) },
  },
  {
    title: 'a chain of one record keeps it',
    facts: { firstKept: null, newest: { seq: 1, prevHash: null }, previous: null, prunedAt: T0 },
    plan: { kind: 'keep', checkpoint: null },
  },
];

for (const { title, facts, plan } of pruneCases) {
  test(`planPrune: ${title}`, (t) => {
    t.deepEqual(planPrune(facts), plan);
  });
}

const cadence = { everyRecords: 100, everyMs: 3_600_000 };
const nextSeqCases: [string, Parameters<typeof nextCheckpointSeq>[0], number | null][] = [
  ['nothing new', { fromSeq: 5, lastSignedAt: T0, startedAt: new Date(T0), headSeq: 5, now: new Date(T0) }, null],
  [
    'fewer records than the cadence within the hour',
    { fromSeq: 5, lastSignedAt: T0, startedAt: new Date(T0), headSeq: 50, now: new Date('2026-01-01T00:59:00Z') },
    null,
  ],
  [
    'fewer records than the cadence after the hour',
    { fromSeq: 5, lastSignedAt: T0, startedAt: new Date(T0), headSeq: 50, now: new Date('2026-01-01T01:00:00Z') },
    50,
  ],
  [
    'more records than the cadence: one checkpoint of at most that many',
    { fromSeq: 5, lastSignedAt: T0, startedAt: new Date(T0), headSeq: 350, now: new Date(T0) },
    105,
  ],
  [
    'the first checkpoint counts the hour from the start',
    { fromSeq: 0, lastSignedAt: null, startedAt: new Date(T0), headSeq: 3, now: new Date('2026-01-01T01:00:00Z') },
    3,
  ],
];
for (const [what, facts, expected] of nextSeqCases)
  test(`nextCheckpointSeq: ${what}`, (t) => t.is(nextCheckpointSeq(facts, cadence), expected));

test('checkpointProblem: a checkpoint verifies after the one before it, and names what is wrong when it does not', (t) => {
  const { privateKey } = generateKeyPairSync('ed25519');
  const keys = checkpointKeys([privateKey]);
  const first = signCheckpoint(
    { number: 1, seq: 2, hash: 'h2', hashes: ['h1', 'h2'], prevCheckpointHash: null, signedAt: T0 },
    privateKey,
  );
  const second = signCheckpoint(
    { number: 2, seq: 3, hash: 'h3', hashes: ['h3'], prevCheckpointHash: checkpointHash(first), signedAt: T0 },
    privateKey,
  );
  t.is(checkpointProblem(first, null, keys), null);
  t.is(checkpointProblem(second, first, keys), null);
  t.is(signedHashOf(second, 3), 'h3');
  t.is(signedHashOf(second, 2), null);
  t.regex(checkpointProblem({ ...second, seq: 4 }, first, keys) ?? '', /signature does not verify/);
  const unlinked = signCheckpoint({ ...second, prevCheckpointHash: 'other' }, privateKey);
  t.regex(checkpointProblem(unlinked, first, keys) ?? '', /does not name the checkpoint before it/);
  const skipped = signCheckpoint({ ...second, number: 3 }, privateKey);
  t.regex(checkpointProblem(skipped, first, keys) ?? '', /checkpoint 2 is missing/);
  const stranger = checkpointKeys([generateKeyPairSync('ed25519').privateKey]);
  t.regex(checkpointProblem(first, null, stranger) ?? '', /not among the public keys/);
});

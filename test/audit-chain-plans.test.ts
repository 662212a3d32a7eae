import test from 'ava';
import {
  auditSearchKeys,
  canonicalJson,
  hashAuditRecord,
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

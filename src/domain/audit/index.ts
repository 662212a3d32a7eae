// The audit trail (REQUIREMENTS.md, "Shapes": Audit record): the record types, the closed list
// of kinds, the hash chain, and the two pure steps both stores run (sealing, pruning).
export * from './audit-kinds.js';
export * from './audit-record.js';
export * from './hash-chain.js';
export * from './plan-prune.js';
export * from './seal-chain.js';
export * from './search-keys.js';
export * from './signed-checkpoint.js';

import type { Codec, Dialect, FlatRecord } from '../codec.js';

// How SQLite keeps the shared field lists (../codec.ts): a field `fooBar` is the column
// `foo_bar`, and a boolean is 1 or 0. Statements bind named parameters by the domain's names.

export type Row = Record<string, unknown>;

export const SQLITE: Dialect = {
  encodeBool: (value) => (value ? 1 : 0),
  decodeBool: (stored) => stored === 1,
};

export const column = (field: string): string => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The columns of a value, for a SELECT list. */
export const columnsOf = <T>(codec: Codec<T>): string => codec.names.map(column).join(', ');

export const fromRow = <T>(codec: Codec<T>, row: Row): T => codec.decode((field) => row[column(field)], SQLITE);

export const rowsOf = <T>(codec: Codec<T>, rows: unknown[]): T[] => (rows as Row[]).map((row) => fromRow(codec, row));

export const oneOf = <T>(codec: Codec<T>, row: unknown): T | null => (row ? fromRow(codec, row as Row) : null);

/** Named parameters for a statement, keyed by the domain's field names. */
export const paramsOf = <T>(codec: Codec<T>, value: T): FlatRecord => codec.encode(value, SQLITE);

import { asGitHubId } from '../../domain/delivery.js';
import { TerminalError } from '../../inbox/worker-contract.js';

// Webhook payloads are untrusted: signed by GitHub, yet possibly malformed (GITHUB-FACTS.md,
// Deliveries). A payload is parsed once and then read through its @octokit/webhooks type taken as
// a claim, not a fact: `Claimed<T>` keeps T's keys (a misspelt field does not compile) but makes
// every object possibly missing and every value `unknown`, so each value we use passes a check
// below before it becomes a typed value. Nothing else of a payload ever reaches the store.

/** A JSON object: what one parse of a delivery's payload gives. */
export type ParsedPayload = Readonly<Record<string, unknown>>;

type Leaf = string | number | boolean | bigint | symbol;
type KeysOf<T> = T extends unknown ? keyof T : never;
type ValueAt<T, K extends PropertyKey> = T extends unknown ? (K extends keyof T ? T[K] : undefined) : never;

declare const listed: unique symbol;
/** A list the payload claims: opaque until listOf has checked it is one. */
export interface ClaimedList<E> {
  readonly [listed]: E;
}

/**
 * A payload value as its octokit type claims it. Objects may be missing and are read with `?.`
 * (which no JSON value makes throw); leaves are unknown; lists are opaque.
 */
export type Claimed<T> = [NonNullable<T>] extends [Leaf]
  ? unknown
  : NonNullable<T> extends readonly (infer E)[]
    ? ClaimedList<E> | undefined
    : { readonly [K in KeysOf<NonNullable<T>>]?: Claimed<ValueAt<NonNullable<T>, K>> } | undefined;

/** The parsed payload read as the event its delivery names (a claim, see above). */
export const claim = <T>(payload: ParsedPayload): Claimed<T> => payload as Claimed<T>;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The one parse of a stored payload. The inbox refused bodies that are not JSON objects when they
 * arrived, so one now is a corrupted store or a bug: retrying cannot mend it.
 */
export function parsePayload(raw: string): ParsedPayload {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new TerminalError('the stored payload is not valid JSON', { cause: error });
  }
  if (!isRecord(parsed)) throw new TerminalError('the stored payload is not a JSON object');
  return parsed;
}

/** GitHub ids are positive integers that fit in 53 bits (GITHUB-FACTS.md, API). */
export const idOf = (value: unknown): number | null => asGitHubId(value);

/**
 * A payload's string as it can be stored: JSON may carry a lone surrogate ("\ud800"), which
 * UTF-8 (SQLite text, BSON) keeps as U+FFFD; well-formed from the start, what is stored, shown
 * and hashed in the audit trail is one and the same string.
 */
const storable = (text: string): string => text.toWellFormed();

/** A non-empty string of at most 400 characters: longer is no name GitHub gives. */
export const textOf = (value: unknown): string | null =>
  typeof value === 'string' && value.length > 0 && value.length <= 400 ? storable(value) : null;

export const isTrue = (value: unknown): boolean => value === true;

/** The objects of a claimed list, anything else in it skipped; null when it is no list. */
export function listOf<E>(value: ClaimedList<E> | undefined): Claimed<E>[] | null {
  const list: unknown = value;
  return Array.isArray(list) ? list.filter(isRecord).map((entry) => entry as Claimed<E>) : null;
}

/** The strings of a claimed list of strings; null when it is not a list. */
export function stringsOf(value: ClaimedList<string> | undefined): string[] | null {
  const list: unknown = value;
  return Array.isArray(list)
    ? list.filter((entry): entry is string => typeof entry === 'string').map(storable)
    : null;
}

/** A claimed map of strings (an installation's permissions); null when it is not an object. */
export function stringMapOf(value: unknown): Record<string, string> | null {
  return isRecord(value)
    ? Object.fromEntries(
        Object.entries(value)
          .filter((e): e is [string, string] => typeof e[1] === 'string')
          .map(([key, text]) => [storable(key), storable(text)]),
      )
    : null;
}

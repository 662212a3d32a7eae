import type { Store } from '../store/store.js';

// What the text typed in the search box names (issue 15): a repo by owner/name in any case or by
// a name it had before a rename or transfer, a repo, installation or delivery id, a trigger,
// automation or user id, an account login, or a trace id. Every reading that finds something is
// a match; the most specific come first.

export type SearchKind = 'repo' | 'delivery' | 'trigger' | 'automation' | 'installation' | 'trace' | 'user';

export interface SearchMatch {
  kind: SearchKind;
  id: string;
  label: string;
  detail: string | null;
  /** The name typed, when the repo is called otherwise today. */
  formerName?: string;
}

const TRACE_ID = /^[0-9a-f]{32}$/;
const FULL_NAME = /^[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100}$/;
const NUMBER = /^[1-9]\d{0,15}$/;
const OPAQUE_ID = /^[A-Za-z0-9._:-]{1,200}$/;
const LOGIN = /^[A-Za-z0-9-]{1,100}$/;

/** How many audit records of a name are read to learn the repo ids it was known by. */
const NAME_RECORDS_LIMIT = 200;

/** The repo's name today: from its repo rows, else from its triggers; null when the store has neither. */
export async function currentRepoName(store: Store, repoId: number): Promise<string | null> {
  const [row] = await store.listRepoRowsByRepoId(repoId);
  if (row !== undefined) return row.fullName;
  const [trigger] = await store.listTriggersByRepoId(repoId);
  return trigger?.repoFullName ?? null;
}

/**
 * The repo ids an owner/name is or was known by: rows that carry it today, and audit records
 * written while the repo had it (a rename or transfer changes the rows, not the history).
 */
export async function repoIdsKnownAs(store: Store, fullName: string): Promise<number[]> {
  const today = (await store.listRepoRowsByFullName(fullName)).map((row) => row.repoId);
  const before = await store.listAudit({ limit: NAME_RECORDS_LIMIT, order: 'newest', repo: { ids: [], fullName } });
  const recorded = before.flatMap((record) => (record.subject.repoId === undefined ? [] : [record.subject.repoId]));
  return [...new Set([...today, ...recorded])];
}

/** The installations a filter names: an id, or the account login they are installed on. */
export async function installationIdsNamed(store: Store, text: string): Promise<number[]> {
  if (NUMBER.test(text)) return [Number(text)];
  return (await store.listInstallationsByAccountLogin(text)).map((installation) => installation.id);
}

async function repoMatches(store: Store, text: string): Promise<SearchMatch[]> {
  const ids = NUMBER.test(text) ? [Number(text)] : FULL_NAME.test(text) ? await repoIdsKnownAs(store, text) : [];
  const matches: SearchMatch[] = [];
  for (const repoId of ids) {
    const name = await currentRepoName(store, repoId);
    if (name === null) continue;
    const former = FULL_NAME.test(text) && name.toLowerCase() !== text.toLowerCase();
    matches.push({
      kind: 'repo',
      id: String(repoId),
      label: name,
      detail: former ? `repo ${repoId}, called ${text} before` : `repo ${repoId}`,
      ...(former ? { formerName: text } : {}),
    });
  }
  // The repo called so today first, then those that had the name before.
  return matches.sort((a, b) => Number(a.formerName !== undefined) - Number(b.formerName !== undefined));
}

async function installationMatches(store: Store, text: string): Promise<SearchMatch[]> {
  if (!LOGIN.test(text)) return [];
  const found = NUMBER.test(text)
    ? [await store.getInstallation(Number(text))].filter((i) => i !== null)
    : await store.listInstallationsByAccountLogin(text);
  return found.map((installation) => ({
    kind: 'installation',
    id: String(installation.id),
    label: installation.accountLogin ?? `installation ${installation.id}`,
    detail: `installation ${installation.id}${installation.deletedAt !== null ? ' (deleted)' : installation.suspendedAt !== null ? ' (suspended)' : ''}`,
  }));
}

async function idMatches(store: Store, id: string): Promise<SearchMatch[]> {
  const matches: SearchMatch[] = [];
  const delivery = await store.getDelivery(id);
  if (delivery !== null)
    matches.push({
      kind: 'delivery',
      id,
      label: delivery.action === null ? delivery.event : `${delivery.event}.${delivery.action}`,
      detail: `received ${delivery.receivedAt}`,
    });
  const trigger = await store.getTrigger(id);
  if (trigger !== null)
    matches.push({
      kind: 'trigger',
      id,
      label: `trigger ${id}`,
      detail: `on ${trigger.repoFullName ?? `repo ${trigger.repoId}`}: ${trigger.events.join(', ')}`,
    });
  const automation = await store.getAutomation(id);
  if (automation !== null)
    matches.push({ kind: 'automation', id, label: automation.name, detail: `user ${automation.userId}` });
  const user = await store.getUser(id);
  if (user !== null)
    matches.push({ kind: 'user', id, label: user.githubLogin, detail: `GitHub user ${user.githubUserId}` });
  return matches;
}

/** Every reading of the text that names something stored (a trace id always: its spans are looked up when opened). */
export async function resolveSearch(store: Store, typed: string): Promise<SearchMatch[]> {
  const text = typed.trim();
  const matches: SearchMatch[] = [];
  if (TRACE_ID.test(text)) matches.push({ kind: 'trace', id: text, label: `trace ${text}`, detail: null });
  if (OPAQUE_ID.test(text)) matches.push(...(await idMatches(store, text)));
  matches.push(...(await repoMatches(store, text)));
  matches.push(...(await installationMatches(store, text)));
  return matches;
}

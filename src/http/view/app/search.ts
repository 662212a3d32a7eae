import { api, AuthNeeded, isMissingRoute } from './api.js';
import { byId, fill, h, setStatus } from './dom.js';
import { entityHref, type EntityKind } from './format.js';
import type { SearchAnswer } from '../../api-shapes.js';

// The one search box (issue 15): whatever is typed (a repo by any name it had, an id, a login, a
// trace id) is resolved by GET /api/search; one match opens its page, several are listed.

type Match = SearchAnswer['matches'][number];

/** Where a match leads: its page; a user has none, so the deliveries its repos had (search filter). */
function hrefOf(match: Match): string {
  if (match.kind === 'user') return `?q=${encodeURIComponent(match.id)}`;
  return entityHref(match.kind as EntityKind, match.id);
}

function matchItem(match: Match): HTMLElement {
  return h('li', { 'data-kind': match.kind, 'data-id': match.id }, [
    h('a', { href: hrefOf(match), class: 'search-match' }, [
      h('span', { class: 'tag', text: match.kind }),
      ' ',
      h('strong', { text: match.label }),
    ]),
    match.formerName ? h('span', { class: 'sub', text: ` — called ${match.formerName} before` }) : null,
    match.detail ? h('div', { class: 'sub', text: match.detail }) : null,
  ]);
}

export async function runSearch(event: SubmitEvent): Promise<void> {
  event.preventDefault();
  const text = byId<HTMLInputElement>('search-input').value.trim();
  const results = byId('search-results');
  results.hidden = true;
  if (!text) return;
  setStatus('search-status', 'Looking…');
  try {
    const answer = await api<SearchAnswer>(`/api/search?${new URLSearchParams({ q: text }).toString()}`);
    const [only] = answer.matches;
    if (answer.matches.length === 0) {
      setStatus('search-status', `Nothing is known by “${text}”.`);
      return;
    }
    setStatus(
      'search-status',
      answer.matches.length === 1 ? '' : `${answer.matches.length} things are known by “${text}”:`,
    );
    fill(results, answer.matches.map(matchItem));
    results.hidden = false;
    if (answer.matches.length === 1 && only !== undefined) location.assign(hrefOf(only));
  } catch (error) {
    if (error instanceof AuthNeeded) return;
    setStatus(
      'search-status',
      isMissingRoute(error)
        ? 'This reconciler has no search (GET /api/search); use the filters below.'
        : (error as Error).message,
      true,
    );
  }
}

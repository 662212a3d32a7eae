// The deliveries filters live in the page's address (?event=push&problems=1#delivery=…) under the
// names GET /api/deliveries takes, so a link can be shared and a dashboard can link in.

export const FILTER_NAMES = [
  'q',
  'repo',
  'event',
  'action',
  'outcome',
  'reason',
  'installation',
  'since',
  'until',
  'problems',
] as const;
export type FilterName = (typeof FILTER_NAMES)[number];
export type Filters = Partial<Record<FilterName, string>>;

/** The filters the address carries; names the API does not take are left out. */
export function readFilters(): Filters {
  const params = new URLSearchParams(location.search);
  const filters: Filters = {};
  for (const name of FILTER_NAMES) {
    const value = params.get(name)?.trim();
    if (value) filters[name] = value;
  }
  return filters;
}

/** Puts the filters in the address without a reload, keeping whatever page the hash opens. */
export function writeFilters(filters: Filters): void {
  const params = new URLSearchParams();
  for (const name of FILTER_NAMES) {
    const value = filters[name];
    if (value) params.set(name, value);
  }
  const search = params.toString();
  history.replaceState(null, '', `${location.pathname}${search ? `?${search}` : ''}${location.hash}`);
}

/** The API query of the filters, for GET /api/deliveries. */
export function filterQuery(filters: Filters): URLSearchParams {
  const params = new URLSearchParams();
  for (const name of FILTER_NAMES) {
    const value = filters[name];
    if (value) params.set(name, value);
  }
  return params;
}

/** An ISO time as a datetime-local input shows it (local time, to the minute). */
export function localInputValue(iso: string | undefined): string {
  if (!iso) return '';
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return '';
  const local = new Date(at.getTime() - at.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

/** A datetime-local input's value as an ISO time; empty stays empty. */
export function isoOfLocalInput(value: string): string {
  if (!value) return '';
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? '' : at.toISOString();
}

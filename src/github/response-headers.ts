import type { RateLimitQuota } from './github-port.js';

/** The URL of the next page from a Link header (`<...>; rel="next"`), if there is one. */
export function nextPageFromLink(link: string | undefined): string | null {
  const match = link === undefined ? null : /<([^>]+)>;\s*rel="next"/.exec(link);
  return match?.[1] ?? null;
}

/** The last page number from a Link header (`<...&page=25>; rel="last"`), if GitHub sent one. */
export function lastPageFromLink(link: string | undefined): number | null {
  const match = link === undefined ? null : /<[^>]*[?&]page=(\d+)[^>]*>;\s*rel="last"/.exec(link);
  return match?.[1] === undefined ? null : Number(match[1]);
}

/** The hourly quota a response reports, when it reports one. */
export function quotaOf(headers: Record<string, string | number | undefined>): RateLimitQuota | null {
  const remaining = Number(headers['x-ratelimit-remaining']);
  const reset = Number(headers['x-ratelimit-reset']);
  if (headers['x-ratelimit-remaining'] === undefined || !Number.isFinite(remaining) || !Number.isFinite(reset))
    return null;
  return { remaining, resetAtMs: reset * 1000 };
}

import { GitHubError } from './github-port.js';

interface OctokitFailure {
  status?: number;
  message?: string;
  request?: { url?: string };
  response?: { headers?: Record<string, string | number | undefined> };
}

/**
 * GitHub's failures, typed. Rate limits come as 403 or 429 with `x-ratelimit-remaining: 0` or
 * `retry-after` (GITHUB-FACTS.md, API); they, 5xx and network failures are retryable, other 4xx
 * are not.
 */
export function classifyGitHubFailure(error: unknown, subject: { installationId?: number }): GitHubError {
  if (error instanceof GitHubError) return error;
  const failure = error as OctokitFailure;
  const status = typeof failure.status === 'number' ? failure.status : null;
  const headers = failure.response?.headers ?? {};
  const message = failure.message ?? String(error);
  const retryAfter = Number(headers['retry-after']);
  const remaining = headers['x-ratelimit-remaining'];
  const reset = Number(headers['x-ratelimit-reset']);
  // A secondary limit may come without either header; its message still says what it is.
  const rateLimitMessage = /rate limit/i.test(message);
  if (
    (status === 403 || status === 429) &&
    (Number.isFinite(retryAfter) || String(remaining) === '0' || rateLimitMessage)
  ) {
    const retryAfterMs = Number.isFinite(retryAfter)
      ? retryAfter * 1000
      : Number.isFinite(reset)
        ? Math.max(0, reset * 1000 - Date.now())
        : null;
    return new GitHubError('rate_limited', `GitHub rate limit: ${message}`, status, true, retryAfterMs);
  }
  const where = subject.installationId !== undefined ? `installation ${subject.installationId}` : 'GitHub';
  if (status === 401) return new GitHubError('unauthorized', `${where}: credentials refused (401)`, status, false);
  // Only the token request says suspended with a 403: a 403 on a later page is something else.
  if (status === 403 && subject.installationId !== undefined && /\/access_tokens$/.test(failure.request?.url ?? '')) {
    return new GitHubError('installation_suspended', `${where} refuses tokens (403): it is suspended`, status, false);
  }
  if (status === 403) return new GitHubError('forbidden', `${where}: forbidden (403): ${message}`, status, false);
  if (status === 404 && subject.installationId !== undefined) {
    return new GitHubError('installation_not_found', `${where} does not exist (404): it was deleted`, status, false);
  }
  if (status === 404) return new GitHubError('not_found', `${where}: not found (404)`, status, false);
  // 408 (timeout) and a 429 without rate-limit headers (a proxy, an Enterprise Server) may pass.
  if (status !== null && status >= 400 && status < 500 && status !== 408 && status !== 429) {
    return new GitHubError('rejected', `${where} refused the request (${status}): ${message}`, status, false);
  }
  return new GitHubError('unavailable', `${where} unavailable: ${message}`, status, true);
}

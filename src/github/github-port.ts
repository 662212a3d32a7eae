import type { HookDeliveryAttempt } from '../domain/decide-redelivery-sweep.js';
import type { ListedRepo } from '../domain/decide-sync.js';
import type { AccountType } from '../domain/entities.js';

// The GitHub operations the reconciler needs, declared by the reconciler (STYLE.md, habit 5).

/** An installation as GitHub describes it (App JWT), mapped to plain values. */
export interface InstallationFacts {
  id: number;
  accountId: number | null;
  /** An enterprise account has a slug, not a login (GITHUB-FACTS.md, Installations). */
  accountLogin: string | null;
  accountType: AccountType | null;
  targetType: string;
  permissions: Record<string, string>;
  repositorySelection: 'all' | 'selected';
  events: string[];
  suspendedAt: string | null;
  suspendedBy: string | null;
}

/** What GitHub said of the credential's hourly quota with a response (x-ratelimit-*). */
export interface RateLimitQuota {
  remaining: number;
  /** When the quota is whole again, epoch milliseconds. */
  resetAtMs: number;
}

export interface RepoPage {
  repos: ListedRepo[];
  /** 1-based page number and, when GitHub's Link header says, the last one. */
  page: number;
  lastPage: number | null;
  /** Null when GitHub sent no rate-limit headers (GitHub Enterprise Server with limits off). */
  quota: RateLimitQuota | null;
}

export interface GitHubPort {
  getInstallation(installationId: number): Promise<InstallationFacts>;
  /** Every page of the installation's repositories (installation token, 100 per page). */
  listInstallationRepos(installationId: number): AsyncIterable<RepoPage>;
  /** Every page of the repositories a user's OAuth token can see. */
  listUserRepos(oauthToken: string): AsyncIterable<RepoPage>;
  /**
   * The App's webhook delivery attempts (App JWT), one page at a time, newest first as GitHub
   * serves them; stops at the first attempt older than `since`, which is left out.
   */
  listHookDeliveries(since: Date): AsyncIterable<HookDeliveryAttempt[]>;
  /** Asks GitHub to send one delivery attempt again, under the same GUID (App JWT; GitHub answers 202). */
  redeliverHookDelivery(deliveryId: number): Promise<void>;
}

export type GitHubErrorKind =
  /** 403 on token creation: a suspended installation is still listed but refuses tokens. */
  | 'installation_suspended'
  /** 404: the installation was deleted (or never existed for this App). */
  | 'installation_not_found'
  /** 401: the App's credentials or the user's token are not accepted. */
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'rate_limited'
  /** Any other 4xx (422 validation failed, 400, 409, 410; not 408 or 429): the same request will be refused again. */
  | 'rejected'
  /** 5xx, 408, a bare 429, or no answer at all: GitHub may take it later. */
  | 'unavailable';

/** A GitHub failure that says whether trying again later can help. */
export class GitHubError extends Error {
  constructor(
    readonly kind: GitHubErrorKind,
    message: string,
    readonly status: number | null,
    readonly retryable: boolean,
    /** For rate limits: when GitHub says to come back. */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = 'GitHubError';
  }
}

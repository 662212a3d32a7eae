import { createPrivateKey, createPublicKey } from 'node:crypto';
import { resolve } from 'node:path';
import { DEFAULT_PUSH_RETRY, endpointUrlProblem, signingSecretProblem } from './domain/wake-push.js';

// Parses the environment once into one typed object (REQUIREMENTS.md, "Configuration").
// A bad value stops start-up with a message that names the variable and says how to fix it.

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

export type StoreConfig = { kind: 'sqlite'; path: string } | { kind: 'mongodb'; uri: string; database: string };

export interface GitHubAppCredentials {
  appId: number;
  privateKey: string;
}

export type Mode = 'development' | 'production';

/** Signed audit checkpoints (docs/audit.md): the key is never in the database. */
export interface AuditSigningConfig {
  /** Ed25519 private key, PEM; null until development mode fills in its generated one. */
  privateKeyPem: string | null;
  /** Public keys (PEM) of earlier signing keys, so checkpoints signed before a rotation still verify. */
  earlierPublicKeyPems: string[];
  everyRecords: number;
  everySeconds: number;
  /** Where the checkpoints are exported (audit-checkpoints.jsonl). */
  exportDir: string;
}

export interface Config {
  mode: Mode;
  port: number;
  host: string;
  dataDir: string;
  store: StoreConfig;
  /** Every secret is accepted when verifying a delivery, so a secret can be rotated without loss. */
  webhookSecrets: string[];
  apiToken: string;
  githubApp: GitHubAppCredentials | null;
  githubApiUrl: string;
  logLevel: string;
  /** Maintenance: webhooks are verified and stored, but the worker applies nothing until restart without it. */
  inboxPaused: boolean;
  /** Where the Observability view links a trace id: a URL with `{traceId}` in it (Grafana Explore, Tempo, Jaeger). */
  traceUrlTemplate: string | null;
  /** Audit records older than this many days are pruned behind a checkpoint; null keeps them all. */
  auditRetentionDays: number | null;
  /** Wakes older than this many days leave the outbox; a runner's older cursor is answered 410. */
  wakeRetentionDays: number;
  /** Pushed wakes (docs/wake-push.md). */
  wakePush: WakePushConfig;
  /** How long a worker's claim on a delivery holds; a replica that dies loses its claims after this. */
  inboxLeaseSeconds: number;
  /** How often the leader sweeps GitHub's webhook deliveries for ones to redeliver; 0 disables it. */
  redeliveryIntervalSeconds: number;
  /** How often the leader resyncs every active installation to repair drift (with jitter); 0 disables it. */
  resyncIntervalSeconds: number;
  auditSigning: AuditSigningConfig;
}

export interface WakePushConfig {
  /** The endpoint WAKE_ENDPOINT_URL and WAKE_ENDPOINT_SECRET define (id `default`), if set. */
  endpoint: { url: string; secret: string } | null;
  maxAttempts: number;
  firstRetryMs: number;
  /** How long an endpoint that failed CIRCUIT_FAILURE_THRESHOLD times in a row is left alone. */
  pauseSeconds: number;
}

/** Before development defaults are filled in: secrets may still be missing. */
export type ParsedConfig = Omit<Config, 'apiToken' | 'webhookSecrets'> & {
  apiToken: string | null;
  webhookSecrets: string[];
};

export type Environment = Readonly<Record<string, string | undefined>>;

/** Outside development a secret this short can be guessed; `openssl rand -hex 32` gives 64. */
export const MIN_SECRET_LENGTH = 16;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function nonEmpty(env: Environment, name: string): string | null {
  const value = env[name]?.trim();
  return value ? value : null;
}

function parsePort(env: Environment): number {
  const raw = nonEmpty(env, 'PORT');
  if (raw === null) return 3000;
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError('PORT', `"${raw}" is not a port number (0-65535)`);
  }
  return port;
}

function parseStore(env: Environment, dataDir: string): StoreConfig {
  const uri = nonEmpty(env, 'MONGODB_URI');
  if (uri === null) return { kind: 'sqlite', path: resolve(dataDir, 'reconciler.sqlite') };
  if (!/^mongodb(\+srv)?:\/\/[^/]/.test(uri)) {
    throw new ConfigError('MONGODB_URI', 'must start with mongodb:// or mongodb+srv:// followed by a host');
  }
  const database = nonEmpty(env, 'MONGODB_DB') ?? 'reconciler';
  if (!/^[^/\\. "$*<>:|?]{1,63}$/.test(database)) {
    throw new ConfigError('MONGODB_DB', `"${database}" is not a valid MongoDB database name`);
  }
  return { kind: 'mongodb', uri, database };
}

function parseGitHubApp(env: Environment, readFile: (path: string) => string): GitHubAppCredentials | null {
  const rawId = nonEmpty(env, 'GITHUB_APP_ID');
  const inlineKey = nonEmpty(env, 'GITHUB_APP_PRIVATE_KEY');
  const keyPath = nonEmpty(env, 'GITHUB_APP_PRIVATE_KEY_PATH');
  if (rawId === null) {
    if (inlineKey !== null || keyPath !== null) {
      throw new ConfigError('GITHUB_APP_ID', 'is required when a GitHub App private key is given');
    }
    return null;
  }
  const appId = Number(rawId);
  if (!/^\d+$/.test(rawId) || !Number.isSafeInteger(appId) || appId <= 0) {
    throw new ConfigError('GITHUB_APP_ID', `"${rawId}" is not a positive integer`);
  }
  if (inlineKey !== null && keyPath !== null) {
    throw new ConfigError(
      'GITHUB_APP_PRIVATE_KEY',
      'set either GITHUB_APP_PRIVATE_KEY or GITHUB_APP_PRIVATE_KEY_PATH, not both',
    );
  }
  let privateKey: string;
  if (keyPath !== null) {
    try {
      privateKey = readFile(keyPath);
    } catch (error) {
      throw new ConfigError('GITHUB_APP_PRIVATE_KEY_PATH', `cannot read ${keyPath}: ${(error as Error).message}`);
    }
  } else if (inlineKey !== null) {
    // Environments that cannot hold newlines carry the PEM with literal \n.
    privateKey = inlineKey.replace(/\\n/g, '\n');
  } else {
    throw new ConfigError('GITHUB_APP_PRIVATE_KEY', 'is required with GITHUB_APP_ID (or GITHUB_APP_PRIVATE_KEY_PATH)');
  }
  const variable = keyPath !== null ? 'GITHUB_APP_PRIVATE_KEY_PATH' : 'GITHUB_APP_PRIVATE_KEY';
  if (!/-----BEGIN (RSA )?PRIVATE KEY-----/.test(privateKey)) {
    throw new ConfigError(variable, 'is not a PEM private key (expected "-----BEGIN RSA PRIVATE KEY-----")');
  }
  // Parsed now, so a damaged key stops start-up instead of failing every GitHub call later.
  let keyType: string | undefined;
  try {
    keyType = createPrivateKey(privateKey).asymmetricKeyType;
  } catch (error) {
    throw new ConfigError(
      variable,
      `cannot be parsed as a private key (${(error as Error).message}); download a new one from the App's settings`,
    );
  }
  if (keyType !== 'rsa') throw new ConfigError(variable, `is a ${keyType ?? 'unknown'} key; GitHub App keys are RSA`);
  return { appId, privateKey };
}

function parseBoolean(env: Environment, name: string): boolean {
  const raw = nonEmpty(env, name)?.toLowerCase();
  if (raw === undefined || raw === null) return false;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(name, `"${raw}" is not a boolean (true/false, 1/0, yes/no, on/off)`);
}

function parseGitHubApiUrl(env: Environment): string {
  const raw = nonEmpty(env, 'GITHUB_API_URL') ?? 'https://api.github.com';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('GITHUB_API_URL', `"${raw}" is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError('GITHUB_API_URL', `"${raw}" must be an http(s) URL`);
  }
  return raw.replace(/\/+$/, '');
}

/**
 * Development mode is the default so that `npm start` works with no variables at all; any other
 * NODE_ENV (production, staging, test...) requires real secrets.
 */
export function parseConfig(env: Environment, readFile: (path: string) => string): ParsedConfig {
  const nodeEnv = nonEmpty(env, 'NODE_ENV');
  const mode: Mode = nodeEnv === null || nodeEnv === 'development' ? 'development' : 'production';
  const dataDir = resolve(nonEmpty(env, 'DATA_DIR') ?? './data');
  const logLevel = nonEmpty(env, 'LOG_LEVEL') ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `"${logLevel}" is not one of ${LOG_LEVELS.join(', ')}`);
  }
  const webhookSecrets = (env.GITHUB_WEBHOOK_SECRET ?? '')
    .split(',')
    .map((secret) => secret.trim())
    .filter((secret) => secret.length > 0);
  const apiToken = nonEmpty(env, 'API_TOKEN');
  if (mode === 'production') {
    if (webhookSecrets.length === 0) {
      throw new ConfigError(
        'GITHUB_WEBHOOK_SECRET',
        "is required outside development mode: set it to your GitHub App's webhook secret (several, comma-separated, during rotation), or run with NODE_ENV=development",
      );
    }
    if (apiToken === null) {
      throw new ConfigError(
        'API_TOKEN',
        'is required outside development mode: set it to a long random string (e.g. `openssl rand -hex 32`) that API clients send as "Authorization: Bearer <token>", or run with NODE_ENV=development',
      );
    }
    if (apiToken.length < MIN_SECRET_LENGTH) {
      throw new ConfigError(
        'API_TOKEN',
        `is ${apiToken.length} characters; outside development mode it must have at least ${MIN_SECRET_LENGTH} (e.g. \`openssl rand -hex 32\`)`,
      );
    }
    const short = webhookSecrets.findIndex((secret) => secret.length < MIN_SECRET_LENGTH);
    if (short >= 0) {
      throw new ConfigError(
        'GITHUB_WEBHOOK_SECRET',
        `secret ${short + 1} is ${webhookSecrets[short]?.length} characters; outside development mode each must have at least ${MIN_SECRET_LENGTH} (e.g. \`openssl rand -hex 32\`, set the same in the App's settings)`,
      );
    }
  }
  return {
    mode,
    port: parsePort(env),
    host: nonEmpty(env, 'HOST') ?? '127.0.0.1',
    dataDir,
    store: parseStore(env, dataDir),
    webhookSecrets,
    apiToken,
    githubApp: parseGitHubApp(env, readFile),
    githubApiUrl: parseGitHubApiUrl(env),
    logLevel,
    inboxPaused: parseBoolean(env, 'INBOX_PAUSED'),
    traceUrlTemplate: parseTraceUrlTemplate(env),
    auditRetentionDays: parseRetentionDays(env),
    wakeRetentionDays: parseWholeNumber(env, 'WAKE_RETENTION_DAYS', 14, 1, 36_500),
    wakePush: {
      endpoint: parseWakeEndpoint(env),
      maxAttempts: parseWholeNumber(env, 'WAKE_PUSH_MAX_ATTEMPTS', DEFAULT_PUSH_RETRY.maxAttempts, 1, 100),
      firstRetryMs: parseWholeNumber(env, 'WAKE_PUSH_FIRST_RETRY_MS', DEFAULT_PUSH_RETRY.baseDelayMs, 10, 3_600_000),
      pauseSeconds: parseWholeNumber(env, 'WAKE_PUSH_PAUSE_SECONDS', 60, 1, 86_400),
    },
    inboxLeaseSeconds: parseWholeNumber(env, 'INBOX_LEASE_SECONDS', 60, 1, 3600),
    // Up to GitHub's redelivery window (3 days) and a week of resync: longer is a typo, not a plan.
    redeliveryIntervalSeconds: parseWholeNumber(env, 'REDELIVERY_INTERVAL_SECONDS', 300, 0, 259_200),
    resyncIntervalSeconds: parseWholeNumber(env, 'RESYNC_INTERVAL_SECONDS', 21_600, 0, 604_800),
    auditSigning: parseAuditSigning(env, readFile, dataDir),
  };
}

const PEM_BLOCK = /-----BEGIN [A-Z ]+-----[\s\S]+?-----END [A-Z ]+-----/g;

function readPem(
  env: Environment,
  readFile: (path: string) => string,
  inline: string,
  pathName: string,
): string | null {
  const text = nonEmpty(env, inline);
  const path = nonEmpty(env, pathName);
  if (text !== null && path !== null) throw new ConfigError(inline, `set either ${inline} or ${pathName}, not both`);
  if (text !== null) return text.replace(/\\n/g, '\n');
  if (path === null) return null;
  try {
    return readFile(path);
  } catch (error) {
    throw new ConfigError(pathName, `cannot read ${path}: ${(error as Error).message}`);
  }
}

function parseAuditSigning(env: Environment, readFile: (path: string) => string, dataDir: string): AuditSigningConfig {
  const privateKeyPem = readPem(env, readFile, 'AUDIT_SIGNING_KEY', 'AUDIT_SIGNING_KEY_PATH');
  if (privateKeyPem !== null) {
    const variable = nonEmpty(env, 'AUDIT_SIGNING_KEY') !== null ? 'AUDIT_SIGNING_KEY' : 'AUDIT_SIGNING_KEY_PATH';
    let type: string | undefined;
    try {
      type = createPrivateKey(privateKeyPem).asymmetricKeyType;
    } catch (error) {
      throw new ConfigError(variable, `cannot be parsed as a private key (${(error as Error).message})`);
    }
    if (type !== 'ed25519')
      throw new ConfigError(
        variable,
        `is a ${type ?? 'unknown'} key; make an Ed25519 one: openssl genpkey -algorithm ed25519`,
      );
  }
  const earlier = nonEmpty(env, 'AUDIT_VERIFY_KEYS_PATH');
  let earlierPublicKeyPems: string[] = [];
  if (earlier !== null) {
    let text: string;
    try {
      text = readFile(earlier);
    } catch (error) {
      throw new ConfigError('AUDIT_VERIFY_KEYS_PATH', `cannot read ${earlier}: ${(error as Error).message}`);
    }
    earlierPublicKeyPems = text.match(PEM_BLOCK) ?? [];
    for (const pem of earlierPublicKeyPems) {
      try {
        createPublicKey(pem);
      } catch (error) {
        throw new ConfigError(
          'AUDIT_VERIFY_KEYS_PATH',
          `holds a key that cannot be parsed (${(error as Error).message})`,
        );
      }
    }
  }
  return {
    privateKeyPem,
    earlierPublicKeyPems,
    everyRecords: parseWholeNumber(env, 'AUDIT_CHECKPOINT_RECORDS', 1000, 1, 100_000),
    everySeconds: parseWholeNumber(env, 'AUDIT_CHECKPOINT_SECONDS', 3600, 1, 86_400),
    exportDir: resolve(nonEmpty(env, 'AUDIT_CHECKPOINT_DIR') ?? dataDir),
  };
}

function parseWholeNumber(env: Environment, name: string, fallback: number, min: number, max: number): number {
  const raw = nonEmpty(env, name);
  if (raw === null) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max)
    throw new ConfigError(name, `"${raw}" is not a whole number from ${min} to ${max}`);
  return value;
}

function parseWakeEndpoint(env: Environment): WakePushConfig['endpoint'] {
  const url = nonEmpty(env, 'WAKE_ENDPOINT_URL');
  const secret = nonEmpty(env, 'WAKE_ENDPOINT_SECRET');
  if (url === null && secret === null) return null;
  if (url === null) throw new ConfigError('WAKE_ENDPOINT_URL', 'is required when WAKE_ENDPOINT_SECRET is set');
  if (secret === null)
    throw new ConfigError('WAKE_ENDPOINT_SECRET', 'is required when WAKE_ENDPOINT_URL is set: the secret wakes are signed with');
  const problem = endpointUrlProblem(url);
  if (problem !== null) throw new ConfigError('WAKE_ENDPOINT_URL', problem);
  const secretProblem = signingSecretProblem(secret);
  if (secretProblem !== null) throw new ConfigError('WAKE_ENDPOINT_SECRET', secretProblem);
  return { url, secret };
}

function parseRetentionDays(env: Environment): number | null {
  return nonEmpty(env, 'AUDIT_RETENTION_DAYS') === null
    ? null
    : parseWholeNumber(env, 'AUDIT_RETENTION_DAYS', 0, 1, 36_500);
}

function parseTraceUrlTemplate(env: Environment): string | null {
  const template = nonEmpty(env, 'TRACE_URL_TEMPLATE');
  if (template === null) return null;
  let protocol: string | null = null;
  try {
    protocol = new URL(template.replaceAll('{traceId}', '0')).protocol;
  } catch {
    // reported below
  }
  if ((protocol !== 'http:' && protocol !== 'https:') || !template.includes('{traceId}')) {
    throw new ConfigError(
      'TRACE_URL_TEMPLATE',
      'must be an http(s) URL containing {traceId}, e.g. http://localhost:3001/explore?left={"queries":[{"query":"{traceId}"}]}',
    );
  }
  return template;
}

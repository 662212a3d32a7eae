import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { ConfigError, parseConfig, type Environment } from '../src/config.js';
import { completeDevelopmentConfig, devCredentialsPath } from '../src/dev-credentials.js';
import { temporaryDir } from './support/test-service.js';

const PEM = generateKeyPairSync('rsa', { modulusLength: 2048 })
  .privateKey.export({ type: 'pkcs1', format: 'pem' })
  .toString();
const DAMAGED_PEM = '-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n';
const EC_PEM = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();
const readFixture = (path: string): string => {
  if (path === '/keys/app.pem') return PEM;
  throw new Error(`ENOENT: no such file or directory, open '${path}'`);
};
const production = {
  NODE_ENV: 'production',
  API_TOKEN: 'api-token-0123456789',
  GITHUB_WEBHOOK_SECRET: 'webhook-secret-0123456789',
};

test('no variables at all means development mode with documented defaults', (t) => {
  const config = parseConfig({}, readFixture);
  t.like(config, {
    mode: 'development',
    port: 3000,
    host: '127.0.0.1',
    apiToken: null,
    webhookSecrets: [],
    githubApp: null,
    githubApiUrl: 'https://api.github.com',
    logLevel: 'info',
    inboxPaused: false,
    traceUrlTemplate: null,
    auditRetentionDays: null,
    wakeRetentionDays: 14,
    wakePush: { endpoint: null, maxAttempts: 22, firstRetryMs: 5000, pauseSeconds: 60 },
    inboxLeaseSeconds: 60,
    redeliveryIntervalSeconds: 300,
    resyncIntervalSeconds: 21_600,
  });
  t.is(config.store.kind, 'sqlite');
  t.true(config.dataDir.endsWith('/data'));
});

test('0 disables the redelivery sweep and the drift resync', (t) => {
  t.like(parseConfig({ REDELIVERY_INTERVAL_SECONDS: '0', RESYNC_INTERVAL_SECONDS: '0' }, readFixture), {
    redeliveryIntervalSeconds: 0,
    resyncIntervalSeconds: 0,
  });
  t.like(parseConfig({ RESYNC_INTERVAL_SECONDS: '3600' }, readFixture), { resyncIntervalSeconds: 3600 });
});

test('TRACE_URL_TEMPLATE is kept as given when it is an http URL with {traceId}', (t) => {
  const template = 'http://localhost:3001/explore?traceId={traceId}';
  t.is(parseConfig({ TRACE_URL_TEMPLATE: template }, readFixture).traceUrlTemplate, template);
});

test('a comma-separated GITHUB_WEBHOOK_SECRET yields every secret, trimmed', (t) => {
  const config = parseConfig(
    { ...production, GITHUB_WEBHOOK_SECRET: ' old-secret-0123456 , new-secret-0123456 ,' },
    readFixture,
  );
  t.deepEqual(config.webhookSecrets, ['old-secret-0123456', 'new-secret-0123456']);
});

test('MongoDB, App credentials and an Enterprise API URL are parsed', (t) => {
  const config = parseConfig(
    {
      ...production,
      MONGODB_URI: 'mongodb+srv://cluster.example.net/?retryWrites=true',
      MONGODB_DB: 'routing',
      GITHUB_APP_ID: '12345',
      GITHUB_APP_PRIVATE_KEY_PATH: '/keys/app.pem',
      GITHUB_API_URL: 'https://ghe.example.com/api/v3/',
    },
    readFixture,
  );
  t.deepEqual(config.store, {
    kind: 'mongodb',
    uri: 'mongodb+srv://cluster.example.net/?retryWrites=true',
    database: 'routing',
  });
  t.deepEqual(config.githubApp, { appId: 12345, privateKey: PEM });
  t.is(config.githubApiUrl, 'https://ghe.example.com/api/v3');
});

test('short secrets are accepted in development mode, where nothing is exposed', (t) => {
  t.like(parseConfig({ API_TOKEN: 'x', GITHUB_WEBHOOK_SECRET: 'y' }, readFixture), {
    mode: 'development',
    apiToken: 'x',
    webhookSecrets: ['y'],
  });
});

test('an inline private key with escaped newlines is restored', (t) => {
  const config = parseConfig(
    { ...production, GITHUB_APP_ID: '1', GITHUB_APP_PRIVATE_KEY: PEM.replace(/\n/g, '\\n') },
    readFixture,
  );
  t.is(config.githubApp?.privateKey, PEM);
});

const badValues: [string, Environment, string, RegExp][] = [
  ['a non-numeric PORT', { PORT: 'eighty' }, 'PORT', /not a port number/],
  ['a PORT out of range', { PORT: '70000' }, 'PORT', /not a port number/],
  ['MONGODB_URI without a scheme', { MONGODB_URI: 'localhost:27017' }, 'MONGODB_URI', /mongodb:\/\//],
  ['an invalid MONGODB_DB', { MONGODB_URI: 'mongodb://db', MONGODB_DB: 'a/b' }, 'MONGODB_DB', /database name/],
  [
    'an unreadable key file',
    { GITHUB_APP_ID: '1', GITHUB_APP_PRIVATE_KEY_PATH: '/keys/missing.pem' },
    'GITHUB_APP_PRIVATE_KEY_PATH',
    /cannot read \/keys\/missing\.pem/,
  ],
  ['a key that is not PEM', { GITHUB_APP_ID: '1', GITHUB_APP_PRIVATE_KEY: 'hunter2' }, 'GITHUB_APP_PRIVATE_KEY', /PEM/],
  [
    'a PEM key that is damaged',
    { GITHUB_APP_ID: '1', GITHUB_APP_PRIVATE_KEY: DAMAGED_PEM },
    'GITHUB_APP_PRIVATE_KEY',
    /cannot be parsed as a private key/,
  ],
  ['a key that is not RSA', { GITHUB_APP_ID: '1', GITHUB_APP_PRIVATE_KEY: EC_PEM }, 'GITHUB_APP_PRIVATE_KEY', /RSA/],
  [
    'a short API_TOKEN in production',
    { ...production, API_TOKEN: 'x' },
    'API_TOKEN',
    /is 1 characters; outside development mode it must have at least 16/,
  ],
  [
    'a short webhook secret among several in production',
    { ...production, GITHUB_WEBHOOK_SECRET: 'webhook-secret-0123456789,abc' },
    'GITHUB_WEBHOOK_SECRET',
    /secret 2 is 3 characters/,
  ],
  ['an App id without a key', { GITHUB_APP_ID: '1' }, 'GITHUB_APP_PRIVATE_KEY', /required/],
  ['a key without an App id', { GITHUB_APP_PRIVATE_KEY: PEM }, 'GITHUB_APP_ID', /required/],
  ['a non-numeric App id', { GITHUB_APP_ID: 'abc', GITHUB_APP_PRIVATE_KEY: PEM }, 'GITHUB_APP_ID', /positive integer/],
  ['a GITHUB_API_URL that is not a URL', { GITHUB_API_URL: 'not a url' }, 'GITHUB_API_URL', /not a URL/],
  ['a GITHUB_API_URL with another scheme', { GITHUB_API_URL: 'ftp://x' }, 'GITHUB_API_URL', /http/],
  ['an unknown LOG_LEVEL', { LOG_LEVEL: 'loud' }, 'LOG_LEVEL', /not one of/],
  ['a non-boolean INBOX_PAUSED', { INBOX_PAUSED: 'maybe' }, 'INBOX_PAUSED', /not a boolean/],
  [
    'a negative REDELIVERY_INTERVAL_SECONDS',
    { REDELIVERY_INTERVAL_SECONDS: '-5' },
    'REDELIVERY_INTERVAL_SECONDS',
    /whole number from 0 to 259200/,
  ],
  [
    'a RESYNC_INTERVAL_SECONDS with a unit',
    { RESYNC_INTERVAL_SECONDS: '6h' },
    'RESYNC_INTERVAL_SECONDS',
    /whole number from 0 to 604800/,
  ],
  [
    'a RESYNC_INTERVAL_SECONDS over a week',
    { RESYNC_INTERVAL_SECONDS: '604801' },
    'RESYNC_INTERVAL_SECONDS',
    /whole number from 0 to 604800/,
  ],
  ['a zero INBOX_LEASE_SECONDS', { INBOX_LEASE_SECONDS: '0' }, 'INBOX_LEASE_SECONDS', /whole number from 1 to 3600/],
  [
    'a zero AUDIT_RETENTION_DAYS',
    { AUDIT_RETENTION_DAYS: '0' },
    'AUDIT_RETENTION_DAYS',
    /whole number from 1 to 36500/,
  ],
  ['a WAKE_ENDPOINT_URL without its secret', { WAKE_ENDPOINT_URL: 'http://runner/wakes' }, 'WAKE_ENDPOINT_SECRET', /required/],
  [
    'a WAKE_ENDPOINT_SECRET without its URL',
    { WAKE_ENDPOINT_SECRET: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' },
    'WAKE_ENDPOINT_URL',
    /required/,
  ],
  [
    'a WAKE_ENDPOINT_SECRET that is not a Standard Webhooks secret',
    { WAKE_ENDPOINT_URL: 'http://runner/wakes', WAKE_ENDPOINT_SECRET: 'hunter2' },
    'WAKE_ENDPOINT_SECRET',
    /whsec_/,
  ],
  [
    'a WAKE_ENDPOINT_SECRET too short to sign with',
    { WAKE_ENDPOINT_URL: 'http://runner/wakes', WAKE_ENDPOINT_SECRET: 'whsec_c2hvcnQ=' },
    'WAKE_ENDPOINT_SECRET',
    /24 to 64 bytes/,
  ],
  [
    'a WAKE_ENDPOINT_URL that is not http',
    { WAKE_ENDPOINT_URL: 'file:///etc/passwd', WAKE_ENDPOINT_SECRET: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' },
    'WAKE_ENDPOINT_URL',
    /http/,
  ],
  ['a zero WAKE_PUSH_MAX_ATTEMPTS', { WAKE_PUSH_MAX_ATTEMPTS: '0' }, 'WAKE_PUSH_MAX_ATTEMPTS', /from 1 to 100/],
  [
    'a TRACE_URL_TEMPLATE without {traceId}',
    { TRACE_URL_TEMPLATE: 'http://tempo/x' },
    'TRACE_URL_TEMPLATE',
    /\{traceId\}/,
  ],
  [
    'a TRACE_URL_TEMPLATE that is not http',
    { TRACE_URL_TEMPLATE: 'javascript:{traceId}' },
    'TRACE_URL_TEMPLATE',
    /http/,
  ],
  ['production without API_TOKEN', { NODE_ENV: 'production', GITHUB_WEBHOOK_SECRET: 's' }, 'API_TOKEN', /openssl rand/],
  [
    'production without GITHUB_WEBHOOK_SECRET',
    { NODE_ENV: 'production', API_TOKEN: 't' },
    'GITHUB_WEBHOOK_SECRET',
    /webhook secret/,
  ],
];

for (const [what, env, variable, message] of badValues) {
  test(`${what} stops start-up with a message naming ${variable}`, (t) => {
    const error = t.throws(() => parseConfig(env, readFixture), { instanceOf: ConfigError });
    t.is(error?.variable, variable);
    t.true(error?.message.startsWith(`${variable}: `));
    t.regex(error?.message ?? '', message);
  });
}

test('development mode generates credentials once and reuses them after a restart', (t) => {
  const dataDir = temporaryDir(t);
  const first = completeDevelopmentConfig(parseConfig({ DATA_DIR: dataDir }, readFixture));
  t.true(first.generated);
  t.true(first.config.apiToken.length >= 32);
  t.is(first.config.webhookSecrets.length, 1);
  const second = completeDevelopmentConfig(parseConfig({ DATA_DIR: dataDir }, readFixture));
  t.is(second.config.apiToken, first.config.apiToken);
  t.deepEqual(second.config.webhookSecrets, first.config.webhookSecrets);
  const kept = JSON.parse(readFileSync(devCredentialsPath(dataDir), 'utf8')) as Record<string, string>;
  t.is(kept.apiToken, first.config.apiToken);
});

test('development mode keeps secrets the environment gives and generates nothing when both are set', (t) => {
  const dataDir = temporaryDir(t);
  const given = completeDevelopmentConfig(
    parseConfig({ DATA_DIR: dataDir, API_TOKEN: 'mine', GITHUB_WEBHOOK_SECRET: 'ours' }, readFixture),
  );
  t.false(given.generated);
  t.is(given.config.apiToken, 'mine');
  t.throws(() => readFileSync(join(dataDir, 'dev-credentials.json')));
  const partial = completeDevelopmentConfig(parseConfig({ DATA_DIR: dataDir, API_TOKEN: 'mine' }, readFixture));
  t.is(partial.config.apiToken, 'mine');
  t.is(partial.config.webhookSecrets.length, 1);
});

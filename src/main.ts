import { readFileSync } from 'node:fs';
import { ConfigError, parseConfig } from './config.js';
import { completeDevelopmentConfig, devCredentialsPath } from './dev-credentials.js';
import { startService } from './service.js';
import { createLogger } from './telemetry/logger.js';

// The composition root: the only module that reads process.env.

function fail(message: string): never {
  process.stderr.write(`reconciler cannot start: ${message}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseConfig(process.env, (path) => readFileSync(path, 'utf8'));
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  const { config, generated } =
    parsed.mode === 'development'
      ? completeDevelopmentConfig(parsed)
      : {
          config: { ...parsed, apiToken: parsed.apiToken ?? '', webhookSecrets: parsed.webhookSecrets },
          generated: false,
        };
  const logger = createLogger({ level: config.logLevel });
  const service = await startService(config, logger);

  if (generated) {
    // A banner for the person at the terminal, deliberately not a log line: logs never carry secrets.
    process.stdout.write(
      [
        '',
        'reconciler is running in development mode (set NODE_ENV=production to require real secrets)',
        `  URL:            ${service.url}`,
        `  API token:      ${config.apiToken}`,
        `  Webhook secret: ${config.webhookSecrets[0] ?? ''}`,
        `  (kept in ${devCredentialsPath(config.dataDir)}; restarts reuse them)`,
        '',
      ].join('\n') + '\n',
    );
  }
  logger.info({ url: service.url, mode: config.mode, store: config.store.kind }, 'reconciler listening');

  const shutdown = (signal: string): void => {
    logger.info({ signal }, 'shutting down: no new requests, finishing the delivery in hand');
    service.close().then(
      () => {
        logger.info('stopped');
        logger.flush();
        process.exitCode = 0;
      },
      (error: unknown) => {
        logger.error({ err: (error as Error).message }, 'shutdown failed');
        logger.flush();
        process.exitCode = 1;
      },
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));

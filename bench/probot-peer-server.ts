import { generateKeyPairSync } from 'node:crypto';
import { Probot, Server } from 'probot';

// The peer in bench/ingest.ts: a Probot 13 app with a push handler, served the way `probot run`
// serves one (its Express server, its pino request log at info). It stores nothing: whatever it
// acknowledges is lost if it dies before the handler ends.

// Probot reads the key only to call GitHub, which this app never does; a real key keeps it quiet.
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const server = new Server({
  Probot: Probot.defaults({
    appId: 1,
    privateKey: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    secret: process.env.GITHUB_WEBHOOK_SECRET ?? '',
    logLevel: 'info',
  }),
  host: '127.0.0.1',
  port: Number(process.env.PORT),
  webhookPath: '/webhooks/github',
});
await server.load((app) => {
  // What a push handler that has nothing to do costs: Probot's context and its event dispatch.
  app.on('push', async (context) => {
    context.log.debug({ id: context.id }, 'push');
  });
});
await server.start();
process.once('SIGTERM', () => {
  void server.stop().then(() => process.exit(0));
});

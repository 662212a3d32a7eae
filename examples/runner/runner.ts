import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';

// An example runner: receives the reconciler's pushed wakes, checks each signature with the
// `standardwebhooks` package, handles each webhook-id once (across restarts, through a file of
// the ids it handled), and prints each wake it handles as one JSON line. Run it with
//
//   RUNNER_SECRET=whsec_... PORT=4000 npm run example:runner
//
// and register it: PUT /api/endpoints/runner { "url": "http://127.0.0.1:4000/wakes", "secret": "whsec_..." }.
// RUNNER_FAIL_FIRST=N answers 500 to the first N requests, to watch the reconciler's retries.

const secret = process.env.RUNNER_SECRET;
if (secret === undefined || secret === '') {
  console.error('RUNNER_SECRET is required: the endpoint secret the reconciler signs with (whsec_...)');
  process.exit(2);
}
const webhook = new Webhook(secret);
const port = Number(process.env.PORT ?? 4000);
const handledFile = process.env.RUNNER_HANDLED_FILE ?? 'runner-handled.txt';
let failFirst = Number(process.env.RUNNER_FAIL_FIRST ?? 0);

const handled = new Set(existsSync(handledFile) ? readFileSync(handledFile, 'utf8').split('\n').filter(Boolean) : []);

interface WakeMessage {
  type: string;
  data: {
    id: string;
    triggerId: string;
    event: string;
    action: string | null;
    repoFullName: string | null;
    replay: boolean;
  };
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    if (failFirst > 0) {
      failFirst -= 1;
      res.writeHead(500).end('failing on purpose (RUNNER_FAIL_FIRST)');
      return;
    }
    const body = Buffer.concat(chunks).toString('utf8');
    let message: WakeMessage;
    try {
      message = webhook.verify(body, req.headers as Record<string, string>) as WakeMessage;
    } catch (error) {
      const reason = error instanceof WebhookVerificationError ? error.message : 'unreadable message';
      console.error(JSON.stringify({ refused: reason }));
      res.writeHead(400).end(reason);
      return;
    }
    const webhookId = String(req.headers['webhook-id']);
    if (handled.has(webhookId)) {
      // A retry of one already handled (its answer was lost): acknowledge, do nothing twice.
      res.writeHead(204).end();
      return;
    }
    // Recorded before the answer: a crash after it makes the reconciler send it again, and the
    // file says it was handled.
    appendFileSync(handledFile, `${webhookId}\n`);
    handled.add(webhookId);
    const wake = message.data;
    console.log(
      JSON.stringify({
        webhookId,
        wakeId: wake.id,
        triggerId: wake.triggerId,
        event: wake.action === null ? wake.event : `${wake.event}.${wake.action}`,
        repo: wake.repoFullName,
        replay: wake.replay,
      }),
    );
    res.writeHead(204).end();
  });
});
server.listen(port, '127.0.0.1', () => console.error(JSON.stringify({ listening: `http://127.0.0.1:${port}/wakes` })));

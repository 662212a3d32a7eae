// `npm run dev:tunnel`: real GitHub webhooks on a laptop. GitHub cannot reach 127.0.0.1, so a
// smee.io channel receives the deliveries and smee-client replays each one, headers and raw body
// as sent (the signature still verifies), to the local service's webhook route.
// SMEE_URL names the channel (set it as the App's webhook URL); without it a new channel is made.
import { parseArgs } from 'node:util';
import { SmeeClient } from 'smee-client';

const USAGE = `usage: npm run dev:tunnel [-- --target URL]
  SMEE_URL   the smee.io channel set as the GitHub App's webhook URL (default: create a new channel)
  --target   where deliveries go (default: http://127.0.0.1:$PORT/webhooks/github, PORT default 3000)`;

function fail(message) {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  process.exit(2);
}

function httpUrl(raw, name) {
  let url;
  try {
    url = new URL(raw);
  } catch {
    fail(`${name} must be a URL, not ${JSON.stringify(raw)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') fail(`${name} must be an http(s) URL`);
  return url.href;
}

let values;
try {
  ({ values } = parseArgs({ options: { target: { type: 'string' }, help: { type: 'boolean', default: false } } }));
} catch (error) {
  fail(error.message);
}
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const port = process.env.PORT ?? '3000';
if (!/^\d{1,5}$/.test(port)) fail(`PORT must be a port number, not ${JSON.stringify(port)}`);
const target = httpUrl(values.target ?? `http://127.0.0.1:${port}/webhooks/github`, '--target');
const source =
  process.env.SMEE_URL === undefined ? await SmeeClient.createChannel() : httpUrl(process.env.SMEE_URL, 'SMEE_URL');
process.stdout.write(`forwarding ${source}\n        to ${target}\nset ${source} as the GitHub App's webhook URL\n`);
await new SmeeClient({ source, target, logger: console }).start();

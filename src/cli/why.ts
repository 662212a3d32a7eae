#!/usr/bin/env node
import { renderDiagnosis, renderStory } from './render-why.js';
import { answer, CONNECTION_USAGE, parseCommandLine, runCommand, serviceClient, UsageError } from './service-client.js';

// `npm run why -- <deliveryId>` or `npm run why -- --repo owner/name --user U`: asks a running
// service the same questions as GET /api/deliveries/:id and GET /api/diagnose, and prints the
// answers. Exit 0 when answered, 1 when the service refused (e.g. unknown delivery), 2 on bad
// usage or when the service cannot be reached.

const USAGE = `usage:
  npm run why -- <deliveryId>                  the story of one delivery
  npm run why -- --repo owner/name --user U    the troubleshooting order for a repo
options:
${CONNECTION_USAGE}
  --json         print the API's JSON instead of text`;

runCommand(USAGE, async () => {
  const { values, positionals } = parseCommandLine({
    repo: { type: 'string' },
    user: { type: 'string' },
    json: { type: 'boolean', default: false },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const [deliveryId, ...extra] = positionals;
  const askRepo = values.repo !== undefined || values.user !== undefined;
  if (
    extra.length > 0 ||
    (deliveryId === undefined) === !askRepo ||
    (askRepo && (values.repo === undefined || values.user === undefined))
  )
    throw new UsageError('give either a delivery id, or both --repo owner/name and --user U');
  const client = serviceClient(values);
  const print = <T>(body: T, render: (body: T) => string): void => {
    process.stdout.write(values.json ? `${JSON.stringify(body, null, 2)}\n` : render(body));
  };
  if (askRepo) {
    const query = { userId: String(values.user), repo: String(values.repo) };
    print(await answer(client, client.api.GET('/api/diagnose', { params: { query } })), renderDiagnosis);
  } else {
    const path = { deliveryId: deliveryId ?? '' };
    print(await answer(client, client.api.GET('/api/deliveries/{deliveryId}', { params: { path } })), renderStory);
  }
});

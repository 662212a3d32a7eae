#!/usr/bin/env node
import type { SyncRequest, SyncStarted } from '../http/api-shapes.js';
import { progressLine, resultLines } from './render-sync.js';
import { answer, CONNECTION_USAGE, parseCommandLine, runCommand, serviceClient, UsageError } from './service-client.js';

// `npm run sync -- --user U [--oauth-token T]`: starts a sync of one user on the running service
// (POST /api/users/:id/sync?async=1, or joins the one running) and draws its progress until it ends.

const USAGE = `usage:
  npm run sync -- --user U [--oauth-token TOKEN]
options:
${CONNECTION_USAGE}`;

const POLL_MS = 200;

runCommand(USAGE, async () => {
  const { values, positionals } = parseCommandLine({ user: { type: 'string' }, 'oauth-token': { type: 'string' } });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (values.user === undefined || positionals.length > 0) throw new UsageError('give --user U');
  const client = serviceClient(values);
  const token = values['oauth-token'];
  const request: SyncRequest & { oauthToken?: string } = token === undefined ? {} : { oauthToken: token };
  const started = (await answer(
    client,
    client.api.POST('/api/users/{userId}/sync', {
      params: { path: { userId: values.user }, query: { async: '1' } },
      body: request,
    }),
  )) as SyncStarted;
  process.stdout.write(`${started.joined ? 'joined the running' : 'started'} sync ${started.syncId}\n`);
  const tty = process.stderr.isTTY === true;
  let shown = '';
  for (;;) {
    const progress = await answer(
      client,
      client.api.GET('/api/syncs/{syncId}', { params: { path: { syncId: started.syncId } } }),
    );
    const line = progressLine(progress);
    // On a terminal the bar redraws in place; in a log, one line per change.
    if (line !== shown) process.stderr.write(tty ? `\r${line}` : `${line}\n`);
    shown = line;
    if (progress.state !== 'running') {
      if (tty) process.stderr.write('\n');
      for (const line of resultLines(progress)) process.stdout.write(`${line}\n`);
      if (progress.state === 'failed') process.exitCode = 1;
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
});

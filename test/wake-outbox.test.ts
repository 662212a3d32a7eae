import test, { type ExecutionContext } from 'ava';
import { OCTO_API, coveredRepoWorld, deliver, pushPayload, pushTrigger } from './support/github-payloads.js';
import { startTestService, temporaryDir, type TestService } from './support/test-service.js';

// The wake outbox as a runner pulls it (issue: pull still works, better): long-polls, a stream
// that resumes by Last-Event-ID, and cursors the outbox cannot continue from refused with where
// to resume. Every wake here comes from a signed push through the real service.

interface WakesPage {
  wakes: { id: string; seq: number; deliveryId: string }[];
  nextCursor: string | null;
}

async function wokenWorld(t: ExecutionContext): Promise<TestService> {
  const service = await startTestService(t);
  await coveredRepoWorld(service);
  await pushTrigger(service, 22);
  return service;
}

const push = (service: TestService) => deliver(service, 'push', pushPayload(OCTO_API, 22, ['README.md']));

async function page(service: TestService, query: string): Promise<WakesPage> {
  const response = await service.api(`/api/wakes${query}`);
  if (response.status !== 200) throw new Error(`${response.status}: ${await response.text()}`);
  return (await response.json()) as WakesPage;
}

/** Reads server-sent events from a stream until `count` events arrived (comments skipped). */
async function readEvents(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  count: number,
): Promise<{ id: string; event: string; data: { id: string } }[]> {
  const decoder = new TextDecoder();
  const events: { id: string; event: string; data: { id: string } }[] = [];
  let buffered = '';
  while (events.length < count) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the stream ended after ${events.length} events`);
    buffered += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffered.indexOf('\n\n')) >= 0 && events.length < count) {
      const block = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      const fields: Record<string, string> = Object.fromEntries(
        block
          .split('\n')
          .filter((line) => !line.startsWith(':') && line.includes(': '))
          .map((line) => [line.slice(0, line.indexOf(': ')), line.slice(line.indexOf(': ') + 2)]),
      );
      const { id, event, data } = fields;
      if (id !== undefined && event !== undefined && data !== undefined)
        events.push({ id, event, data: JSON.parse(data) as { id: string } });
    }
  }
  return events;
}

test('a cursor past the head is refused with the head position, also on an empty outbox', async (t) => {
  const service = await startTestService(t);
  const empty = await service.api('/api/wakes?cursor=5');
  t.is(empty.status, 400);
  t.like(await empty.json(), { error: { code: 'cursor_beyond_head', head: '0' } });
  t.deepEqual(await page(service, ''), { wakes: [], nextCursor: null });

  await coveredRepoWorld(service);
  await pushTrigger(service, 22);
  await push(service);
  const { wakes, nextCursor } = await page(service, '');
  t.is(wakes.length, 1);
  const beyond = await service.api(`/api/wakes?cursor=${Number(nextCursor) + 1}`);
  t.is(beyond.status, 400);
  const body = (await beyond.json()) as { error: { head: string; message: string } };
  t.is(body.error.head, nextCursor ?? 'none');
  t.regex(body.error.message, /past the newest wake/);
  t.deepEqual(await page(service, `?cursor=${nextCursor}`), { wakes: [], nextCursor });
});

test('unknown parameters and a bad wait are refused with what to use', async (t) => {
  const service = await startTestService(t);
  const unknown = await service.api('/api/wakes?curser=3');
  t.is(unknown.status, 400);
  t.regex(((await unknown.json()) as { error: { message: string } }).error.message, /unknown filter curser/);
  for (const wait of ['31', '-1', 'soon'])
    t.is((await service.api(`/api/wakes?wait=${wait}`)).status, 400, `wait=${wait}`);
  t.is((await service.api('/api/wakes/stream?limit=3')).status, 400);
});

test('a long-poll waits for the next wake and answers with it', async (t) => {
  const service = await wokenWorld(t);
  const first = await push(service);
  const { nextCursor } = await page(service, '');
  const polling = page(service, `?cursor=${nextCursor}&wait=30`);
  const second = await push(service);
  const answered = await polling;
  t.deepEqual(
    answered.wakes.map((w) => w.deliveryId),
    [second.id],
  );
  t.not(second.id, first.id);
  t.is(answered.nextCursor, String(answered.wakes[0]?.seq));
});

test('a long-poll with nothing new answers an empty page at the end of its wait', async (t) => {
  const service = await wokenWorld(t);
  await push(service);
  const { nextCursor } = await page(service, '');
  t.deepEqual(await page(service, `?cursor=${nextCursor}&wait=1`), { wakes: [], nextCursor });
});

test('the stream sends every wake once, and resumes from Last-Event-ID without a gap or a repeat', async (t) => {
  const service = await wokenWorld(t);
  const before = [await push(service), await push(service)];
  const stream = await service.api('/api/wakes/stream');
  t.is(stream.status, 200);
  t.regex(stream.headers.get('content-type') ?? '', /^text\/event-stream/);
  const reader = stream.body!.getReader();
  const early = await readEvents(reader, 2);
  t.deepEqual(
    early.map((e) => e.data.id),
    before.map((d) => `${d.id}:t1`),
  );
  t.true(early.every((e) => e.event === 'wake'));
  const live = await push(service);
  const [third] = await readEvents(reader, 1);
  t.is(third?.data.id, `${live.id}:t1`, 'a wake written while connected arrives on the stream');
  await reader.cancel();

  const missed = await push(service);
  const resumed = await service.api('/api/wakes/stream', { headers: { 'last-event-id': early[1]!.id } });
  const again = resumed.body!.getReader();
  t.deepEqual(
    (await readEvents(again, 2)).map((e) => e.data.id),
    [`${live.id}:t1`, `${missed.id}:t1`],
    'from the event after Last-Event-ID',
  );
  await again.cancel();
});

test('a stream ends when the service stops', async (t) => {
  const service = await wokenWorld(t);
  const stream = await service.api('/api/wakes/stream');
  const reader = stream.body!.getReader();
  const first = new TextDecoder().decode((await reader.read()).value);
  t.true(first.startsWith('retry: 2000'), 'the stream opened');
  const drained = (async () => {
    for (;;) if ((await reader.read()).done) return 'ended';
  })();
  await service.close();
  const outcome = await Promise.race([
    drained,
    new Promise((resolve) => setTimeout(() => resolve('still open'), 5_000)),
  ]);
  t.is(outcome, 'ended', 'the stream ended with the service instead of holding its stop');
});

test('a cursor older than retention kept is answered 410 with where to resume', async (t) => {
  const service = await wokenWorld(t);
  for (let i = 0; i < 3; i++) await push(service);
  const { wakes } = await page(service, '');
  const seqs = wakes.map((w) => w.seq);
  t.is(await service.store.pruneWakes(new Date(Date.now() + 60_000).toISOString()), 2);
  const expired = await service.api(`/api/wakes?cursor=${seqs[0]}`);
  t.is(expired.status, 410);
  const body = (await expired.json()) as { error: { code: string; resumeCursor: string } };
  t.is(body.error.code, 'cursor_expired');
  t.is(body.error.resumeCursor, String(seqs[1]));
  const resumed = await page(service, `?cursor=${body.error.resumeCursor}`);
  t.deepEqual(
    resumed.wakes.map((w) => w.seq),
    [seqs[2]],
  );
  t.is((await service.api(`/api/wakes/stream?cursor=${seqs[0]}`)).status, 410);
  t.deepEqual(
    (await page(service, '')).wakes.map((w) => w.seq),
    [seqs[2]],
    'without a cursor, from the oldest wake kept',
  );
});

test('the retention job prunes wakes older than WAKE_RETENTION_DAYS', async (t) => {
  let clock = Date.now();
  const dataDir = temporaryDir(t);
  const service = await startTestService(t, { dataDir, overrides: { now: () => new Date(clock) } });
  await coveredRepoWorld(service);
  await pushTrigger(service, 22);
  for (let i = 0; i < 2; i++) await push(service);
  t.is((await page(service, '')).wakes.length, 2);
  await service.close();
  clock += 15 * 86_400_000;
  const restarted = await startTestService(t, {
    dataDir,
    overrides: { now: () => new Date(clock) },
  });
  await eventuallyPruned(restarted);
  t.is((await page(restarted, '')).wakes.length, 1, 'the newest wake is kept: it holds the outbox head');
});

async function eventuallyPruned(service: TestService): Promise<void> {
  const deadline = Date.now() + 10_000;
  while ((await page(service, '')).wakes.length > 1) {
    if (Date.now() > deadline) throw new Error('the retention job did not prune');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

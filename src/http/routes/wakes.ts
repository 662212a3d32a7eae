import { once } from 'node:events';
import { Router, type Response } from 'express';
import { publicWake } from '../../domain/wake-push.js';
import type { Store } from '../../store/store.js';
import type { WakesPage } from '../api-shapes.js';
import { HttpError } from '../http-error.js';
import type { WakeFeed } from '../wake-feed.js';
import { wakeStreamQuery, wakesQuery } from '../openapi/wakes.js';
import { parseQuery } from '../openapi/parse-request.js';

// The wake outbox, read by the platform's runner (docs/routing.md, "Wakes"): oldest first, and
// the cursor only moves forward, so a runner that keeps nextCursor sees every wake once. A
// cursor the outbox cannot continue from is refused, never answered with silence: past the
// head (400) or older than what retention kept (410), each with where to resume.

/** A stream sends a comment this often while idle, so proxies and clients see it is alive. */
const STREAM_HEARTBEAT_MS = 15_000;
const STREAM_PAGE = 100;

/** Where reading continues: after the cursor once it is checked, or before the oldest wake kept. */
async function startAfter(store: Store, afterSeq: number | undefined): Promise<number> {
  const { oldestSeq, headSeq } = await store.wakeBounds();
  const firstKept = oldestSeq ?? headSeq + 1;
  if (afterSeq === undefined) return firstKept - 1;
  if (afterSeq > headSeq)
    throw new HttpError(
      400,
      'cursor_beyond_head',
      `cursor ${afterSeq} is past the newest wake (${headSeq}): keep the nextCursor of the last page you read`,
      { head: String(headSeq) },
    );
  if (afterSeq < firstKept - 1)
    throw new HttpError(
      410,
      'cursor_expired',
      `the wakes after ${afterSeq} up to ${firstKept - 1} were pruned (WAKE_RETENTION_DAYS); resume with cursor ${firstKept - 1}`,
      { resumeCursor: String(firstKept - 1) },
    );
  return afterSeq;
}


/** An abort signal for the client going away (or the response ending). */
function closeSignal(res: Response): AbortSignal {
  const closed = new AbortController();
  res.once('close', () => closed.abort());
  return closed.signal;
}

export function wakeRoutes(store: Store, feed: WakeFeed): Router {
  const router = Router();
  router.get('/wakes', async (req, res) => {
    const { limit = 100, wait = 0, cursor } = parseQuery(wakesQuery, req.query);
    const afterSeq = await startAfter(store, cursor);
    let wakes = await store.listWakes({ limit, afterSeq });
    if (wakes.length === 0 && wait > 0 && (await feed.waitBeyond(afterSeq, wait * 1000, closeSignal(res))))
      wakes = await store.listWakes({ limit, afterSeq });
    const last = wakes.at(-1);
    const position = last?.seq ?? afterSeq;
    res.json({ wakes: wakes.map(publicWake), nextCursor: position > 0 ? String(position) : null } satisfies WakesPage);
  });

  // Server-sent events: one `wake` event per wake, its seq as the event id, so a client that
  // reconnects with Last-Event-ID (as EventSource does) continues without a gap or a repeat.
  router.get('/wakes/stream', async (req, res) => {
    const lastEventId = req.get('last-event-id');
    const { cursor } = parseQuery(wakeStreamQuery, lastEventId === undefined ? req.query : { ...req.query, cursor: lastEventId });
    let afterSeq = await startAfter(store, cursor);
    res.status(200).set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    const closed = closeSignal(res);
    const send = async (chunk: string): Promise<void> => {
      if (!res.write(chunk)) await once(res, 'drain', { signal: closed });
    };
    try {
      await send('retry: 2000\n\n');
      while (!closed.aborted && !feed.closed) {
        const wakes = await store.listWakes({ limit: STREAM_PAGE, afterSeq });
        for (const wake of wakes) {
          await send(`id: ${wake.seq}\nevent: wake\ndata: ${JSON.stringify(publicWake(wake))}\n\n`);
          afterSeq = wake.seq;
        }
        if (wakes.length === STREAM_PAGE) continue;
        if (!(await feed.waitBeyond(afterSeq, STREAM_HEARTBEAT_MS, closed)) && !closed.aborted)
          await send(': idle\n\n');
      }
    } catch (error) {
      if (closed.aborted) return;
      // Headers are sent: the error travels as an event, and the client reconnects from its last id.
      const message = error instanceof Error ? error.message : String(error);
      res.write(`event: error\ndata: ${JSON.stringify({ error: { code: 'internal', message } })}\n\n`);
    }
    res.end();
  });
  return router;
}

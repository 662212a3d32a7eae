import type { IncomingMessage } from 'node:http';
import type { Span } from '@opentelemetry/api';
import type { Request, RequestHandler, Response } from 'express';
import { acceptDelivery, type DeliveryAcceptorDeps } from '../../inbox/accept-delivery.js';
import type { Logger } from '../../telemetry/logger.js';
import { inWebhookReceiveSpan } from '../../telemetry/tracing.js';
import type { BodyReservation, IngressActivity, Refusal } from '../../inbox/ingress-gate.js';
import { RefusalTally } from '../../inbox/refusal-tally.js';
import type { WebhookAnswer } from '../api-shapes.js';
import { destroyAfterAnswer, sendError } from '../http-error.js';

/** GitHub does not deliver payloads above 25 MB (GITHUB-FACTS.md, Deliveries). */
export const GITHUB_PAYLOAD_CAP_BYTES = 25 * 1024 * 1024;

type BodyReading = Buffer | 'too_large' | Refusal | 'stalled' | 'aborted';

/**
 * A body that sends nothing for this long is given up (408): GitHub sends a whole delivery in
 * well under a second, and every moment a stalled body holds its share of the budget is taken from
 * the deliveries behind it.
 */
export const WEBHOOK_BODY_STALL_MS = 2_000;

/** While refused signatures keep coming, one line sums them up per this interval. */
export const BAD_SIGNATURE_SUMMARY_MS = 60_000;

/**
 * Reads the raw body against the request's reservation. A declared length is reserved at once, so
 * a body that cannot fit is refused before any byte is read, and is read into one buffer of that
 * size (no chunk list to concatenate). Gives up, releasing what it holds, as soon as the body
 * passes the cap ('too_large'), the budget or the source's share is spent, nothing arrives for
 * `stallMs` ('stalled'), or the client goes away before sending all of it ('aborted').
 */
function readCappedBody(
  req: IncomingMessage,
  capBytes: number,
  reservation: BodyReservation,
  stallMs: number,
): Promise<BodyReading> {
  const lengthHeader = req.headers['content-length'];
  // Node's parser has refused a Content-Length that is not a number; the pattern keeps the types honest.
  const declared = lengthHeader !== undefined && /^\d+$/.test(lengthHeader) ? Number(lengthHeader) : null;
  if (declared !== null && declared > capBytes) return Promise.resolve('too_large');
  const refusedAtOnce = declared !== null ? reservation.reserve(declared) : null;
  if (refusedAtOnce !== null) return Promise.resolve(refusedAtOnce);
  return new Promise((resolve) => {
    // Node's parser never passes more than the declared length.
    const whole = declared !== null ? Buffer.allocUnsafe(declared) : null;
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    let chunksSeen = 0;
    let stall: NodeJS.Timeout | undefined;
    const settle = (reading: BodyReading): void => {
      if (settled) return;
      settled = true;
      clearTimeout(stall);
      req.off('data', onData);
      chunks.length = 0;
      if (!Buffer.isBuffer(reading)) reservation.release();
      resolve(reading);
    };
    // Timers run before pending reads in a turn of the event loop: after a long turn (a blocked
    // loop) the bytes may be waiting unread, so the stall is confirmed once they have been read.
    const armStall = (): void => {
      clearTimeout(stall);
      stall = setTimeout(() => {
        const seen = chunksSeen;
        setImmediate(() => (chunksSeen === seen ? settle('stalled') : undefined));
      }, stallMs);
    };
    const onData = (chunk: Buffer): void => {
      chunksSeen += 1;
      armStall();
      if (whole !== null) {
        chunk.copy(whole, size);
        size += chunk.length;
        return;
      }
      size += chunk.length;
      if (size > capBytes) return settle('too_large');
      const refusal = reservation.reserve(chunk.length);
      if (refusal !== null) return settle(refusal);
      chunks.push(chunk);
    };
    armStall();
    req.on('data', onData);
    req.once('end', () => settle(whole ?? Buffer.concat(chunks, size)));
    // Node reports a request body cut short as an error ("aborted"), or only closes: the client's doing, not ours.
    req.once('error', () => settle('aborted'));
    req.once('close', () => settle('aborted'));
  });
}

/**
 * Answers and then closes the connection for good: the rest of the body is not wanted, and a client
 * that never reads the answer must not keep a half-closed socket (and what it holds) open.
 */
function closeAfterAnswer(res: Response): void {
  res.set('Connection', 'close');
  destroyAfterAnswer(res.socket);
}

export type WebhookResult =
  'accepted' | 'duplicate' | 'bad_signature' | 'malformed' | 'too_large' | 'busy' | 'timeout' | 'aborted' | 'error';

export interface WebhookRouteDeps extends DeliveryAcceptorDeps {
  logger: Logger;
  /** Called once a delivery is stored and waiting, so the worker takes it at once. */
  onStored: () => void;
  /** Called for every answer (metrics); `event` is the unverified header, to be bounded by the observer. */
  onAnswered: (answer: { event: string | null; result: WebhookResult; seconds: number }) => void;
  /** How long a body may send nothing before it is given up (default WEBHOOK_BODY_STALL_MS). */
  bodyStallMs?: number;
  /** The interval of the summary line of refused signatures (default BAD_SIGNATURE_SUMMARY_MS). */
  badSignatureSummaryMs?: number;
}

/** `POST /webhooks/github`: mounted before any body parser, because the signature covers the raw bytes. */
export function webhookRoute(deps: WebhookRouteDeps, activity: IngressActivity): RequestHandler {
  const log = deps.logger.child({ component: 'webhook' });
  const stallMs = deps.bodyStallMs ?? WEBHOOK_BODY_STALL_MS;
  const summaryMs = deps.badSignatureSummaryMs ?? BAD_SIGNATURE_SUMMARY_MS;
  const badSignatures = new RefusalTally();
  const summarizeBadSignatures = (): void => {
    const summary = badSignatures.closeInterval();
    if (summary === null) return;
    log.warn(
      { result: 'bad_signature', ...summary, intervalMs: summaryMs },
      `webhook refused: ${summary.count} more bad signatures in ${summaryMs} ms from ${summary.sources.length + summary.otherSources} addresses`,
    );
    // Unref'd: a summary still pending must not keep a stopping process alive.
    setTimeout(summarizeBadSignatures, summaryMs).unref();
  };
  const receive = async (
    req: Request,
    res: Response,
    span: Span,
    reservation: BodyReservation,
  ): Promise<WebhookResult> => {
    // The remote address is logged with every refusal: a stream of them names who is probing.
    const headerFields = {
      deliveryId: req.get('x-github-delivery'),
      event: req.get('x-github-event'),
      source: req.socket.remoteAddress,
    };
    const body = await readCappedBody(req, GITHUB_PAYLOAD_CAP_BYTES, reservation, stallMs);
    if (body === 'aborted') {
      // Nothing was stored and nobody is left to answer: GitHub marks the attempt failed and the
      // redelivery sweep asks for it again.
      log.info({ ...headerFields, result: 'aborted' }, 'webhook refused: the client closed the connection mid-body');
      return 'aborted';
    }
    if (body === 'stalled') {
      log.warn({ ...headerFields, result: 'timeout' }, `webhook refused: no body bytes for ${stallMs} ms`);
      closeAfterAnswer(res);
      sendError(res, 408, 'request_timeout', `the body sent nothing for ${stallMs} ms`);
      return 'timeout';
    }
    if (body === 'over_budget' || body === 'over_source_share') {
      const [limit, cap] =
        body === 'over_budget'
          ? ['webhook bodies in memory at once', activity.budget.totalBytes]
          : ['webhook bodies in memory at once from one address', activity.budget.perSourceBytes];
      log.warn({ ...headerFields, result: 'busy', refusal: body }, `webhook refused: over ${cap} bytes of ${limit}`);
      closeAfterAnswer(res);
      res.set('Retry-After', '1');
      sendError(
        res,
        503,
        'busy',
        `too many webhook bytes are being received at once${body === 'over_source_share' ? ' from this address' : ''}; GitHub marks this attempt failed and the redelivery sweep asks for it again`,
      );
      return 'busy';
    }
    if (body === 'too_large') {
      log.warn({ ...headerFields, result: 'too_large' }, 'webhook refused: body over the 25 MB cap');
      // Close the connection rather than read the rest of an oversized upload.
      closeAfterAnswer(res);
      sendError(res, 413, 'payload_too_large', `webhook bodies are capped at ${GITHUB_PAYLOAD_CAP_BYTES} bytes`);
      return 'too_large';
    }
    // Read first: the store may take the body's memory over (the SQLite writer thread does).
    const bytes = body.length;
    const outcome = await acceptDelivery(deps, req.headers, body);
    switch (outcome.kind) {
      case 'rejected':
        // Never log the body of an unverified request: it is attacker-controlled. The first of a
        // stream is logged alone, those after it in one summary line per interval.
        if (badSignatures.note(headerFields.source ?? 'unknown') === 'log') {
          log.warn({ ...headerFields, bytes, result: outcome.code }, 'webhook refused: bad signature');
          setTimeout(summarizeBadSignatures, summaryMs).unref();
        }
        sendError(res, 401, outcome.code, outcome.message);
        return 'bad_signature';
      case 'malformed':
        log.warn({ ...headerFields, bytes, result: outcome.code }, `webhook refused: ${outcome.message}`);
        sendError(res, 400, outcome.code, outcome.message);
        return 'malformed';
      case 'stored': {
        const { delivery, status } = outcome;
        span.setAttributes({
          'messaging.system': 'github',
          'messaging.message.id': delivery.id,
          'github.event': delivery.event,
          ...(delivery.action !== null ? { 'github.action': delivery.action } : {}),
          ...(delivery.installationId !== null ? { 'github.installation.id': delivery.installationId } : {}),
          ...(delivery.repoId !== null ? { 'github.repository.id': delivery.repoId } : {}),
          'reconciler.inbox.status': status,
        });
        // debug: the worker logs each delivery's outcome at info, one line per delivery is enough.
        log.debug(
          { deliveryId: delivery.id, event: delivery.event, action: delivery.action, result: status },
          'webhook acknowledged',
        );
        if (status !== 'duplicate') deps.onStored();
        res
          .status(status === 'duplicate' ? 200 : 202)
          .json({ status, deliveryId: delivery.id, state: delivery.state } satisfies WebhookAnswer);
        // A redelivery of an unfinished delivery is stored already: for the metric it is a duplicate.
        return status === 'duplicate' || status === 'pending' ? 'duplicate' : 'accepted';
      }
    }
  };
  return (req, res) =>
    activity.track(req.socket.remoteAddress ?? 'unknown', (reservation) => {
      const started = performance.now();
      return inWebhookReceiveSpan(async (span) => {
        const answered = (result: WebhookResult) => ({
          event: req.get('x-github-event') ?? null,
          result,
          seconds: (performance.now() - started) / 1000,
        });
        let result: WebhookResult;
        try {
          result = await receive(req, res, span, reservation);
        } catch (error) {
          // Counted too: a store outage must show on the webhook dashboard, not only in logs.
          deps.onAnswered(answered('error'));
          throw error;
        }
        span.setAttribute('reconciler.webhook.result', result);
        deps.onAnswered(answered(result));
      });
    });
}

import type { IncomingMessage } from 'node:http';
import type { Span } from '@opentelemetry/api';
import type { Request, RequestHandler, Response } from 'express';
import { acceptDelivery, type DeliveryAcceptorDeps } from '../../inbox/accept-delivery.js';
import type { Logger } from '../../telemetry/logger.js';
import { inWebhookReceiveSpan } from '../../telemetry/tracing.js';
import type { IngressActivity } from '../../inbox/ingress-gate.js';
import type { WebhookAnswer } from '../api-shapes.js';
import { sendError } from '../http-error.js';

/** GitHub does not deliver payloads above 25 MB (GITHUB-FACTS.md, Deliveries). */
export const GITHUB_PAYLOAD_CAP_BYTES = 25 * 1024 * 1024;

type BodyReading = Buffer | 'too_large' | 'over_budget' | 'aborted';

/**
 * Reads the raw body, taking each chunk from the shared budget first. Gives up, without keeping
 * what it read, as soon as the body passes the cap ('too_large') or the budget is spent
 * ('over_budget'); 'aborted' when the client goes away before sending all of it.
 */
function readCappedBody(
  req: IncomingMessage,
  capBytes: number,
  reserve: (bytes: number) => boolean,
): Promise<BodyReading> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > capBytes) return Promise.resolve('too_large');
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const giveUp = (reading: BodyReading): void => {
      req.off('data', onData);
      chunks.length = 0;
      resolve(reading);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > capBytes) giveUp('too_large');
      else if (!reserve(chunk.length)) giveUp('over_budget');
      else chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks, size)));
    // Node reports a request body cut short as an error ("aborted"): the client's doing, not ours.
    req.once('error', () => giveUp('aborted'));
  });
}

export type WebhookResult =
  'accepted' | 'duplicate' | 'bad_signature' | 'malformed' | 'too_large' | 'busy' | 'aborted' | 'error';

export interface WebhookRouteDeps extends DeliveryAcceptorDeps {
  logger: Logger;
  /** Called once a delivery is stored and waiting, so the worker takes it at once. */
  onStored: () => void;
  /** Called for every answer (metrics); `event` is the unverified header, to be bounded by the observer. */
  onAnswered: (answer: { event: string | null; result: WebhookResult; seconds: number }) => void;
}

/** `POST /webhooks/github`: mounted before any body parser, because the signature covers the raw bytes. */
export function webhookRoute(deps: WebhookRouteDeps, activity: IngressActivity): RequestHandler {
  const log = deps.logger.child({ component: 'webhook' });
  const receive = async (
    req: Request,
    res: Response,
    span: Span,
    reserveBody: (bytes: number) => boolean,
  ): Promise<WebhookResult> => {
    const headerFields = { deliveryId: req.get('x-github-delivery'), event: req.get('x-github-event') };
    const body = await readCappedBody(req, GITHUB_PAYLOAD_CAP_BYTES, reserveBody);
    if (body === 'aborted') {
      // Nothing was stored and nobody is left to answer: GitHub marks the attempt failed and the
      // redelivery sweep asks for it again.
      log.info({ ...headerFields, result: 'aborted' }, 'webhook refused: the client closed the connection mid-body');
      return 'aborted';
    }
    if (body === 'over_budget') {
      log.warn(
        { ...headerFields, result: 'busy' },
        `webhook refused: over ${activity.bodyBytesBudget} bytes of webhook bodies in memory at once`,
      );
      res.set('Connection', 'close');
      res.set('Retry-After', '1');
      sendError(
        res,
        503,
        'busy',
        'too many webhook bytes are being received at once; GitHub marks this attempt failed and the redelivery sweep asks for it again',
      );
      return 'busy';
    }
    if (body === 'too_large') {
      log.warn({ ...headerFields, result: 'too_large' }, 'webhook refused: body over the 25 MB cap');
      // Close the connection rather than read the rest of an oversized upload.
      res.set('Connection', 'close');
      sendError(res, 413, 'payload_too_large', `webhook bodies are capped at ${GITHUB_PAYLOAD_CAP_BYTES} bytes`);
      return 'too_large';
    }
    const outcome = await acceptDelivery(deps, req.headers, body);
    switch (outcome.kind) {
      case 'rejected':
        // Never log the body of an unverified request: it is attacker-controlled.
        log.warn({ ...headerFields, bytes: body.length, result: outcome.code }, 'webhook refused: bad signature');
        sendError(res, 401, outcome.code, outcome.message);
        return 'bad_signature';
      case 'malformed':
        log.warn({ ...headerFields, bytes: body.length, result: outcome.code }, `webhook refused: ${outcome.message}`);
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
    activity.track((reserveBody) => {
      const started = performance.now();
      return inWebhookReceiveSpan(async (span) => {
        const answered = (result: WebhookResult) => ({
          event: req.get('x-github-event') ?? null,
          result,
          seconds: (performance.now() - started) / 1000,
        });
        let result: WebhookResult;
        try {
          result = await receive(req, res, span, reserveBody);
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

import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { Logger } from '../telemetry/logger.js';

/**
 * An error the HTTP edge turns into `{ "error": { "code", "message", ...details } }` with its
 * status; details say what the client can do next (where to resume, say).
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Readonly<Record<string, string | number>> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export function sendError(
  res: Response,
  status: number,
  code: string,
  message: string,
  details: Readonly<Record<string, string | number>> = {},
): void {
  res.status(status).json({ error: { ...details, code, message } });
}

export const unknownRoute: RequestHandler = (req, res) => {
  sendError(res, 404, 'not_found', `no route for ${req.method} ${req.originalUrl.split('?')[0]}`);
};

interface BodyParserError {
  type?: string;
  status?: number;
}

/** The one place where thrown errors become statuses (STYLE.md, habit 4). */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    if (res.headersSent) return;
    if (error instanceof HttpError) {
      sendError(res, error.status, error.code, error.message, error.details);
      return;
    }
    const parserError = error as BodyParserError;
    if (parserError.type === 'entity.parse.failed') {
      sendError(res, 400, 'malformed_json', 'the request body is not valid JSON');
      return;
    }
    if (parserError.type === 'entity.too.large') {
      sendError(res, 413, 'payload_too_large', 'the request body is too large');
      return;
    }
    if (typeof parserError.status === 'number' && parserError.status >= 400 && parserError.status < 500) {
      sendError(res, parserError.status, 'bad_request', error instanceof Error ? error.message : 'bad request');
      return;
    }
    logger.error(
      { err: error instanceof Error ? error.message : String(error), method: req.method, path: req.path },
      'request failed',
    );
    sendError(res, 500, 'internal', 'the reconciler failed to answer this request; see its logs');
  };
}

/** How long a refused client has to read its answer before its socket is destroyed. */
const ANSWER_GRACE_MS = 1_000;

/**
 * Destroys a connection shortly after its last answer: ending it only half-closes the socket, and
 * a client that never reads (nor closes) would keep it, and whatever it holds, open for good.
 */
export function destroyAfterAnswer(socket: Duplex | null): void {
  setTimeout(() => socket?.destroy(), ANSWER_GRACE_MS).unref();
}

/**
 * Requests Node's parser refuses before Express sees them (a request line or headers over the
 * 16 KB cap, a broken request line, a bad Content-Length) get the same JSON error shape.
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, code, message] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'headers_too_large', 'the request line and headers exceed 16 KB']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'request_timeout', 'the request did not arrive in time']
        : [400, 'malformed_request', 'the request is not valid HTTP/1.1'];
  const body = JSON.stringify({ error: { code, message } });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
  destroyAfterAnswer(socket);
}

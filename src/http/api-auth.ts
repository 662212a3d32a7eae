import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { sendError } from './http-error.js';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/** Bearer API_TOKEN on every /api route, compared in constant time (digests hide the length). */
export function requireApiToken(apiToken: string): RequestHandler {
  const expected = digest(apiToken);
  return (req, res, next) => {
    const match = /^Bearer (.+)$/.exec(req.get('authorization') ?? '');
    if (match?.[1] === undefined || !timingSafeEqual(digest(match[1]), expected)) {
      res.set('WWW-Authenticate', 'Bearer realm="reconciler"');
      sendError(res, 401, 'unauthorized', 'send the API token as "Authorization: Bearer <API_TOKEN>"');
      return;
    }
    next();
  };
}

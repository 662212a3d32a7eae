import { Router, type Response } from 'express';
import { PAGE_SCRIPT } from '../view/page-script.js';
import { renderPageShell } from '../view/page-shell.js';
import { PAGE_STYLE } from '../view/page-style.js';

// The Observability view (R11, design card: "routing failures can be diagnosed from the
// Observability view"): GET / is a static shell, /view/* its script and stylesheet. The page
// holds no data of its own; it reads /api with the token the person enters, so serving it needs
// no token and leaks nothing.

export interface ObservabilityViewOptions {
  /** A trace viewer's URL with `{traceId}` in it (TRACE_URL_TEMPLATE); null shows ids without links. */
  traceUrlTemplate: string | null;
}

// Script and style come from this origin only; no inline script or style, no frames, no plugins.
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

const ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#182033"/><path d="M8 22l6-6-6-6M16 22h8" stroke="#7fb0ff" stroke-width="3" fill="none" stroke-linecap="round" stroke-linejoin="round"/></svg>`;

function send(res: Response, type: string, body: string): void {
  res.set({
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    // Revalidated every time (Express adds an ETag), so a new release is never hidden by a cache.
    'Cache-Control': 'no-cache',
  });
  res.type(type).send(body);
}

export function observabilityView(options: ObservabilityViewOptions): Router {
  const page = renderPageShell(options.traceUrlTemplate);
  const router = Router();
  router.get('/', (_req, res) => send(res, 'text/html; charset=utf-8', page));
  router.get('/view/app.js', (_req, res) => send(res, 'text/javascript; charset=utf-8', PAGE_SCRIPT));
  router.get('/view/app.css', (_req, res) => send(res, 'text/css; charset=utf-8', PAGE_STYLE));
  router.get('/view/icon.svg', (_req, res) => send(res, 'image/svg+xml', ICON));
  return router;
}

import { readdirSync, readFileSync } from 'node:fs';
import { Router, type Response } from 'express';
import type { Logger } from '../../telemetry/logger.js';
import { sendError } from '../http-error.js';
import { renderPageShell } from '../view/page-shell.js';
import { PAGE_STYLE } from '../view/page-style.js';

// The Observability view (R11, design card: "routing failures can be diagnosed from the
// Observability view"): GET / is a static shell, /view/* its script modules and stylesheet. The
// page holds no data of its own; it reads /api with the token the person enters, so serving it
// needs no token and leaks nothing.

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

/**
 * The view's modules as `npm run build` emitted them (src/http/view/app/tsconfig.json), beside
 * this file in dist: read once, served from memory under /view/<name>.js. The names are the
 * directory's, so no request path ever reaches the file system.
 */
const VIEW_MODULES_DIR = new URL('../view/app/', import.meta.url);
let viewModules: ReadonlyMap<string, string> | string | null = null;

/** The modules by name, or why there are none: a build without the view still serves webhooks. */
function readViewModules(): ReadonlyMap<string, string> | string {
  if (viewModules !== null) return viewModules;
  try {
    const names = readdirSync(VIEW_MODULES_DIR).filter((name) => /^[a-z][a-z0-9-]*\.js$/.test(name));
    viewModules = names.includes('app.js')
      ? new Map(names.map((name) => [name, readFileSync(new URL(name, VIEW_MODULES_DIR), 'utf8')]))
      : `no app.js in ${VIEW_MODULES_DIR.pathname}`;
  } catch (error) {
    viewModules = (error as Error).message;
  }
  return viewModules;
}

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

export function observabilityView(options: ObservabilityViewOptions, logger: Logger): Router {
  const page = renderPageShell(options.traceUrlTemplate);
  const modules = readViewModules();
  if (typeof modules === 'string')
    logger.warn(
      { problem: modules },
      'the Observability view is not built (npm run build builds it); GET / answers 503',
    );
  const router = Router();
  router.get('/', (_req, res) => {
    if (typeof modules === 'string')
      sendError(res, 503, 'view_not_built', `the Observability view is not built: ${modules}`);
    else send(res, 'text/html; charset=utf-8', page);
  });
  router.get('/view/app.css', (_req, res) => send(res, 'text/css; charset=utf-8', PAGE_STYLE));
  router.get('/view/icon.svg', (_req, res) => send(res, 'image/svg+xml', ICON));
  router.get('/view/:module', (req, res, next) => {
    const script = typeof modules === 'string' ? undefined : modules.get(req.params.module);
    if (script === undefined) next();
    else send(res, 'text/javascript; charset=utf-8', script);
  });
  return router;
}

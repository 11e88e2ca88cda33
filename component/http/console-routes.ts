/**
 * The admin console's files (issue 16): GET /admin (the page, with the XMPP WebSocket URL and the
 * component's domain it logs in with) and /admin/console.js, .css (web-client/dist/admin, built by
 * scripts/build-console.sh). The page may talk to this portal and to Prosody's WebSocket only
 * (Content-Security-Policy), and may not be framed (clickjacking).
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import express, { type Router } from 'express';

export interface ConsoleSettings {
  websocketUrl: string;
  componentDomain: string;
  guestDomain: string;
  distDir?: string;
  page?: string;
}

const DIST = fileURLToPath(new URL('../../web-client/dist/admin', import.meta.url));
const PAGE = fileURLToPath(new URL('../../web-client/admin/index.html', import.meta.url));

export function createConsoleRoutes(settings: ConsoleSettings): Router {
  const router = express.Router();
  const config = JSON.stringify({
    websocketUrl: settings.websocketUrl,
    componentDomain: settings.componentDomain,
    guestDomain: settings.guestDomain,
  }).replace(/</g, '\\u003c');
  let ws = "'none'";
  try {
    ws = new URL(settings.websocketUrl).origin.replace(/^http/, 'ws');
  } catch {
    /* no valid URL: the login will fail visibly */
  }
  const csp = [
    "default-src 'self'",
    `connect-src 'self' ${ws}`,
    "img-src 'self' https: data:",
    "style-src 'self' 'unsafe-inline'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; ');

  router.get(['/admin', '/admin/'], async (_req, res) => {
    try {
      const page = (await readFile(settings.page ?? PAGE, 'utf8')).replace('{{config}}', config);
      res
        .type('html')
        .set({ 'Cache-Control': 'no-cache', 'Content-Security-Policy': csp, 'X-Frame-Options': 'DENY', 'Referrer-Policy': 'no-referrer' })
        .send(page);
    } catch {
      res.status(404).json({ error: 'admin console not found' });
    }
  });
  router.use(
    '/admin',
    express.static(settings.distDir ?? DIST, { index: false, setHeaders: (res) => res.set('Cache-Control', 'no-cache') }),
  );
  return router;
}

/**
 * POST /api/widget/impressions (issue 18; contract in docs/reports.md): the loader's beacon
 * (navigator.sendBeacon, `Content-Type: text/plain`, so no CORS preflight) with counts only:
 * {"desk":"support","shown":{"open":2,"busy":0,"closed":1},"opened":1}.
 * 204 when counted; 400 naming the field; 413 past 1 KiB; 503 when Redis is down. No cookies are
 * read or set, and nothing about the sender (address, agent) is kept or logged.
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { type Impressions, parseImpressions } from '../../src/widget-impressions.js';

export const IMPRESSIONS_BODY_LIMIT = 1024;

export function createImpressionRoutes(record: (i: Impressions) => Promise<boolean>): Router {
  const router = express.Router();
  const path = '/api/widget/impressions';
  router.post(
    path,
    (_req: Request, res: Response, next: NextFunction) => {
      // Any page may post (the answer says nothing); no credentials are ever involved.
      res.set({ 'Cache-Control': 'no-store', 'Access-Control-Allow-Origin': '*' });
      next();
    },
    express.text({ type: () => true, limit: IMPRESSIONS_BODY_LIMIT }),
    async (req: Request, res: Response) => {
      const parsed = parseImpressions(typeof req.body === 'string' ? req.body : '');
      if (!parsed.ok) return void res.status(400).json({ error: parsed.error });
      try {
        if (!(await record(parsed.value))) return void res.status(400).json({ error: `desk: no desk ${parsed.value.desk}` });
      } catch {
        return void res.status(503).json({ error: 'impressions unavailable: storage is down' });
      }
      res.status(204).end();
    },
  );
  // The body parser's refusals (too large, bad charset) as JSON, not express's HTML page.
  router.use(path, (err: { status?: number; type?: string }, _req: Request, res: Response, _next: NextFunction) => {
    if (err.type === 'entity.too.large') return void res.status(413).json({ error: `body: at most ${IMPRESSIONS_BODY_LIMIT} bytes` });
    res.status(err.status && err.status < 500 ? err.status : 400).json({ error: 'body: unreadable' });
  });
  return router;
}

/**
 * The report API (docs/reports.md; described by GET /api/openapi.json):
 *   GET /api/reports?from=YYYY-MM-DD&to=YYYY-MM-DD&desk=&operator=&by=day|hour   JSON
 *   GET /api/reports.csv?…same…                                                   one row per period
 *   GET /api/reports/chats.csv?from=&to=&desk=&operator=                          one row per chat
 * Opened by an admin bearer token (http.adminTokens: an admin's view) or a console session's token
 * (issue 16: the session's live role decides — admins all, supervisors their desks, operators
 * themselves; services/reports.ts scopes it). 401 without a valid token, 403 for a query outside
 * the viewer's scope, 400 on a bad query, 503 when Redis is down.
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { isDomainError } from '../../src/errors.js';
import { chatsCsv, figuresCsv } from '../../src/report-csv.js';
import type { Figures } from '../../src/report-figures.js';
import { REPORTS_OPENAPI } from './reports-openapi.js';
import { tokenAccepted } from './transcript-routes.js';
import type { Viewer } from '../services/reports.js';

export interface ReportRouteQuery {
  from: string;
  to: string;
  desk?: string;
  operator?: string;
  by: 'day' | 'hour';
}

export interface ReportRouteDeps {
  adminTokens: readonly string[];
  /** The viewer behind a console session's bearer token (issue 16); undefined when unknown or expired. */
  sessionViewer?: (token: string) => Promise<Viewer | undefined>;
  /** The viewer's view of the query (services/reports.ts). */
  report(q: ReportRouteQuery, viewer: Viewer): Promise<{ rows: Figures[] }>;
  chats(q: ReportRouteQuery, viewer: Viewer): Promise<{ ticket: number; desk: string; day: string; fields: Record<string, string> }[]>;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function queryOf(q: Record<string, unknown>): ReportRouteQuery | string {
  const str = (k: string) => (typeof q[k] === 'string' ? (q[k] as string) : undefined);
  const from = str('from');
  const to = str('to') ?? from;
  if (!from || !DAY.test(from) || !to || !DAY.test(to)) return 'from (and to): days as YYYY-MM-DD';
  const by = str('by') ?? 'day';
  if (by !== 'day' && by !== 'hour') return 'by: day or hour';
  return { from, to, by, desk: str('desk') || undefined, operator: str('operator') || undefined };
}

export function createReportRoutes(deps: ReportRouteDeps): Router {
  const router = express.Router();
  router.get('/api/openapi.json', (_req, res) => void res.json(REPORTS_OPENAPI));
  router.use(['/api/reports', '/api/reports.csv'], async (req: Request, res: Response, next: NextFunction) => {
    res.set('Cache-Control', 'no-store');
    const header = req.get('authorization');
    let viewer: Viewer | undefined = tokenAccepted(header, deps.adminTokens) ? 'admin' : undefined;
    const bearer = /^Bearer ([!-~]+)$/.exec(header ?? '')?.[1];
    if (!viewer && bearer && deps.sessionViewer) {
      try {
        viewer = await deps.sessionViewer(bearer);
      } catch {
        return void res.status(503).json({ error: 'reports unavailable: storage is down' });
      }
    }
    if (!viewer) {
      res.set('WWW-Authenticate', 'Bearer realm="madoguchi"').status(401).json({ error: 'a valid bearer token is required' });
      return;
    }
    res.locals.viewer = viewer;
    next();
  });
  /** A route on a checked query; domain refusals become 403/400, anything else (Redis) 503. */
  const run = (send: (res: Response, q: ReportRouteQuery, viewer: Viewer) => Promise<void>) => async (req: Request, res: Response) => {
    const q = queryOf(req.query as Record<string, unknown>);
    if (typeof q === 'string') return void res.status(400).json({ error: q });
    try {
      await send(res, q, res.locals.viewer as Viewer);
    } catch (err) {
      if (isDomainError(err) && err.code === 'not-your-session') res.status(403).json({ error: err.message });
      else if (isDomainError(err)) res.status(400).json({ error: err.message });
      else res.status(503).json({ error: 'reports unavailable: storage is down' });
    }
  };
  const csv = (res: Response, text: string) => void res.type('text/csv; charset=utf-8').send(text);
  router.get(
    '/api/reports.csv',
    run(async (res, q, v) => csv(res, figuresCsv((await deps.report(q, v)).rows))),
  );
  router.get(
    '/api/reports/chats.csv',
    run(async (res, q, v) => csv(res, chatsCsv(await deps.chats(q, v)))),
  );
  router.get(
    '/api/reports',
    run(async (res, q, v) => void res.json(await deps.report(q, v))),
  );
  return router;
}

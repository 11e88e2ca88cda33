/**
 * The portal's express app (no listen here: http/server.ts owns the socket).
 * GET /api/status: each desk's state, the same the desk's presence says; /api/status/stream the same, live (SSE).
 * GET /livez: 200 while the process runs. GET /readyz (alias /healthz): 200 when Redis and the XMPP
 * link are up and the routes are kept (route cache synced, when on), 503 otherwise.
 * GET /metrics: Prometheus exposition (component/metrics/), to allowed networks or with the token.
 * GET /api/evidence/public-key, /api/evidence/head: the key and the newest signed head, for auditors.
 * GET /widget.js and GET / (demo page): the customer widget, when `widget` is given.
 * /api/transcripts…: the admin transcript API (./transcript-routes.ts), when `transcripts` is given.
 * POST /api/widget/impressions: the widget loader's impression beacon (./impression-routes.ts), when `impressions` is given.
 * GET /dev/mail: DEV ONLY, the dev SMTP catcher's mail (./dev-mail-routes.ts), when `devMailDir` is given.
 * /admin and /api/admin/*: the admin console and its JSON API (./console-routes.ts, ./admin-routes.ts).
 */
import express, { type Express } from 'express';
import type { DeskState } from '../../src/desk-state.js';
import { headJson, type SignedHead } from '../../src/evidence/head.js';
import { createWidgetRoutes, type WidgetSettings } from './widget-routes.js';
import { createTranscriptRoutes, type TranscriptRouteDeps } from './transcript-routes.js';
import { createReportRoutes, type ReportRouteDeps } from './report-routes.js';
import { createMetricsAccess, type MetricsAccessConfig } from './metrics-access.js';
import { createAdminRoutes, type AdminRouteDeps } from './admin-routes.js';
import { createConsoleRoutes, type ConsoleSettings } from './console-routes.js';
import { createStatusStream, type StatusStreamDeps } from './status-stream.js';
import { createStickerRoutes, type StickerRouteDeps } from './sticker-routes.js';
import { createDevMailRoutes } from './dev-mail-routes.js';
import { createImpressionRoutes } from './impression-routes.js';
import type { Impressions } from '../../src/widget-impressions.js';

export interface PortalDeps {
  deskStates: () => Promise<(DeskState & { name: string; jid: string })[]>;
  /** `routes`: the component keeps its routes (false while the route cache is not synced yet); absent: true. */
  /** `standby`: another instance holds the component domain (hot standby, issue 19). */
  health: () => Promise<{ redis: boolean; xmpp: boolean; routes?: boolean; standby?: boolean }>;
  metrics?: { text: () => Promise<string>; contentType: string; access: MetricsAccessConfig };
  widget?: WidgetSettings;
  evidencePublicKey?: () => string;
  /** The newest signed checkpoint as a head (undefined before the first). */
  evidenceHead?: () => Promise<SignedHead | undefined>;
  transcripts?: TranscriptRouteDeps;
  /** /api/reports, /api/reports.csv, /api/openapi.json (./report-routes.ts). */
  reports?: ReportRouteDeps;
  /** The admin console at /admin and its JSON API /api/admin/* (issue 16). */
  admin?: AdminRouteDeps;
  console?: ConsoleSettings;
  /** GET /api/status/stream (./status-stream.ts): the desk status feed (services/desk-status-feed.ts). */
  statusFeed?: StatusStreamDeps;
  /** /api/widget/stickers and /stickers/<pack>/<file> (./sticker-routes.ts). */
  stickers?: StickerRouteDeps;
  /** DEV ONLY: the dev SMTP catcher's directory, listed at /dev/mail (./dev-mail-routes.ts). */
  devMailDir?: string;
  /** POST /api/widget/impressions (./impression-routes.ts): counts a beacon; false for an unknown desk. */
  impressions?: (i: Impressions) => Promise<boolean>;
}

export function createPortalApp(deps: PortalDeps): Express {
  const app = express();
  app.disable('x-powered-by');

  app.get('/api/status', async (_req, res) => {
    try {
      // Any origin may read it: the widget's loader polls it when Server-Sent Events do not get through.
      res
        .set('Cache-Control', 'no-store')
        .set('Access-Control-Allow-Origin', '*')
        .json({ desks: await deps.deskStates(), at: new Date().toISOString() });
    } catch {
      res.status(503).json({ error: 'status unavailable: storage is down' });
    }
  });

  if (deps.evidencePublicKey) {
    const publicKey = deps.evidencePublicKey;
    // The deployment's Ed25519 key: all an auditor needs to verify exported logs offline.
    app.get('/api/evidence/public-key', (_req, res) => {
      res.type('application/x-pem-file').send(publicKey());
    });
  }

  if (deps.evidenceHead) {
    const latest = deps.evidenceHead;
    // The newest signed checkpoint: what `verify-log --expect-head-url` checks the files' end against.
    app.get('/api/evidence/head', async (_req, res) => {
      let head: SignedHead | undefined;
      try {
        head = await latest();
      } catch {
        return void res.status(503).json({ error: 'evidence head unavailable: storage is down' });
      }
      if (!head) return void res.status(404).json({ error: 'no signed checkpoint yet' });
      res.set('Cache-Control', 'no-store').type('application/json').send(headJson(head));
    });
  }

  const ready = async (_req: express.Request, res: express.Response) => {
    const h = await deps.health();
    const ok = h.redis && h.xmpp && h.routes !== false;
    res.status(ok ? 200 : 503).json({ ok, ...h });
  };
  app.get('/readyz', ready);
  app.get('/healthz', ready);
  app.get('/livez', (_req, res) => void res.json({ ok: true }));

  if (deps.metrics) {
    const { text, contentType } = deps.metrics;
    const allowed = createMetricsAccess(deps.metrics.access);
    app.get('/metrics', async (req, res) => {
      const verdict = allowed(req.socket.remoteAddress, req.get('authorization'));
      if (verdict === 401)
        return void res.status(401).set('WWW-Authenticate', 'Bearer realm="metrics"').json({ error: 'a metrics token is needed' });
      if (verdict === 403) return void res.status(403).json({ error: 'metrics are not served to this network' });
      try {
        res
          .set('Cache-Control', 'no-store')
          .type(contentType)
          .send(await text());
      } catch {
        res.status(503).json({ error: 'metrics unavailable' });
      }
    });
  }

  if (deps.statusFeed) app.use(createStatusStream(deps.statusFeed).router);
  if (deps.transcripts) app.use(createTranscriptRoutes(deps.transcripts));
  if (deps.reports) app.use(createReportRoutes(deps.reports));
  if (deps.admin) app.use(createAdminRoutes(deps.admin));
  if (deps.console) app.use(createConsoleRoutes(deps.console));
  if (deps.stickers) app.use(createStickerRoutes(deps.stickers));
  if (deps.widget) app.use(createWidgetRoutes(deps.widget));
  if (deps.devMailDir) app.use(createDevMailRoutes(deps.devMailDir));
  if (deps.impressions) app.use(createImpressionRoutes(deps.impressions));

  app.use((_req, res) => {
    res.status(404).json({ error: 'not found' });
  });
  return app;
}

/**
 * The portal's express app (no listen here: http/server.ts owns the socket).
 * GET /api/status: each desk's state, the same the desk's presence says.
 * GET /healthz: 200 when Redis and the XMPP link are up, 503 otherwise.
 * GET /widget.js and GET / (demo page): the customer widget, when `widget` is given.
 * /api/transcripts…: the admin transcript API (./transcript-routes.ts), when `transcripts` is given.
 */
import express, { type Express } from 'express';
import type { DeskState } from '../../src/desk-state.js';
import { createWidgetRoutes, type WidgetSettings } from './widget-routes.js';
import { createTranscriptRoutes, type TranscriptRouteDeps } from './transcript-routes.js';

export interface PortalDeps {
  deskStates: () => Promise<(DeskState & { name: string; jid: string })[]>;
  health: () => Promise<{ redis: boolean; xmpp: boolean }>;
  widget?: WidgetSettings;
  evidencePublicKey?: () => string;
  transcripts?: TranscriptRouteDeps;
}

export function createPortalApp(deps: PortalDeps): Express {
  const app = express();
  app.disable('x-powered-by');

  app.get('/api/status', async (_req, res) => {
    try {
      res.set('Cache-Control', 'no-store').json({ desks: await deps.deskStates(), at: new Date().toISOString() });
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

  app.get('/healthz', async (_req, res) => {
    const h = await deps.health();
    res.status(h.redis && h.xmpp ? 200 : 503).json({ ok: h.redis && h.xmpp, ...h });
  });

  if (deps.transcripts) app.use(createTranscriptRoutes(deps.transcripts));
  if (deps.widget) app.use(createWidgetRoutes(deps.widget));

  app.use((_req, res) => {
    res.status(404).json({ error: 'not found' });
  });
  return app;
}

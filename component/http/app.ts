/**
 * The portal's express app (no listen here: http/server.ts owns the socket).
 * GET /api/status: each desk's state, the same the desk's presence says.
 * GET /healthz: 200 when Redis and the XMPP link are up, 503 otherwise.
 * GET /api/evidence/public-key, /api/evidence/head: the key and the newest signed head, for auditors.
 * GET /widget.js and GET / (demo page): the customer widget, when `widget` is given.
 * /api/transcripts…: the admin transcript API (./transcript-routes.ts), when `transcripts` is given.
 */
import express, { type Express } from 'express';
import type { DeskState } from '../../src/desk-state.js';
import { headJson, type SignedHead } from '../../src/evidence/head.js';
import { createWidgetRoutes, type WidgetSettings } from './widget-routes.js';
import { createTranscriptRoutes, type TranscriptRouteDeps } from './transcript-routes.js';

export interface PortalDeps {
  deskStates: () => Promise<(DeskState & { name: string; jid: string })[]>;
  health: () => Promise<{ redis: boolean; xmpp: boolean }>;
  widget?: WidgetSettings;
  evidencePublicKey?: () => string;
  /** The newest signed checkpoint as a head (undefined before the first). */
  evidenceHead?: () => Promise<SignedHead | undefined>;
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

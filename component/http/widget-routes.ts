/**
 * The customer widget on the portal: GET /widget.js (the esbuild bundle in web-client/dist),
 * GET / (the demo shop page, with this deployment's WebSocket URL and domains filled in) and
 * GET /api/widget/form?desk=<id> (the pre-chat form's fields, config widget.form; any origin
 * may read it, since the widget runs on the site's pages).
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import express, { type Router } from 'express';

export interface WidgetSettings {
  /** Prosody's WebSocket endpoint as the browser reaches it, e.g. ws://localhost:5280/xmpp-websocket. */
  websocketUrl: string;
  guestDomain: string;
  componentDomain: string;
  distDir?: string;
  demoPage?: string;
  /** The pre-chat form (config widget.form, docs/widget-protocol.md §2). */
  form?: readonly WidgetFormField[];
  /** The desk's live form (issue 16: its own, else the default one); wins over `form`. */
  formOf?: (desk: string) => readonly WidgetFormField[];
  /** The widget's live appearance (issue 16), served at /api/widget/look. */
  look?: () => object;
}

export interface WidgetFormField {
  var: string;
  label: string;
  labelJa?: string;
  type: string;
  required: boolean;
  options?: readonly { value: string; label: string; labelJa?: string }[];
}

const DESK_ID = /^[a-z0-9._-]{1,64}$/;

const DIST = fileURLToPath(new URL('../../web-client/dist', import.meta.url));
const DEMO = fileURLToPath(new URL('../../web-client/demo/index.html', import.meta.url));

const escapeAttr = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function createWidgetRoutes(settings: WidgetSettings): Router {
  const router = express.Router();
  const values: Record<string, string> = {
    websocketUrl: settings.websocketUrl,
    guestDomain: settings.guestDomain,
    componentDomain: settings.componentDomain,
  };

  router.get('/api/widget/form', (req, res) => {
    res.set('Access-Control-Allow-Origin', '*').set('Cache-Control', 'no-cache');
    const desk = typeof req.query.desk === 'string' ? req.query.desk : 'support';
    if (!DESK_ID.test(desk)) {
      res.status(400).json({ error: 'desk: expected a desk id (a-z, 0-9, . _ -)' });
      return;
    }
    // One form for every desk for now; the desk is in the URL so per-desk forms need no widget change.
    res.json({
      desk,
      fields: (settings.formOf?.(desk) ?? settings.form ?? []).map((f) => ({
        var: f.var,
        label: f.label,
        ...(f.labelJa ? { labelJa: f.labelJa } : {}),
        type: f.type,
        required: f.required,
        ...(f.options ? { options: f.options } : {}),
      })),
    });
  });

  if (settings.look) {
    const look = settings.look;
    router.get('/api/widget/look', (_req, res) => {
      res.set('Access-Control-Allow-Origin', '*').set('Cache-Control', 'no-cache').json(look());
    });
  }

  router.get('/', async (_req, res) => {
    try {
      const page = await readFile(settings.demoPage ?? DEMO, 'utf8');
      res
        .type('html')
        .set('Cache-Control', 'no-cache')
        .send(page.replace(/\{\{(\w+)\}\}/g, (all, key: string) => escapeAttr(values[key] ?? all)));
    } catch {
      res.status(404).json({ error: 'demo page not found' });
    }
  });
  // no-cache: browsers revalidate (ETag), so a rebuilt widget is picked up at once.
  router.use(
    express.static(settings.distDir ?? DIST, {
      index: false,
      cacheControl: true,
      setHeaders: (res) => res.set('Cache-Control', 'no-cache'),
    }),
  );
  return router;
}

/**
 * The customer widget on the portal: GET /widget.js (the tiny entry), the loader and the chat chunk
 * (web-client/dist, scripts/build-widget.sh), GET / (the demo shop page, with this deployment's
 * WebSocket URL and domains filled in), GET /api/widget/form?desk=<id> (the desk's pre-chat form
 * fields, live: its own or the default) and GET /api/widget/look?desk=<id> (the button's look). Any
 * origin may read them, since the widget runs on the site's pages.
 *
 * Caching (issue 20): the loader and the chunks have content-hashed names and never change (a
 * year, immutable); only widget.js (the entry naming the loader) and the manifest are
 * short-lived. Files are sent gzipped when the build left a `.gz` beside them and the browser
 * takes gzip.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Response, type Router } from 'express';
import { deskQuery } from './desk-query.js';
import type { WidgetLook } from '../services/admin/admin-types.js';
import { DEFAULT_LOOK } from '../../config/org-parts.js';

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
  /** The button's look, live (the admin settings' `widget/default`, issue 16); absent: the built-in DEFAULT_LOOK (config/org-parts.ts). */
  look?: () => WidgetLook;
}

export interface WidgetFormField {
  var: string;
  label: string;
  labelJa?: string;
  type: string;
  required: boolean;
  options?: readonly { value: string; label: string; labelJa?: string }[];
}

const DIST = fileURLToPath(new URL('../../web-client/dist', import.meta.url));
const DEMO = fileURLToPath(new URL('../../web-client/demo/index.html', import.meta.url));

/** widget.js and the manifest: a release reaches pages within minutes. */
const SHORT = 'public, max-age=300';
/** Content-hashed loaders and chunks (loader-<hash>.js, chat-<hash>.js) never change under their name. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
const HASHED = /^\/(?:chat|loader)-[A-Za-z0-9]+\.js$/;
const GZIPPED = /^\/(?:widget\.js|(?:chat|loader)-[A-Za-z0-9]+\.js)$/;

function setCache(res: Response, path: string): void {
  res.set('Access-Control-Allow-Origin', '*');
  res.set('Cache-Control', HASHED.test(path) ? IMMUTABLE : path.endsWith('.map') ? 'no-cache' : SHORT);
}

const escapeAttr = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function createWidgetRoutes(settings: WidgetSettings): Router {
  const router = express.Router();
  const values: Record<string, string> = {
    websocketUrl: settings.websocketUrl,
    guestDomain: settings.guestDomain,
    componentDomain: settings.componentDomain,
  };

  router.get('/api/widget/look', (req, res) => {
    // no-cache: live settings show on the next page view (revalidated by ETag).
    res.set('Access-Control-Allow-Origin', '*').set('Cache-Control', 'no-cache');
    const desk = deskQuery(req, res);
    if (desk === undefined) return;
    // One look for every desk for now (id widget/default); the desk is in the URL for per-desk looks later.
    res.json(settings.look?.() ?? DEFAULT_LOOK);
  });

  router.get('/api/widget/form', (req, res) => {
    res.set('Access-Control-Allow-Origin', '*').set('Cache-Control', 'no-cache');
    const desk = deskQuery(req, res);
    if (desk === undefined) return;
    // The desk's own form, else the default one (live settings, issue 16; `form` when none are given).
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
  const dist = settings.distDir ?? DIST;
  // The build's precompressed copy, when the browser takes gzip (no compression work per request).
  router.get(GZIPPED, (req, res, next) => {
    const gz = join(dist, `${req.path}.gz`);
    if (req.acceptsEncodings('gzip') !== 'gzip' || !existsSync(gz)) return next();
    setCache(res, req.path);
    res.type('text/javascript; charset=utf-8');
    const headers = { 'Content-Encoding': 'gzip', Vary: 'Accept-Encoding' };
    // root: the dist path may contain a dot-directory (.build), which send refuses in a whole path.
    res.sendFile(`${req.path.slice(1)}.gz`, { root: dist, cacheControl: false, headers }, (err) => err && next());
  });
  router.use(
    express.static(dist, {
      index: false,
      cacheControl: false,
      setHeaders: (res, path) => {
        setCache(res, `/${path.split(/[\\/]/).pop()}`);
        res.set('Vary', 'Accept-Encoding');
      },
    }),
  );
  return router;
}

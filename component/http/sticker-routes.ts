/**
 * Stickers on the portal (issue 20): GET /api/widget/stickers?desk=<id> (the packs the widget's
 * panel shows; any origin may read it, the widget runs on the site's pages) and
 * GET /stickers/<pack>/<file>, only files named in the catalog (src/stickers.ts), so nothing else
 * in the directory is reachable. An SVG opened directly must not run script on the portal's
 * origin: the files go out with a sandboxing Content-Security-Policy and nosniff.
 */
import { fileURLToPath } from 'node:url';
import express, { type Router } from 'express';
import { deskQuery } from './desk-query.js';
import { STICKER_TYPES, type StickerCatalog } from '../../src/stickers.js';

export interface StickerRouteDeps {
  catalog: StickerCatalog;
  /** The packs' directory (each pack in <dir>/<pack id>/); default the shipped dev pack's. */
  dir?: string;
}

const SHIPPED = fileURLToPath(new URL('../../web-client/stickers', import.meta.url));

export function createStickerRoutes(deps: StickerRouteDeps): Router {
  const router = express.Router();
  const dir = deps.dir ?? SHIPPED;

  router.get('/api/widget/stickers', (req, res) => {
    res.set('Access-Control-Allow-Origin', '*').set('Cache-Control', 'no-cache');
    const desk = deskQuery(req, res);
    if (desk === undefined) return;
    res.json({
      desk,
      packs: deps.catalog.packs.map((p) => ({
        id: p.id,
        name: p.name,
        stickers: p.stickers.map((s) => ({ name: s.name, alt: s.alt, ...(s.altJa ? { altJa: s.altJa } : {}), url: s.url })),
      })),
    });
  });

  router.get('/stickers/:pack/:file', (req, res) => {
    const sticker = deps.catalog.file(req.params.pack, req.params.file);
    const type = sticker && STICKER_TYPES[sticker.file.split('.').pop() ?? ''];
    if (!sticker || !type) {
      res.status(404).json({ error: 'no such sticker' });
      return;
    }
    res
      .type(type)
      .set('X-Content-Type-Options', 'nosniff')
      .set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox")
      .set('Cross-Origin-Resource-Policy', 'cross-origin')
      .set('Cache-Control', 'public, max-age=86400');
    // `root`: the checks of send(1) apply to the pack's path only (the install dir may be a dot-dir, e.g. .build).
    res.sendFile(`${sticker.pack}/${sticker.file}`, { root: dir }, (err) => {
      if (err && !res.headersSent) res.status(404).json({ error: 'sticker file missing' });
    });
  });
  return router;
}

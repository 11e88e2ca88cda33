/**
 * DEV ONLY (issue 17): the dev stack's caught mail (scripts/lib/mail-catcher.ts writes <dir>/*.eml).
 * GET /dev/mail: an HTML list (time, to, subject) linking each file; GET /dev/mail/<file>: the .eml as
 * text. Mounted only when MADOGUCHI_DEV_MAIL_DIR is set (scripts/stack.ts); production has no route (404).
 * A file name must match the catcher's own pattern, so no path can leave the directory.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Router } from 'express';

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,120}\.eml$/;

export function createDevMailRoutes(dir: string): Router {
  const router = Router();
  router.get('/dev/mail', async (_req, res) => {
    const names = (await readdir(dir).catch(() => [] as string[]))
      .filter((n) => SAFE_NAME.test(n))
      .sort()
      .reverse();
    const rows = await Promise.all(
      names.map(async (name) => {
        const h = headers(await readFile(join(dir, name), 'utf8').catch(() => ''));
        return `<tr><td>${escapeHtml(h.date ?? '')}</td><td>${escapeHtml(h.to ?? '')}</td><td><a href="/dev/mail/${encodeURIComponent(name)}">${escapeHtml(h.subject || '(no subject)')}</a></td></tr>`;
      }),
    );
    res
      .set('Cache-Control', 'no-store')
      .type('html')
      .send(
        `<!doctype html><meta charset="utf-8"><title>Dev mail</title><h1>Dev mail (${names.length})</h1><p>${escapeHtml(dir)}</p>` +
          `<table><tr><th>Time</th><th>To</th><th>Subject</th></tr>${rows.join('')}</table>`,
      );
  });
  router.get('/dev/mail/:file', async (req, res) => {
    const name = req.params.file;
    if (!SAFE_NAME.test(name)) return void res.status(400).json({ error: 'bad mail file name' });
    try {
      res
        .set('Cache-Control', 'no-store')
        .type('text/plain; charset=utf-8')
        .send(await readFile(join(dir, name)));
    } catch {
      res.status(404).json({ error: 'no such mail' });
    }
  });
  return router;
}

/** Date, To and Subject from an RFC 5322 header block (folded lines joined, RFC 2047 words decoded). */
function headers(eml: string): Record<string, string> {
  const head = (eml.split(/\r?\n\r?\n/, 1)[0] ?? '').replace(/\r?\n[ \t]+/g, ' ');
  const out: Record<string, string> = {};
  for (const line of head.split(/\r?\n/)) {
    const m = /^(date|to|subject):\s*(.*)$/i.exec(line);
    if (m?.[1] && m[2] !== undefined) out[m[1].toLowerCase()] = decodeWords(m[2]);
  }
  return out;
}

function decodeWords(value: string): string {
  return value
    .replace(/(\?=)\s+(=\?)/g, '$1$2') // RFC 2047 §6.2: white space between encoded words is dropped
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_all, _charset: string, enc: string, text: string) =>
      enc.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(
            text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
            'latin1',
          ).toString('utf8'),
    );
}

/**
 * Shared by the browser suites: Debian's Chromium (never a downloaded browser), the widget
 * built once, screenshots (UPDATE_SCREENSHOTS=1 writes docs/screenshots), a shop site on its
 * own origin (so tests can navigate between the site's pages), and page helpers.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Element } from '@xmpp/xml';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Stack } from '../support/stack.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const NS_DESK = 'urn:madoguchi:desk:0';
export const NS_CHATSTATES = 'http://jabber.org/protocol/chatstates';
export const NS_RECEIPTS = 'urn:xmpp:receipts';
export const NS_MARKERS = 'urn:xmpp:chat-markers:0';
export const bodyOf = (el: Element) => el.getChildText('body') ?? '';
export const chatStateOf = (el: Element) => el.getChildElements().find((c) => c.attrs.xmlns === NS_CHATSTATES)?.name;
export const isMasked = (el: Element) => /^t\d+-[^@]+@support\.localhost$/.test(String(el.attrs.from));
export const isMaskedMessage = (el: Element) => el.name === 'message' && el.attrs.type !== 'error' && isMasked(el);

export function buildWidget(): void {
  execFileSync('bash', [join(ROOT, 'scripts/build-widget.sh')], { stdio: 'inherit' });
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export function screenshotDir(stack: Stack): string {
  const dir = process.env.UPDATE_SCREENSHOTS ? join(ROOT, 'docs/screenshots') : join(stack.dir, 'screenshots');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * A shop page with the widget tag (widget.js hosted by the shop itself, the form from the portal);
 * `attrs` are extra data-* attributes, `before` markup before the tag (the host API's stub).
 */
export function shopPage(stack: Stack, title: string, attrs = '', before = ''): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>
<body><h1>${title}</h1><a href="/cart" id="to-cart">Cart</a>${before}
<script src="/widget.js" data-portal="${stack.httpUrl}" data-ws="${stack.websocketUrl}" data-domain="guest.localhost"
  data-component="support.localhost" data-title="Tea Shop support" data-color="#0f766e" ${attrs}></script></body></html>`;
}

/**
 * A shop on its own loopback origin (a real server: Chromium's Private Network Access blocks a
 * routed, address-less origin from loading the widget from loopback). It hosts widget.js
 * itself with the loaders and chunks beside it, as a site or CDN may, so pages load while the portal (the
 * component) is down.
 * Every other path is a shop page titled after it.
 */
export async function startShop(stack: Stack, attrs = '', before = ''): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://shop').pathname;
    // The loader and the chunks beside it, as a CDN would publish web-client/dist.
    if (/^\/(?:widget\.js|(?:chat|loader)-[A-Za-z0-9]+\.js|widget-manifest\.json)$/.test(path)) {
      try {
        const body = readFileSync(join(ROOT, 'web-client/dist', path.slice(1)));
        res.writeHead(200, { 'Content-Type': path.endsWith('.json') ? 'application/json' : 'text/javascript; charset=utf-8' });
        res.end(body);
      } catch {
        res.writeHead(404).end();
      }
      return;
    }
    const title = path === '/' ? 'Tea Shop' : `Tea Shop ${path.slice(1)}`;
    res.writeHead(path === '/favicon.ico' ? 404 : 200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(path === '/favicon.ico' ? '' : shopPage(stack, title, attrs, before));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://localhost:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export interface PageWatch {
  dialogs: string[];
  errors: string[];
}
export function watchPage(page: Page): PageWatch {
  const w: PageWatch = { dialogs: [], errors: [] };
  page.on('dialog', (d) => {
    w.dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('pageerror', (err) => w.errors.push(err.message));
  return w;
}

export function widgetHelpers(page: Page, shots: string) {
  return {
    launcher: () => page.locator('.launcher'),
    /** The site's storage and cookies as the page sees them (keys only for the storages). */
    storage: () =>
      page.evaluate(() => {
        type Store = { length: number; key(i: number): string | null };
        const g = globalThis as unknown as { localStorage: Store; sessionStorage: Store; document: { cookie: string } };
        const keys = (s: Store) => Array.from({ length: s.length }, (_, i) => s.key(i) ?? '').sort();
        return { local: keys(g.localStorage), session: keys(g.sessionStorage), cookie: g.document.cookie };
      }),
    /** Opens the panel unless it is open already (a live chat reopens it on the next page). */
    async openPanel(): Promise<void> {
      await page
        .locator('.launcher:not([data-mode="connecting"])')
        .waitFor({ timeout: 10_000 })
        .catch(() => undefined);
      if (await page.locator('.panel').isHidden()) await page.locator('.launcher').click();
      await page.locator('.panel').waitFor();
    },
    waitMode: (mode: string, timeout = 10_000) => page.locator(`.launcher[data-mode="${mode}"]`).waitFor({ timeout }),
    waitText: (selector: string, text: string, timeout = 10_000) => page.locator(selector, { hasText: text }).first().waitFor({ timeout }),
    shot: (name: string) => page.screenshot({ path: join(shots, `${name}.png`) }),
    isFocused: (selector: string) =>
      page
        .locator(selector)
        .evaluate((el: { getRootNode(): unknown }) => (el.getRootNode() as { activeElement: unknown }).activeElement === el),
  };
}

/**
 * The impression beacon from a real browser (issue 18): a page on the shop's own origin sends what a
 * loader sends — navigator.sendBeacon with a JSON string (text/plain, so no CORS preflight) on
 * pagehide — to the portal on another origin; the counts reach /api/reports. The loader itself is
 * h-loader's (contract 7); this holds the server side to what Chromium really sends.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startStack, type Stack } from '../support/stack.js';
import { launchChromium } from './browser-kit.js';

const page = (portal: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title></head>
<body><h1>Shop</h1><script>
  const counts = { desk: 'support', shown: { open: 0, busy: 0, closed: 0 }, opened: 0 };
  window.show = (state) => { counts.shown[state]++; };
  window.open_ = () => { counts.opened++; };
  window.flush = () => {
    window.sent = navigator.sendBeacon('${portal}/api/widget/impressions', JSON.stringify(counts));
    counts.shown = { open: 0, busy: 0, closed: 0 };
    counts.opened = 0;
  };
  addEventListener('pagehide', window.flush);
</script></body></html>`;

describe('impression beacon (Chromium)', () => {
  let stack: Stack;
  let browser: Browser;
  let shop: Server;
  let shopUrl = '';

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(), launchChromium()]);
    shop = createServer((_req, res) => void res.writeHead(200, { 'content-type': 'text/html' }).end(page(stack.httpUrl)));
    await new Promise<void>((r) => shop.listen(0, '127.0.0.1', r));
    shopUrl = `http://127.0.0.1:${(shop.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => shop?.close(r));
    await stack?.stop();
  });

  it('counts what a page on another origin beacons, without a preflight, and on pagehide', async () => {
    const ctx = await browser.newContext();
    const tab = await ctx.newPage();
    const portalRequests: string[] = [];
    ctx.on('request', (req) => {
      if (req.url().startsWith(stack.httpUrl)) portalRequests.push(`${req.method()} ${new URL(req.url()).pathname}`);
    });
    await tab.goto(shopUrl);
    await tab.evaluate("show('open'); show('busy'); open_(); flush();"); // a beacon while the page lives (the loader's 30 s flush)
    await expect.poll(() => portalRequests).toEqual(['POST /api/widget/impressions']); // no OPTIONS preflight before it
    expect(await tab.evaluate('window.sent')).toBe(true);
    await tab.evaluate("show('open');");
    await tab.goto('about:blank'); // pagehide: the beacon leaves
    const today = new Date().toISOString().slice(0, 10);
    let totals: Record<string, number> = {};
    for (let i = 0; i < 50 && totals.shown !== 3; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const res = await fetch(`${stack.httpUrl}/api/reports?from=${today}&desk=support`, {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      totals = ((await res.json()) as { totals: Record<string, number> }).totals;
    }
    expect(totals).toMatchObject({ shown: 3, shownOpen: 2, shownBusy: 1, shownClosed: 0, opened: 1, openedRate: 0.3333 });
    expect(await ctx.cookies(stack.httpUrl)).toEqual([]);
    await ctx.close();
  });
});

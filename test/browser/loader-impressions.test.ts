/**
 * The real loader's impression beacon followed to the report (issue 18): widget.js on a shop page
 * on its own origin counts the button's states and the panel's opening, beacons them to the portal
 * (not intercepted), and /api/reports then has exactly those impressions by state and "opened".
 * Three page views: one opens the panel while the desk is open; one sees the desk busy (Alice's one
 * slot taken) then open again; one sees it closed (Alice offline).
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isIntro, type TestClient } from '../support/clients.js';
import { ADMIN_TOKEN, startStack, SUPPORT, type Stack } from '../support/stack.js';
import { buildWidget, isMaskedMessage, launchChromium, startShop, widgetHelpers } from './browser-kit.js';

type Shown = { open: number; busy: number; closed: number };

describe('the loader’s impressions reach the report (Chromium)', () => {
  let stack: Stack;
  let browser: Browser;
  let shop: Awaited<ReturnType<typeof startShop>>;
  /** Beacon bodies Chromium reported sending to the portal (observed, not intercepted). */
  const sent: { desk: string; shown: Shown; opened: number }[] = [];

  beforeAll(async () => {
    buildWidget();
    [stack, browser] = await Promise.all([
      startStack({ operators: [{ user: 'alice', name: 'Alice', desks: ['support'], maxChats: 1, role: 'admin' }] }),
      launchChromium(),
    ]);
    shop = await startShop(stack);
  });
  afterAll(async () => {
    await shop?.close();
    await browser?.close();
    await stack?.stop();
  });

  async function view(): Promise<{ context: BrowserContext; w: ReturnType<typeof widgetHelpers>; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 400, height: 700 } });
    context.on('request', (req) => {
      if (req.url() === `${stack.httpUrl}/api/widget/impressions`) sent.push(JSON.parse(req.postData() ?? 'null'));
    });
    const page = await context.newPage();
    await page.goto(`${shop.url}/`);
    return { context, page, w: widgetHelpers(page, '') };
  }
  const hide = (page: Page) =>
    page.evaluate(() => {
      const d = (globalThis as unknown as { document: EventTarget & { visibilityState: string } }).document;
      Object.defineProperty(d, 'visibilityState', { configurable: true, get: () => 'hidden' });
      d.dispatchEvent(new Event('visibilitychange'));
    });
  const totals = async () => {
    const today = new Date().toISOString().slice(0, 10);
    const res = await fetch(`${stack.httpUrl}/api/reports?from=${today}&desk=support`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    return ((await res.json()) as { totals: Record<string, number> }).totals;
  };
  const impressionsOf = (t: Record<string, number>) => ({
    shown: t.shown,
    shownOpen: t.shownOpen,
    shownBusy: t.shownBusy,
    shownClosed: t.shownClosed,
    opened: t.opened,
  });

  it('counts each page view’s button states and the panel opened, exactly, in /api/reports', async () => {
    expect(impressionsOf(await totals())).toEqual({ shown: 0, shownOpen: 0, shownBusy: 0, shownClosed: 0, opened: 0 });
    const alice: TestClient = await stack.operator('alice');
    await alice.subscribeTo(SUPPORT);

    // 1. Open desk; the visitor opens the panel; the page is hidden: one beacon.
    const a = await view();
    await a.w.waitMode('open');
    await a.w.openPanel();
    await hide(a.page);
    await expect.poll(async () => (await totals()).opened, { timeout: 5000 }).toBe(1);
    await a.context.close();

    // 2. Alice's one slot is taken: the next page view shows "busy", then "open" when the chat ends.
    const customer = await stack.customer();
    await customer.say(SUPPORT, 'Is my order on its way?');
    const intro = await alice.next((el) => isMaskedMessage(el) && isIntro(el), 'intro');
    const b = await view();
    await b.w.waitMode('busy');
    await alice.say(String(intro.attrs.from), '!end');
    await b.w.waitMode('open');
    await b.page.goto('about:blank'); // pagehide: the beacon leaves
    await expect.poll(async () => (await totals()).shownBusy, { timeout: 5000 }).toBe(1);
    await b.context.close();
    await customer.stop();

    // 3. Alice offline: the desk is closed.
    await alice.stop();
    const c = await view();
    await c.w.waitMode('closed');
    await c.page.goto('about:blank');
    await expect.poll(async () => (await totals()).shownClosed, { timeout: 5000 }).toBe(1);
    await c.context.close();

    const report = impressionsOf(await totals());
    expect(report).toEqual({ shown: 4, shownOpen: 2, shownBusy: 1, shownClosed: 1, opened: 1 });
    // The first beacon as Chromium sent it (those of an unloading page are not reported to Playwright).
    expect(sent[0]).toEqual({ desk: 'support', shown: { open: 1, busy: 0, closed: 0 }, opened: 1 });
    expect((await totals()).requestedPerShown).toBe(0.25); // the one chat (plain XMPP) against 4 shown
  }, 60_000);
});

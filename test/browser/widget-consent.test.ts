/**
 * Consent first (issue 20 §2) in real Chromium against the real stack: before any interaction
 * the widget writes nothing to cookies, localStorage or sessionStorage (also after an hour of
 * fake time: the status stream, the impressions timer); opening stores the token; page views are
 * kept with data-track-pages="on" or once the visitor opened the widget in this visit; with
 * data-consent="required" nothing is stored until Madoguchi.consent(true), and consent(false)
 * removes what was stored.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestClient } from '../support/clients.js';
import { startStack, SUPPORT, type Stack } from '../support/stack.js';
import { buildWidget, launchChromium, startShop, widgetHelpers } from './browser-kit.js';

const NOTHING = { local: [], session: [], cookie: '' };

describe('widget consent (Chromium)', () => {
  let stack: Stack;
  let browser: Browser;
  let alice: TestClient;

  beforeAll(async () => {
    buildWidget();
    [stack, browser] = await Promise.all([startStack(), launchChromium()]);
    alice = await stack.operator('alice');
    await alice.subscribeTo(SUPPORT);
  });

  afterAll(async () => {
    await alice?.stop();
    await browser?.close();
    await stack?.stop();
  });

  async function shop(attrs = ''): Promise<{ context: BrowserContext; page: Page; url: string }> {
    const site = await startShop(stack, attrs);
    const context = await browser.newContext();
    context.on('close', () => void site.close());
    return { context, page: await context.newPage(), url: site.url };
  }

  it('stores nothing on load nor in an hour without interaction; the token once the visitor opens the chat', async () => {
    const { context, page, url } = await shop();
    const w = widgetHelpers(page, '');
    try {
      await page.clock.install();
      await page.goto(`${url}/`);
      await w.waitMode('open');
      expect(await w.storage()).toEqual(NOTHING);
      await page.clock.runFor(60 * 60 * 1000);
      await page.goto(`${url}/cart`); // a second page of the visit, still without interaction
      await w.waitMode('open');
      await page.clock.runFor(60 * 60 * 1000);
      expect(await w.storage()).toEqual(NOTHING);
      expect(await context.cookies()).toEqual([]);

      await w.launcher().click();
      await page.locator('#mdg-f-name').waitFor({ state: 'visible' });
      const token = await page.evaluate(() =>
        (globalThis as unknown as { localStorage: { getItem(k: string): string | null } }).localStorage.getItem('mdg:token'),
      );
      expect(token).toMatch(/^[A-Za-z0-9_-]{24}$/);
      expect((await w.storage()).session).toContain('mdg:pages'); // this page, now that the visitor opened the widget
      expect(await context.cookies()).toEqual([]);
    } finally {
      await context.close();
    }
  }, 30_000);

  it('tracks page views before any interaction only with data-track-pages="on", and after an opening in the visit', async () => {
    const pages = (page: Page) =>
      page.evaluate(() =>
        JSON.parse(
          (globalThis as unknown as { sessionStorage: { getItem(k: string): string | null } }).sessionStorage.getItem('mdg:pages') ?? '[]',
        ).map((p: { url: string }) => new URL(p.url).pathname),
      );
    const tracked = await shop('data-track-pages="on"');
    try {
      const w = widgetHelpers(tracked.page, '');
      await tracked.page.goto(`${tracked.url}/`);
      await w.waitMode('open');
      await tracked.page.goto(`${tracked.url}/cart`);
      await w.waitMode('open');
      expect(await pages(tracked.page)).toEqual(['/', '/cart']);
      expect((await w.storage()).local).toEqual([]); // no token before the visitor opens the chat
    } finally {
      await tracked.context.close();
    }
    const plain = await shop();
    try {
      const w = widgetHelpers(plain.page, '');
      await plain.page.goto(`${plain.url}/`);
      await w.waitMode('open');
      await plain.page.goto(`${plain.url}/shop`);
      await w.waitMode('open');
      await w.launcher().click();
      await plain.page.locator('#mdg-f-name').waitFor({ state: 'visible' });
      await plain.page.goto(`${plain.url}/cart`);
      await w.waitMode('open');
      expect(await pages(plain.page)).toEqual(['/shop', '/cart']); // from the opening on, not the page before
    } finally {
      await plain.context.close();
    }
  }, 30_000);

  it('with data-consent="required", holds all storage until Madoguchi.consent(true); consent(false) removes it', async () => {
    const { context, page, url } = await shop('data-consent="required" data-track-pages="on"');
    const w = widgetHelpers(page, '');
    try {
      await page.goto(`${url}/`);
      await w.waitMode('open');
      await w.launcher().click();
      await page.locator('#mdg-f-name').waitFor({ state: 'visible' });
      await page.waitForTimeout(300);
      expect(await w.storage()).toEqual(NOTHING); // opened, but the site's consent manager has not said yes
      await page.evaluate(() => (globalThis as unknown as { Madoguchi: { consent(g: boolean): void } }).Madoguchi.consent(true));
      await expect.poll(async () => (await w.storage()).local, { timeout: 5000 }).toContain('mdg:token');
      expect((await w.storage()).session).toContain('mdg:pages');
      await page.evaluate(() => (globalThis as unknown as { Madoguchi: { consent(g: boolean): void } }).Madoguchi.consent(false));
      await expect.poll(() => w.storage(), { timeout: 5000 }).toEqual(NOTHING);
      // The chat still works (from memory) after consent was withdrawn.
      await page.locator('#mdg-f-name').fill('Mio');
      expect(await page.locator('.prechat').isVisible()).toBe(true);
      expect(await w.storage()).toEqual(NOTHING);
    } finally {
      await context.close();
    }
  }, 30_000);
});

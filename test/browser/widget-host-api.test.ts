/**
 * The host page's API (issue 20 §3) in real Chromium against the real stack: the documented stub
 * (README "Host-page API") queues calls made before widget.js arrives; open, close, toggle,
 * setFields (pre-filled and hidden fields reaching the operator's !info), identify (the identity
 * on the chat bundle's options, contract 6), on('state' | 'open' | 'close' | 'unread' |
 * 'chat-ended'), setLanguage, and shutdown forgetting the token.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isIntro, type TestClient } from '../support/clients.js';
import { startStack, SUPPORT, type Stack } from '../support/stack.js';
import { bodyOf, buildWidget, isMaskedMessage, launchChromium, ROOT, startShop, widgetHelpers } from './browser-kit.js';

/** The stub exactly as the README documents it. */
const STUB = /<!-- madoguchi-stub -->\n```html\n([\s\S]*?)```/.exec(readFileSync(join(ROOT, 'README.md'), 'utf8'))?.[1] ?? '';

/** Calls made before the loader is there: queued by the stub, replayed in order. */
const EARLY = `<script>
  window.seen = [];
  ['state', 'open', 'close', 'unread', 'chat-ended'].forEach(function (e) {
    Madoguchi.on(e, function (d) { window.seen.push([e, d]); });
  });
  Madoguchi.setFields({ name: 'Yuki', email: { value: 'yuki@example.com', hidden: true } });
  Madoguchi.identify({ userId: 'u-42', name: 'Yuki', email: 'yuki@example.com', signature: 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90' });
</script>`;

type Api = Record<string, (...a: unknown[]) => void>;
const call = (page: Page, name: string, ...args: unknown[]) =>
  page.evaluate(([n, a]) => (globalThis as unknown as { Madoguchi: Api }).Madoguchi[n as string]?.(...(a as unknown[])), [
    name,
    args,
  ] as const);
const seen = (page: Page) => page.evaluate(() => (globalThis as unknown as { seen: [string, unknown][] }).seen);
const named = async (page: Page, event: string) => (await seen(page)).filter(([e]) => e === event).map(([, d]) => d);
const local = (page: Page, key: string) =>
  page.evaluate((k) => (globalThis as unknown as { localStorage: { getItem(k: string): string | null } }).localStorage.getItem(k), key);

describe('host-page API (Chromium)', () => {
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

  async function shop(): Promise<{ context: BrowserContext; page: Page; url: string }> {
    expect(STUB).toContain('Madoguchi.q');
    const site = await startShop(stack, '', STUB + EARLY);
    const context = await browser.newContext();
    context.on('close', () => void site.close());
    const page = await context.newPage();
    // Records what the loader hands the chat chunk (its options object, kept live).
    await page.addInitScript(() => {
      const g = globalThis as unknown as Record<string, unknown> & { mounted: unknown[] };
      g.mounted = [];
      let chat: { mount(o: unknown, s: unknown): unknown } | undefined;
      Object.defineProperty(g, '__madoguchiChat', {
        configurable: true,
        get: () => chat,
        set: (m: { version: number; mount(o: unknown, s: unknown): unknown }) => {
          chat = {
            ...m,
            mount: (o: unknown, s: unknown) => {
              g.mounted.push(o);
              return m.mount(o, s);
            },
          };
        },
      });
    });
    return { context, page, url: site.url };
  }
  const identityOf = (page: Page) =>
    page.evaluate(() => (globalThis as unknown as { mounted: { identity?: unknown }[] }).mounted.at(-1)?.identity);

  it('queues calls before the loader; open, close, toggle, setFields, identify and every event', async () => {
    const { context, page, url } = await shop();
    const w = widgetHelpers(page, '');
    try {
      await page.goto(`${url}/`);
      await w.waitMode('open');
      expect(await named(page, 'state')).toContainEqual({ mode: 'open', phase: 'idle' });
      expect(await page.locator('.panel').count()).toBe(0); // nothing of the chat before opening

      await call(page, 'open');
      await page.locator('#mdg-f-name').waitFor({ state: 'visible' });
      expect(await named(page, 'open')).toHaveLength(1);
      expect(await page.locator('#mdg-f-name').inputValue()).toBe('Yuki');
      expect(await page.locator('#mdg-f-email').isHidden()).toBe(true);
      expect(await page.locator('label[for="mdg-f-email"]').isHidden()).toBe(true);
      expect(await identityOf(page)).toEqual({
        userId: 'u-42',
        name: 'Yuki',
        email: 'yuki@example.com',
        signature: 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90',
      });

      await call(page, 'close');
      await page.locator('.panel').waitFor({ state: 'hidden' });
      await call(page, 'toggle');
      await page.locator('.panel').waitFor({ state: 'visible' });
      await call(page, 'toggle');
      await page.locator('.panel').waitFor({ state: 'hidden' });
      expect(await named(page, 'close')).toHaveLength(2);
      await w.launcher().click();
      await page.locator('.panel').waitFor({ state: 'visible' });
      expect(await named(page, 'open')).toHaveLength(3);

      // The hidden, pre-filled email reaches the operator with the form.
      await page.locator('#mdg-f-question').fill('Where is my order?');
      await page.locator('.prechat .primary').click();
      const intro = await alice.next((el) => isMaskedMessage(el) && isIntro(el) && bodyOf(el).includes('Yuki'), 'intro');
      const masked = String(intro.attrs.from);
      await alice.say(masked, '!info');
      await alice.message(masked, /yuki@example\.com/);
      await expect.poll(async () => (await named(page, 'state')).map((s) => (s as { phase: string }).phase)).toContain('chatting');

      await call(page, 'close');
      await alice.say(masked, 'It ships today.');
      await expect.poll(() => named(page, 'unread')).toEqual([1]);
      await call(page, 'open');
      await expect.poll(() => named(page, 'unread')).toEqual([1, 0]);

      await alice.say(masked, '!end');
      await expect.poll(() => named(page, 'chat-ended')).toHaveLength(1);
      const [ended] = await named(page, 'chat-ended');
      expect(ended).toEqual({ ticket: expect.any(Number) });
    } finally {
      await context.close();
    }
  }, 60_000);

  it('setLanguage switches the button and the open panel; shutdown forgets the token and the identity', async () => {
    const { context, page, url } = await shop();
    const w = widgetHelpers(page, '');
    try {
      await page.goto(`${url}/`);
      await w.waitMode('open');
      // The button says what the desk's look says in Japanese (else the widget's own text).
      const look = (await (await fetch(`${stack.httpUrl}/api/widget/look`)).json()) as {
        button: { open: { label?: string; labelJa?: string } };
      };
      await call(page, 'setLanguage', 'ja');
      await w.waitText('.launcher .label', look.button.open.labelJa ?? 'チャットで問い合わせ');
      await call(page, 'open');
      await w.waitText('label[for="mdg-f-question"]', 'ご質問');
      await call(page, 'setLanguage', 'en');
      await w.waitText('label[for="mdg-f-question"]', 'Your question'); // still open, now in English
      await w.waitText('.launcher .label', look.button.open.label ?? 'Chat with us');

      const token = await local(page, 'mdg:token');
      expect(token).toMatch(/^[A-Za-z0-9_-]{24}$/);
      await call(page, 'shutdown');
      await expect.poll(() => page.locator('.panel').count()).toBe(0);
      expect((await w.storage()).local).toEqual([]);
      expect(await named(page, 'close')).toHaveLength(1);
      await w.waitMode('open'); // the button stays, live again from the status stream
      await call(page, 'open');
      await page.locator('#mdg-f-name').waitFor({ state: 'visible' });
      const next = await local(page, 'mdg:token');
      expect(next).toMatch(/^[A-Za-z0-9_-]{24}$/);
      expect(next).not.toBe(token);
      expect(await identityOf(page)).toBeUndefined(); // the next person on this browser is anonymous
      expect(await page.locator('#mdg-f-name').inputValue()).toBe('');
    } finally {
      await context.close();
    }
  }, 60_000);
});

/**
 * `Madoguchi.identify({ userId, name, email, signature })` as the customer sees it (issue 20 §3),
 * in real Chromium against the real stack: signed by the site's backend with the desk's secret
 * (the same helper as the other identity tests), the customer skips the form and the operator's
 * `!info` says "(verified)"; a wrong signature shows the form (the claimed name filled in) and
 * "(unverified)". Called before the loader (queued by the README's stub) and after the chat
 * chunk has mounted (the loader mounts it again, the form goes away at once).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIdentity } from '../../src/customer/identity.js';
import { isIntro, type TestClient } from '../support/clients.js';
import { startStack, SUPPORT, type Stack } from '../support/stack.js';
import { bodyOf, buildWidget, isMaskedMessage, launchChromium, ROOT, startShop, watchPage, widgetHelpers } from './browser-kit.js';

const SECRET = 'browser-identify-secret-0123456789';
/** The stub exactly as the README documents it. */
const STUB = /<!-- madoguchi-stub -->\n```html\n([\s\S]*?)```/.exec(readFileSync(join(ROOT, 'README.md'), 'utf8'))?.[1] ?? '';
const aki = (secret: string) => ({
  userId: 'u-7',
  name: 'Aki Mori',
  email: 'aki@example.com',
  signature: signIdentity(secret, 'u-7', 'aki@example.com'),
});
const GOOD = aki(SECRET);
const FORGED = aki('not-the-desk-secret-000000');
const early = (identity: object) => `${STUB}<script>Madoguchi.identify(${JSON.stringify(identity)});</script>`;

describe('Madoguchi.identify() (Chromium)', () => {
  let stack: Stack;
  let browser: Browser;
  let alice: TestClient;
  const contexts: BrowserContext[] = [];
  const shops: { close(): Promise<void> }[] = [];

  beforeAll(async () => {
    buildWidget();
    [stack, browser] = await Promise.all([startStack({ identity: { secret: SECRET } }), launchChromium()]);
    alice = await stack.operator('alice');
    await alice.subscribeTo(SUPPORT);
  }, 60_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    for (const s of shops) await s.close();
    await browser?.close();
    await stack?.stop();
  });

  async function visit(before = ''): Promise<{ page: Page; w: ReturnType<typeof widgetHelpers>; errors: string[]; frames: string[] }> {
    const shop = await startShop(stack, '', before);
    shops.push(shop);
    const context = await browser.newContext({ viewport: { width: 360, height: 640 } });
    contexts.push(context);
    const page = await context.newPage();
    const watch = watchPage(page);
    const frames: string[] = []; // what the chat's WebSocket received
    page.on('websocket', (ws) => ws.on('framereceived', (f) => frames.push(String(f.payload))));
    await page.goto(`${shop.url}/`);
    const w = widgetHelpers(page, '');
    await w.waitMode('open');
    await w.openPanel();
    return { page, w, errors: watch.errors, frames };
  }
  async function ask(page: Page, question: string): Promise<string> {
    await page.locator('#mdg-message').fill(question);
    await page.keyboard.press('Enter');
    const intro = await alice.next((el) => isMaskedMessage(el) && isIntro(el) && bodyOf(el).includes(question), `intro (${question})`);
    return String(intro.attrs.from);
  }
  async function info(masked: string): Promise<string> {
    await alice.say(masked, '!info');
    return bodyOf(await alice.message(masked, 'Ticket #'));
  }
  async function end(masked: string, page: Page): Promise<void> {
    await alice.say(masked, '!end');
    await page.locator('.chat[data-phase="ended"]').waitFor();
  }

  it('a valid signature given before the loader arrived: no form, the operator’s !info says verified', async () => {
    const { page, w, errors } = await visit(early(GOOD));
    await w.waitText('.chat-status', 'Signed in as Aki Mori');
    expect(await page.locator('.prechat').isHidden()).toBe(true);
    const masked = await ask(page, 'Where is parcel 7?');
    expect(await info(masked)).toMatch(/^Ticket #\d+ — Aki Mori \(verified\) — desk Support/);
    await end(masked, page);
    expect(errors).toEqual([]);
  });

  it('a wrong signature: the form, with the claimed name filled in, and "(unverified)"', async () => {
    const { page, errors } = await visit(early(FORGED));
    await page.locator('.prechat').waitFor();
    expect(await page.locator('#mdg-f-name').inputValue()).toBe('Aki Mori');
    expect(await page.locator('.chat-status', { hasText: 'Signed in' }).count()).toBe(0);
    await page.locator('#mdg-f-question').fill('Show me parcel 7');
    await page.keyboard.press('Enter');
    const intro = await alice.next((el) => isMaskedMessage(el) && isIntro(el) && bodyOf(el).includes('Show me parcel 7'), 'intro');
    const masked = String(intro.attrs.from);
    const text = await info(masked);
    expect(text).toMatch(/^Ticket #\d+ — Aki Mori \(unverified\) — desk Support/);
    expect(text).toContain('Previous visits: none');
    await end(masked, page);
    expect(errors).toEqual([]);
  });

  it('identify() after the chat chunk has mounted (the form showing) takes effect at once: no form, verified', async () => {
    const { page, w, errors, frames } = await visit();
    await page.locator('#mdg-f-name').waitFor({ state: 'visible' }); // an anonymous visitor: the form
    // The chunk's session is bound (the desk's <session/> result, docs/widget-protocol.md §1): anonymous.
    const bound = () =>
      frames.some((f) => /^<iq[^>]*type=["']result["']/.test(f) && f.includes('<session') && f.includes('urn:madoguchi:desk:0'));
    await expect.poll(bound, { timeout: 10_000 }).toBe(true);
    await page.evaluate((i) => (globalThis as unknown as { Madoguchi: { identify(i: object): void } }).Madoguchi.identify(i), GOOD);
    await w.waitText('.chat-status', 'Signed in as Aki Mori');
    expect(await page.locator('.prechat').isHidden()).toBe(true);
    expect(await page.locator('.panel').isVisible()).toBe(true); // still open
    const masked = await ask(page, 'Signed in late: parcel 8?');
    const text = await info(masked);
    expect(text).toMatch(/^Ticket #\d+ — Aki Mori \(verified\) — desk Support/);
    expect(text).toMatch(/Previous visits:\n- #\d+ .*Where is parcel 7\?/); // the same verified customer as the first test
    await end(masked, page);
    expect(errors).toEqual([]);
  });
});

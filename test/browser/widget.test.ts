/**
 * The customer widget in real Chromium (Debian's /usr/bin/chromium, never a downloaded
 * browser) against the real stack: the demo page from the portal, the widget speaking XMPP
 * over WebSocket to Prosody, an @xmpp/client operator on the other side. Asserts what the
 * customer sees, and saves a screenshot per state (UPDATE_SCREENSHOTS=1 writes docs/screenshots).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { xml } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, SUPPORT, type Stack } from '../support/stack.js';
import type { TestClient } from '../support/clients.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const NS_CHATSTATES = 'http://jabber.org/protocol/chatstates';
const XSS = '<img src=x onerror=alert(1)>';

const chatStateOf = (el: Element) => el.getChildElements().find((c) => c.attrs.xmlns === NS_CHATSTATES)?.name;
const isMaskedMessage = (el: Element) =>
  el.name === 'message' && el.attrs.type !== 'error' && /^t\d+-[^@]+@support\.localhost$/.test(String(el.attrs.from));
const bodyOf = (el: Element) => el.getChildText('body') ?? '';
/** The browser's window, typed just enough for page functions (the test's tsconfig has no DOM lib). */
type Win = { getComputedStyle(el: unknown): { backgroundColor: string } };

describe('customer widget (Chromium)', () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;
  let shots: string;
  const dialogs: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    execFileSync('bash', [join(ROOT, 'scripts/build-widget.sh')], { stdio: 'inherit' });
    stack = await startStack();
    shots = process.env.UPDATE_SCREENSHOTS ? join(ROOT, 'docs/screenshots') : join(stack.dir, 'screenshots');
    mkdirSync(shots, { recursive: true });
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    // A 360 px wide phone screen: the widget must fit it.
    page = await browser.newPage({ viewport: { width: 360, height: 640 }, deviceScaleFactor: 1 });
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('pageerror', (err) => pageErrors.push(err.message));
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  const launcher = () => page.locator('.launcher');
  const waitMode = (mode: string) => page.locator(`.launcher[data-mode="${mode}"]`).waitFor({ timeout: 10_000 });
  const waitText = (selector: string, text: string) => page.locator(selector, { hasText: text }).first().waitFor({ timeout: 10_000 });
  const shot = (name: string) => page.screenshot({ path: join(shots, `${name}.png`) });
  const isFocused = (selector: string) =>
    page.locator(selector).evaluate((el: { getRootNode(): unknown }) => (el.getRootNode() as { activeElement: unknown }).activeElement === el);

  it('shows the desk state, queues the customer, chats with the operator, and ends', async () => {
    // Closed: no operator yet. The demo page's own `button { background: hotpink !important }` stays outside.
    await page.goto(`${stack.httpUrl}/`);
    await waitMode('closed');
    expect(await launcher().innerText()).toContain('Closed');
    expect(await launcher().evaluate((el) => (globalThis as unknown as Win).getComputedStyle(el).backgroundColor)).not.toBe('rgb(255, 105, 180)');
    await shot('closed');

    // Open once an operator signs in; busy (with the waiting count) when she goes away.
    const alice: TestClient = await stack.operator('alice');
    await alice.subscribeTo(SUPPORT);
    await waitMode('open');
    expect(await launcher().innerText()).toContain('Chat with us');
    await alice.send(xml('presence', {}, xml('show', {}, 'away')));
    await waitMode('busy');
    await waitText('.launcher .detail', '0 waiting');

    // Keyboard only: open the panel, fill the pre-chat form, send with Enter.
    await launcher().focus();
    await page.keyboard.press('Enter');
    await page.locator('.panel').waitFor();
    expect(await isFocused('#mdg-name')).toBe(true);
    await waitText('.desk-status', 'All operators busy');
    const box = await page.locator('.panel').boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= 360).toBe(true);
    await page.keyboard.type('Hanako');
    await page.keyboard.press('Tab');
    await page.keyboard.type('My sencha order has not arrived');
    await shot('open-form');
    await page.keyboard.press('Enter');

    // Waiting: ticket and place in line from the desk's automatic reply; the button follows the queue.
    await waitText('.chat-status', 'Ticket #1');
    expect(await page.locator('.chat-status').innerText()).toContain('You are number 1 in line');
    await waitText('.launcher .detail', '1 waiting');
    await waitText('.line.me', 'My sencha order has not arrived');
    await shot('waiting');

    // Alice becomes available: she gets the intro with the customer's name as nick, then the question.
    await alice.send(xml('presence'));
    const intro = await alice.next((el) => isMaskedMessage(el) && bodyOf(el).startsWith('New chat'), 'intro');
    expect(intro.getChild('nick', 'http://jabber.org/protocol/nick')?.text()).toBe('Hanako');
    expect(bodyOf(intro)).toContain('from Hanako');
    const masked = String(intro.attrs.from);
    await alice.message(masked, 'My sencha order has not arrived');
    await waitText('.chat-status', 'You are chatting with Alice');

    // Typing both ways (XEP-0085).
    await alice.send(xml('message', { to: masked, type: 'chat' }, xml('composing', { xmlns: NS_CHATSTATES })));
    await waitText('.typing', 'Alice is typing…');
    await alice.say(masked, 'Hello Hanako! Tracking: https://example.com/track?id=1234.');
    await waitText('.line.operator', 'Hello Hanako!');
    expect(await page.locator('.line.operator .who').first().innerText()).toBe('Alice');
    expect(await page.locator('.typing').innerText()).toBe('');
    const link = page.locator('.line.operator a');
    expect(await link.getAttribute('href')).toBe('https://example.com/track?id=1234');
    expect(await link.getAttribute('rel')).toContain('noopener');

    await page.locator('#mdg-message').click();
    await page.keyboard.type('Thank');
    const composing = await alice.next((el) => el.attrs.from === masked && chatStateOf(el) === 'composing', 'customer composing');
    expect(bodyOf(composing)).toBe('');
    await page.keyboard.type('s!');
    await page.keyboard.press('Enter');
    const thanks = await alice.message(masked, 'Thanks!');
    expect(chatStateOf(thanks)).toBe('active');
    await shot('chatting');

    // An operator's markup is text: shown literally, no element made, no script run.
    await alice.say(masked, XSS);
    await waitText('.line.operator', 'onerror');
    expect(await page.locator('.line.operator .text').last().innerText()).toBe(XSS);
    expect(await page.locator('.log img').count()).toBe(0);

    // End chat: unavailable presence to the desk; the operator is told; the button keeps the live state.
    await page.locator('.end').click();
    await alice.message(masked, 'The customer left');
    await waitText('.line.system', 'The chat has ended');
    await page.locator('.new-chat').waitFor();
    await waitMode('open');

    // Escape closes the panel and gives the focus back to the button.
    await page.keyboard.press('Escape');
    await page.locator('.panel').waitFor({ state: 'hidden' });
    expect(await isFocused('.launcher')).toBe(true);

    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
  }, 90_000);

  it('speaks Japanese on a Japanese page, with the tag on any origin', async () => {
    const ja = await browser.newPage({ viewport: { width: 360, height: 640 } });
    try {
      await ja.setContent(`<html lang="ja"><body><p>ショップ</p><script src="${stack.httpUrl}/widget.js" data-ws="${stack.websocketUrl}"
        data-domain="guest.localhost" data-component="support.localhost"></script></body></html>`);
      await ja.locator('.launcher:not([data-mode="connecting"])').waitFor({ timeout: 10_000 });
      expect(['チャットで問い合わせ', '混雑中', '受付時間外']).toContain(await ja.locator('.launcher .label').innerText());
      await ja.locator('.launcher').click();
      expect(await ja.locator('label[for="mdg-name"]').innerText()).toBe('お名前');
      expect(await ja.locator('.prechat .primary').innerText()).toBe('チャットを開始');
    } finally {
      await ja.close();
    }
  });
});

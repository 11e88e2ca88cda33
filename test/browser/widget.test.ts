/**
 * The customer widget in real Chromium against the real stack, on the portal's demo page: an
 * @xmpp/client operator on the other side. The desk's state on the button, the configured
 * pre-chat form, place in line, typing both ways, delivered/read marks both ways, a file
 * upload, an XSS payload shown as text, ending, rating (seen in !stats), the transcript; and
 * Japanese. Screenshots per state (UPDATE_SCREENSHOTS=1 writes docs/screenshots).
 */
import { readFileSync } from 'node:fs';
import { xml } from '@xmpp/client';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isIntro, type TestClient } from '../support/clients.js';
import { startStack, SUPPORT, type Stack } from '../support/stack.js';
import {
  bodyOf,
  buildWidget,
  chatStateOf,
  isMaskedMessage,
  launchChromium,
  NS_MARKERS,
  NS_RECEIPTS,
  screenshotDir,
  watchPage,
  widgetHelpers,
  type PageWatch,
} from './browser-kit.js';

const XSS = '<img src=x onerror=alert(1)>';
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const FORM = [
  { var: 'name', label: 'Name', labelJa: 'お名前', type: 'text', required: true },
  { var: 'email', label: 'Email', labelJa: 'メールアドレス', type: 'email', required: false },
  { var: 'order', label: 'Order number', labelJa: '注文番号', type: 'text', required: false },
  {
    var: 'topic',
    label: 'Topic',
    labelJa: 'ご用件',
    type: 'select',
    required: false,
    options: [
      { value: 'billing', label: 'Billing' },
      { value: 'delivery', label: 'Delivery', labelJa: '配送' },
    ],
  },
  { var: 'question', label: 'Your question', labelJa: 'ご質問', type: 'textarea', required: true },
];
/** The browser's window, typed just enough for page functions (the test's tsconfig has no DOM lib). */
type Win = { getComputedStyle(el: unknown): { backgroundColor: string } };

describe('customer widget (Chromium)', () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;
  let watch: PageWatch;
  let w: ReturnType<typeof widgetHelpers>;

  beforeAll(async () => {
    buildWidget();
    [stack, browser] = await Promise.all([startStack({ widget: { form: FORM } }), launchChromium()]);
    // A 360 px wide phone screen: the widget must fit it.
    page = await browser.newPage({ viewport: { width: 360, height: 640 }, deviceScaleFactor: 1 });
    watch = watchPage(page);
    w = widgetHelpers(page, screenshotDir(stack));
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('serves the configured pre-chat form to any origin', async () => {
    const res = await fetch(`${stack.httpUrl}/api/widget/form?desk=support`);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(((await res.json()) as { fields: { var: string }[] }).fields.map((f) => f.var)).toEqual([
      'name',
      'email',
      'order',
      'topic',
      'question',
    ]);
    expect((await fetch(`${stack.httpUrl}/api/widget/form?desk=<x>`)).status).toBe(400);
  });

  it('follows the desk, queues with the form, chats with marks, typing and a file, ends, rates', async () => {
    // Closed: no operator yet. The demo page's own `button { background: hotpink !important }` stays outside.
    await page.goto(`${stack.httpUrl}/`);
    await w.waitMode('closed');
    expect(await w.launcher().innerText()).toContain('Closed');
    expect(await w.launcher().evaluate((el) => (globalThis as unknown as Win).getComputedStyle(el).backgroundColor)).not.toBe(
      'rgb(255, 105, 180)',
    );
    await w.shot('closed');

    // Open once an operator signs in; busy when she goes away; closed again when she goes offline; open when back.
    const alice: TestClient = await stack.operator('alice');
    await alice.subscribeTo(SUPPORT);
    await w.waitMode('open');
    expect(await w.launcher().innerText()).toContain('Chat with us');
    await alice.send(xml('presence', {}, xml('show', {}, 'away')));
    await w.waitMode('busy');
    await w.waitText('.launcher .detail', '0 waiting');

    // Someone is already in line (a plain XMPP customer), so the widget's customer is number 2.
    const early = await stack.customer();
    await early.say(SUPPORT, 'I was here first');
    await early.message(SUPPORT, 'Your ticket is #1');
    await w.waitText('.launcher .detail', '1 waiting');

    // Keyboard only: open the panel; the configured fields; required ones enforced.
    await w.launcher().focus();
    await page.keyboard.press('Enter');
    await page.locator('.panel').waitFor();
    await page.locator('#mdg-f-order').waitFor(); // the desk's form from GET /api/widget/form
    expect(await w.isFocused('#mdg-f-name')).toBe(true);
    await w.waitText('.desk-status', 'All operators busy');
    const box = await page.locator('.panel').boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= 360).toBe(true);
    await page.locator('.prechat .primary').click();
    await w.waitText('.form-error', 'Please fill in: Name');
    expect(await w.isFocused('#mdg-f-name')).toBe(true);
    await page.keyboard.type('Hanako');
    await page.keyboard.press('Tab');
    await page.keyboard.type('hanako@example.com');
    await page.keyboard.press('Tab');
    await page.keyboard.type('A-1234');
    await page.keyboard.press('Tab');
    expect(await w.isFocused('#mdg-f-topic')).toBe(true); // the topic select is in the tab order
    await page.locator('#mdg-f-topic').selectOption('delivery');
    await page.keyboard.press('Tab');
    await page.keyboard.type('My sencha order has not arrived');
    await w.shot('open-form');
    await page.keyboard.press('Enter');

    // Waiting: ticket, place in line and wait from <status/>; pushed again when it changes.
    await w.waitText('.chat-status', 'Ticket #2');
    expect(await page.locator('.chat-status').innerText()).toContain('You are number 2 in line');
    await w.waitText('.line.me', 'My sencha order has not arrived');
    await w.shot('waiting');
    await alice.say(SUPPORT, '!pick 1');
    await alice.next((el) => isMaskedMessage(el) && isIntro(el), 'intro of ticket #1');
    await w.waitText('.chat-status', 'You are number 1 in line');

    // Alice becomes available: the intro names the customer; !info shows the form and the page.
    await alice.send(xml('presence'));
    const intro = await alice.next(
      (el) => isMaskedMessage(el) && isIntro(el) && bodyOf(el).includes('Hanako'),
      'intro of the widget customer',
    );
    expect(intro.getChild('nick', 'http://jabber.org/protocol/nick')?.text()).toBe('Hanako');
    const masked = String(intro.attrs.from);
    await alice.message(masked, 'My sencha order has not arrived');
    await w.waitText('.chat-status', 'You are chatting with Alice');
    await alice.say(masked, '!info');
    const info = bodyOf(await alice.message(masked, 'Ticket #2'));
    expect(info).toContain('order: A-1234');
    expect(info).toContain('topic: delivery');
    expect(info).toContain('email: hanako@example.com');
    expect(info).toContain(`${stack.httpUrl}/`);
    expect(info).toMatch(/Pages viewed:\n- \d\d:\d\d Madoguchi Tea Shop/);

    // Typing both ways (XEP-0085).
    await alice.send(xml('message', { to: masked, type: 'chat' }, xml('composing', { xmlns: 'http://jabber.org/protocol/chatstates' })));
    await w.waitText('.typing', 'Alice is typing…');
    // Alice's message asks for a receipt and markers: the widget sends both (it is open and visible).
    await alice.send(
      xml(
        'message',
        { to: masked, type: 'chat', id: 'alice-1' },
        xml('body', {}, 'Hello Hanako! Tracking: https://example.com/track?id=1234.'),
        xml('request', { xmlns: NS_RECEIPTS }),
        xml('markable', { xmlns: NS_MARKERS }),
      ),
    );
    await w.waitText('.line.operator', 'Hello Hanako!');
    expect(await page.locator('.typing').innerText()).toBe('');
    const link = page.locator('.line.operator a');
    expect(await link.getAttribute('href')).toBe('https://example.com/track?id=1234');
    expect(await link.getAttribute('rel')).toContain('noopener');
    await alice.next((el) => el.getChild('received', NS_RECEIPTS)?.attrs.id === 'alice-1', 'receipt for alice-1');
    await alice.next((el) => el.getChild('displayed', NS_MARKERS)?.attrs.id === 'alice-1', 'displayed marker for alice-1');

    await page.locator('#mdg-message').click();
    await page.keyboard.type('Thank');
    const composing = await alice.next((el) => el.attrs.from === masked && chatStateOf(el) === 'composing', 'customer composing');
    expect(bodyOf(composing)).toBe('');
    await page.keyboard.type('s!');
    await page.keyboard.press('Enter');
    const thanks = await alice.message(masked, 'Thanks!');
    expect(chatStateOf(thanks)).toBe('active');
    const id = String(thanks.attrs.id);
    expect(thanks.getChild('origin-id', 'urn:xmpp:sid:0')?.attrs.id).toBe(id);
    const mine = page.locator(`.line.me[data-id="${id}"]`);
    await page.locator(`.line.me[data-id="${id}"][data-mark="sent"]`).waitFor(); // the desk's <ack/>
    await alice.send(xml('message', { to: masked, type: 'chat' }, xml('received', { xmlns: NS_RECEIPTS, id })));
    await page.locator(`.line.me[data-id="${id}"][data-mark="delivered"]`).waitFor();
    await alice.send(xml('message', { to: masked, type: 'chat' }, xml('displayed', { xmlns: NS_MARKERS, id })));
    await page.locator(`.line.me[data-id="${id}"][data-mark="read"]`).waitFor();
    expect(await mine.locator('.mark').innerText()).toBe('Read');
    await w.shot('chatting');

    // A file (XEP-0363 on Prosody's upload service): the link reaches Alice, the image is previewed.
    await page.locator('#mdg-file').setInputFiles({ name: 'receipt.png', mimeType: 'image/png', buffer: PNG });
    const shared = await alice.next(
      (el) => isMaskedMessage(el) && el.attrs.from === masked && Boolean(el.getChild('x', 'jabber:x:oob')),
      'the file link',
      15_000,
    );
    const url = shared.getChild('x', 'jabber:x:oob')?.getChildText('url') ?? '';
    expect(bodyOf(shared)).toBe(url);
    expect(url).toMatch(/^http:\/\/.+\/receipt\.png$/);
    const got = await fetch(url);
    expect(Buffer.from(await got.arrayBuffer()).equals(PNG)).toBe(true);
    await page.locator('.line.me img.preview').waitFor();
    // Pasting an image into the message box shares it the same way.
    await page.locator('#mdg-message').evaluate(
      (el, bytes) => {
        const g = globalThis as unknown as {
          DataTransfer: new () => { items: { add(f: unknown): void } };
          File: new (b: unknown[], n: string, o: object) => unknown;
          ClipboardEvent: new (t: string, o: object) => unknown;
        };
        const data = new g.DataTransfer();
        data.items.add(new g.File([new Uint8Array(bytes)], 'pasted.png', { type: 'image/png' }));
        (el as { dispatchEvent(e: unknown): void }).dispatchEvent(
          new g.ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
        );
      },
      [...PNG],
    );
    const pasted = await alice.next(
      (el) => isMaskedMessage(el) && /\/pasted\.png$/.test(el.getChild('x', 'jabber:x:oob')?.getChildText('url') ?? ''),
      'the pasted file',
    );
    expect(pasted.attrs.from).toBe(masked);
    await page.locator('.line.me img.preview[alt="pasted.png"]').waitFor();
    await w.shot('file');

    // An operator's markup is text: shown literally, no element made, no script run.
    await alice.say(masked, XSS);
    await w.waitText('.line.operator', 'onerror');
    expect(await page.locator('.line.operator .text').last().innerText()).toBe(XSS);
    expect(await page.locator('.log img:not(.preview)').count()).toBe(0);

    // Looking at another tab: a new message flashes the page title until the page is visible again.
    const setVisibility = (state: string) =>
      page.evaluate((v) => {
        const d = (globalThis as unknown as { document: { dispatchEvent(e: unknown): void } }).document;
        Object.defineProperty(d, 'visibilityState', { value: v, configurable: true });
        d.dispatchEvent(new (globalThis as unknown as { Event: new (t: string) => unknown }).Event('visibilitychange'));
      }, state);
    const title = () => page.evaluate(() => (globalThis as unknown as { document: { title: string } }).document.title);
    const pageTitle = await title();
    await setVisibility('hidden');
    await alice.say(masked, 'Are you still there?');
    await page.waitForFunction(() => (globalThis as unknown as { document: { title: string } }).document.title.startsWith('✉'));
    await setVisibility('visible');
    expect(await title()).toBe(pageTitle);

    // End chat (<end/>): Alice is told; then a rating, stored and counted in !stats; the transcript.
    await page.locator('.end').click();
    await alice.message(masked, 'The customer ended the chat');
    await w.waitText('.line.system', 'The chat has ended');
    await page.locator('label[for="mdg-score-4"]').click();
    await page.locator('#mdg-rate-comment').fill('Quick and kind');
    await w.shot('ended');
    await page.locator('.rating .primary').click();
    await w.waitText('.rated', 'Thank you for your rating (4 of 5)');
    await alice.say(SUPPORT, '!stats');
    expect(bodyOf(await alice.message(SUPPORT, /You \(/))).toMatch(/rating 4\.0 \(1\)/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('.transcript').click()]);
    expect(download.suggestedFilename()).toBe('transcript-2.txt');
    const transcript = readFileSync(await download.path(), 'utf8');
    expect(transcript).toContain('You: My sencha order has not arrived');
    expect(transcript).toContain('Alice: Hello Hanako!');
    await w.waitMode('open');

    // Escape closes the panel and gives the focus back to the button.
    await page.keyboard.press('Escape');
    await page.locator('.panel').waitFor({ state: 'hidden' });
    expect(await w.isFocused('.launcher')).toBe(true);

    // Offline operator: the button says closed.
    await alice.stop();
    await w.waitMode('closed');
    expect(watch.dialogs).toEqual([]);
    expect(watch.errors).toEqual([]);
  }, 90_000);

  it('speaks Japanese on a Japanese page, with the tag on any origin', async () => {
    const ja = await browser.newPage({ viewport: { width: 360, height: 640 } });
    try {
      await ja.setContent(`<html lang="ja"><body><p>ショップ</p><script src="${stack.httpUrl}/widget.js" data-ws="${stack.websocketUrl}"
        data-domain="guest.localhost" data-component="support.localhost" data-label-closed="ただいま休憩中"
        data-image-closed="${stack.httpUrl}/closed.png" data-logo="${stack.httpUrl}/logo.png"></script></body></html>`);
      await ja.locator('.launcher[data-mode="closed"]').waitFor({ timeout: 10_000 });
      // Per-state label and image (the label becomes the image's alt text), and the site's logo.
      expect(await ja.locator('.launcher .state-image').getAttribute('src')).toBe(`${stack.httpUrl}/closed.png`);
      expect(await ja.locator('.launcher .state-image').getAttribute('alt')).toBe('ただいま休憩中');
      await ja.locator('.launcher').click();
      await ja.locator('#mdg-f-order').waitFor();
      // The panel (and its logo) comes with the chat chunk, loaded on the click.
      expect(await ja.locator('.logo').getAttribute('src')).toBe(`${stack.httpUrl}/logo.png`);
      expect(await ja.locator('label[for="mdg-f-name"]').innerText()).toContain('お名前');
      expect(await ja.locator('label[for="mdg-f-order"]').innerText()).toBe('注文番号');
      expect(await ja.locator('.prechat .primary').innerText()).toBe('メッセージを送信'); // closed: leave a message
      // Sound alerts can be switched off (kept in localStorage; this about:blank page has none, and
      // the widget works from memory).
      expect(await ja.locator('.sound').getAttribute('aria-pressed')).toBe('true');
      await ja.locator('.sound').click();
      expect(await ja.locator('.sound').getAttribute('aria-pressed')).toBe('false');
      expect(await ja.locator('.sound').getAttribute('aria-label')).toBe('通知音オフ');
    } finally {
      await ja.close();
    }
  });
});

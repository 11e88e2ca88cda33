/**
 * Issue 20 in Chromium against the real stack: verified identity (the site's signed user id) and
 * stickers. A verified customer skips the form and `!info` says verified; a second browser
 * context with the same signed id is the same customer (earlier visit, note); a wrong signature is
 * an anonymous visitor marked unverified, with no history, and so is an unsigned data-user-id;
 * `!ban` of a verified customer refuses the same signed id on another device. Stickers both
 * ways: the panel, ours inline with alt text (SVG and PNG), an operator's off-site or unknown sticker URL or off-site
 * image a plain link never loaded, files on the server's own upload service previewed.
 */
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { xml } from '@xmpp/client';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIdentity } from '../../src/customer/identity.js';
import { isIntro, type TestClient } from '../support/clients.js';
import { startStack, SUPPORT, type Stack } from '../support/stack.js';
import { bodyOf, buildWidget, isMaskedMessage, launchChromium, screenshotDir, startShop, watchPage, widgetHelpers } from './browser-kit.js';

const SECRET = 'browser-identity-secret-0123456789';
const NS_OOB = 'jabber:x:oob';
const PACK = {
  id: 'dev',
  name: 'Madoguchi',
  stickers: [
    { name: 'thanks', file: 'thanks.svg', alt: 'Thank you!', altJa: 'ありがとう！' },
    { name: 'ok', file: 'ok.svg', alt: 'OK' },
    { name: 'wave', file: 'wave.svg', alt: 'Hello' },
    { name: 'tea', file: 'tea.svg', alt: 'Tea break' },
    { name: 'sorry', file: 'sorry.svg', alt: 'Sorry!' },
    { name: 'heart', file: 'heart.svg', alt: 'Love it' },
    { name: 'star', file: 'star.png', alt: 'Great!' },
  ],
};
const NS_UPLOAD = 'urn:xmpp:http:upload:0';
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const user = (signature: string) =>
  `data-user-id="u-42" data-user-name="Yuki Tanaka" data-user-email="yuki@example.com" data-user-signature="${signature}"`;

describe('verified identity and stickers (Chromium)', () => {
  let stack: Stack;
  let browser: Browser;
  let alice: TestClient;
  let signedShop: { url: string; close(): Promise<void> };
  let forgedShop: { url: string; close(): Promise<void> };
  let shots: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    buildWidget();
    [stack, browser] = await Promise.all([startStack({ identity: { secret: SECRET }, stickers: { packs: [PACK] } }), launchChromium()]);
    shots = screenshotDir(stack);
    signedShop = await startShop(stack, user(signIdentity(SECRET, 'u-42', 'yuki@example.com')));
    forgedShop = await startShop(stack, user(signIdentity('not-the-desk-secret-000000', 'u-42', 'yuki@example.com')));
    alice = await stack.operator('alice');
    await alice.subscribeTo(SUPPORT);
  }, 60_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await signedShop?.close();
    await forgedShop?.close();
    await stack?.stop();
  });

  /** A fresh browser (its own storage: another device) on the shop; records what it fetches. */
  async function device(shop: string): Promise<{ page: Page; w: ReturnType<typeof widgetHelpers>; fetched: string[] }> {
    const context = await browser.newContext({ viewport: { width: 360, height: 640 }, deviceScaleFactor: 1 });
    contexts.push(context);
    const page = await context.newPage();
    const fetched: string[] = [];
    page.on('request', (r) => fetched.push(r.url()));
    const watch = watchPage(page);
    await page.goto(`${shop}/`);
    const w = widgetHelpers(page, shots);
    await w.waitMode('open');
    await w.openPanel();
    expect(watch.errors).toEqual([]);
    return { page, w, fetched };
  }
  async function chatWithAlice(question: string): Promise<string> {
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

  it('a verified customer skips the form, !info says verified; stickers travel both ways', async () => {
    const { page, w, fetched } = await device(signedShop.url);
    // No form: the composer, greeting the signed-in customer.
    await w.waitText('.chat-status', 'Signed in as Yuki Tanaka');
    expect(await page.locator('.prechat').isHidden()).toBe(true);
    await w.shot('verified-start');
    await page.locator('#mdg-message').fill('Where is my sencha order?');
    await page.keyboard.press('Enter');
    const masked = await chatWithAlice('Where is my sencha order?');
    await w.waitText('.chat-status', 'You are chatting with Alice');
    const text = await info(masked);
    expect(text).toMatch(/^Ticket #\d+ — Yuki Tanaka \(verified\) — desk Support/);
    expect(text).toContain('Identity: verified — user id u-42 (“Yuki Tanaka”, yuki@example.com), signed by the site');
    expect(text).toContain('Previous visits: none');
    writeFileSync(join(stack.dir, 'info.txt'), text);
    await alice.say(masked, '!note VIP, ships to Osaka');
    await alice.message(masked, 'Note added');

    // The customer's sticker: the panel, then the link as body and OOB (as uploads), shown inline.
    await page.locator('.sticker-toggle').click();
    await page.locator('.sticker-grid .sticker-pick').nth(6).waitFor();
    await page.locator('.sticker-grid img[alt="Thank you!"]').evaluate((img) => (img as unknown as { decode(): Promise<void> }).decode());
    await w.shot('sticker-panel');
    await page.locator('.sticker-pick[data-sticker="thanks"]').click();
    const url = `${stack.httpUrl}/stickers/dev/thanks.svg`;
    const sent = await alice.next((el) => isMaskedMessage(el) && el.getChild('x', NS_OOB) !== undefined, 'the sticker');
    expect(sent.getChild('x', NS_OOB)?.getChildText('url')).toBe(url);
    expect(bodyOf(sent)).toBe(url);
    expect(await page.locator('.sticker-grid').isHidden()).toBe(true);
    const mine = page.locator('.line.me img.sticker[alt="Thank you!"]');
    await mine.waitFor();
    expect(await mine.getAttribute('src')).toBe(url);
    expect(await mine.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0); // served by the portal
    const size = await mine.boundingBox();
    expect([size?.width, size?.height]).toEqual([96, 96]);
    // The file route serves configured stickers only, with a sandboxing policy.
    const file = await fetch(url);
    expect(file.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect(file.headers.get('content-security-policy')).toContain('sandbox');
    expect((await fetch(`${stack.httpUrl}/stickers/dev/..%2F..%2Fconfig.yaml`)).status).toBe(404);
    const catalog = await fetch(`${stack.httpUrl}/api/widget/stickers?desk=support`);
    expect(catalog.headers.get('access-control-allow-origin')).toBe('*');
    const packs = ((await catalog.json()) as { packs: { stickers: { name: string; url: string }[] }[] }).packs;
    expect(packs[0]?.stickers.map((st) => st.name)).toEqual(['thanks', 'ok', 'wave', 'tea', 'sorry', 'heart', 'star']);
    expect((await fetch(`${stack.httpUrl}/api/widget/stickers?desk=<x>`)).status).toBe(400);

    // The operator's: !sticker lists, !sticker <name> sends one, shown inline.
    await alice.say(masked, '!sticker');
    expect(bodyOf(await alice.message(masked, 'Madoguchi:'))).toContain('thanks (Thank you!), ok (OK)');
    await alice.say(masked, '!sticker ok');
    await page.locator('.line.operator img.sticker[alt="OK"]').waitFor();
    await alice.say(masked, '!sticker nope');
    expect(bodyOf(await alice.message(masked, 'No sticker'))).toMatch(/No sticker "nope"/);

    // An off-site or unknown sticker URL from the operator: a plain link, never loaded.
    const offSite = 'http://127.0.0.2:9/stickers/dev/thanks.png'; // an image: as a file it would be previewed (loaded)
    const unknown = `${stack.httpUrl}/stickers/dev/nope.png`;
    for (const href of [offSite, unknown]) {
      await alice.send(
        xml('message', { to: masked, type: 'chat' }, xml('body', {}, href), xml('x', { xmlns: NS_OOB }, xml('url', {}, href))),
      );
      const link = page.locator(`.line.operator a[href="${href}"]`);
      await link.waitFor();
      expect(await link.innerText()).toBe(href);
    }
    await alice.say(masked, 'done'); // after the links, in order
    await w.waitText('.line.operator', 'done');
    expect(await page.locator('.line.operator img').count()).toBe(1); // only our "OK"
    expect(fetched.filter((u) => u === offSite || u === unknown)).toEqual([]);
    await w.shot('stickers');

    // The same signed id on another device while the chat is live: it continues there, with the
    // conversation from the transcript (our stickers inline again, the others still links only).
    const other = await device(signedShop.url);
    await other.page.locator('.line.me img.sticker[alt="Thank you!"]').waitFor({ timeout: 10_000 });
    await other.page.locator('.line.operator img.sticker[alt="OK"]').waitFor({ timeout: 10_000 });
    await other.w.waitText('.line.operator', 'done');
    expect(await other.page.locator('.line.operator img').count()).toBe(1);
    expect(await other.page.locator(`.line.operator a[href="${offSite}"]`).count()).toBe(1);
    expect(other.fetched.filter((u) => u === offSite || u === unknown)).toEqual([]);
    await alice.say(masked, '!end');
    await other.page.locator('.chat[data-phase="ended"]').waitFor();
  });

  it('an operator’s image on another site is a plain link, never fetched; files on the server’s upload service, uploads and our stickers (PNG too) are inline', async () => {
    // Another site, counting what reaches it: an image there would tell it who reads the chat.
    let hits = 0;
    const elsewhere = createServer((_req, res) => {
      hits++;
      res.writeHead(200, { 'Content-Type': 'image/png' }).end(PNG);
    });
    await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
    const offSite = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}/receipt.png`;
    const anonymous = await startShop(stack);
    try {
      const { page, w, fetched } = await device(anonymous.url);
      await page.locator('#mdg-f-name').fill('Ren');
      await page.locator('#mdg-f-question').fill('Is this receipt right?');
      await page.locator('.prechat .primary').click();
      const masked = await chatWithAlice('Is this receipt right?');
      const oob = (href: string) =>
        alice.send(xml('message', { to: masked, type: 'chat' }, xml('body', {}, href), xml('x', { xmlns: NS_OOB }, xml('url', {}, href))));

      // The operator's file on the server's upload service (XEP-0363 from Alice's own client), before
      // the customer uploaded anything: the origin is the one the widget's WebSocket is on.
      const slot = await alice.iq(
        'upload.localhost',
        'get',
        xml('request', { xmlns: NS_UPLOAD, filename: 'label.png', size: String(PNG.length), 'content-type': 'image/png' }),
      );
      const putEl = slot.getChild('slot', NS_UPLOAD)?.getChild('put');
      const get = slot.getChild('slot', NS_UPLOAD)?.getChild('get')?.attrs.url as string;
      const headers: Record<string, string> = { 'Content-Type': 'image/png' };
      for (const hd of putEl?.getChildren('header') ?? []) headers[String(hd.attrs.name)] = hd.getText();
      expect((await fetch(String(putEl?.attrs.url), { method: 'PUT', body: PNG, headers })).status).toBe(201);
      expect(new URL(get).origin).toBe(new URL(stack.websocketUrl.replace(/^ws/, 'http')).origin);
      await oob(get);
      const label = page.locator('.line.operator img.preview[alt="label.png"]');
      await label.waitFor();
      await expect.poll(() => label.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0);

      // An image on another site: the link, as text, never loaded.
      await oob(offSite);
      const link = page.locator(`.line.operator a[href="${offSite}"]`);
      await link.waitFor();
      expect(await link.innerText()).toBe(offSite);
      await alice.say(masked, 'after the link');
      await w.waitText('.line.operator', 'after the link');
      await page.waitForTimeout(300);
      expect(await page.locator(`img[src="${offSite}"]`).count()).toBe(0);
      expect(fetched.filter((u) => u.startsWith(offSite))).toEqual([]);
      expect(hits).toBe(0);

      // Our PNG sticker from the operator, inline at the fixed size; the customer's upload, previewed.
      await alice.say(masked, '!sticker star');
      const star = page.locator('.line.operator img.sticker[alt="Great!"]');
      await star.waitFor();
      expect(await star.getAttribute('src')).toBe(`${stack.httpUrl}/stickers/dev/star.png`);
      await expect.poll(() => star.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(128);
      const box = await star.boundingBox();
      expect([box?.width, box?.height]).toEqual([96, 96]);
      expect((await fetch(`${stack.httpUrl}/stickers/dev/star.png`)).headers.get('content-type')).toBe('image/png');
      await page.locator('#mdg-file').setInputFiles({ name: 'mine.png', mimeType: 'image/png', buffer: PNG });
      await page.locator('.line.me img.preview[alt="mine.png"]').waitFor();
      await w.shot('files-and-links');
      expect(hits).toBe(0);
      await end(masked, page);
    } finally {
      await anonymous.close();
      await new Promise((resolve) => elsewhere.close(resolve));
    }
  });

  it('another device with the same signed id is the same customer: earlier visit and note', async () => {
    const { page, w } = await device(signedShop.url);
    await w.waitText('.chat-status', 'Signed in as Yuki Tanaka');
    await page.locator('#mdg-message').fill('Me again, from my phone');
    await page.keyboard.press('Enter');
    const masked = await chatWithAlice('Me again, from my phone');
    const text = await info(masked);
    expect(text).toMatch(/\(verified\)/);
    expect(text).toMatch(/Previous visits:\n- #\d+ \d{4}-\d\d-\d\d Support: “Where is my sencha order\?”/);
    expect(text).toMatch(/Notes:\n- .*VIP, ships to Osaka/);
    // The screenshot for the README: the operator's view of a verified customer's !info.
    const shotPage = await browser.newPage({ viewport: { width: 760, height: 420 }, deviceScaleFactor: 1 });
    const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
    await shotPage.setContent(
      `<body style="margin:0;background:#1e1e1e;color:#ddd;font:14px/1.45 monospace;padding:12px">
<div style="color:#8ab4f8">${esc(new Date().toISOString().slice(11, 19))} - me: !info</div>
<pre style="margin:0;white-space:pre-wrap;color:#c3e88d">${esc(new Date().toISOString().slice(11, 19))} - ${esc(masked)}: ${esc(text)}</pre></body>`,
    );
    await shotPage.screenshot({ path: join(shots, 'verified-info.png') });
    await shotPage.close();
    await end(masked, page);
  });

  it('a wrong signature is an anonymous visitor: the form (prefilled), "unverified", no history', async () => {
    const { page } = await device(forgedShop.url);
    await page.locator('.prechat').waitFor();
    expect(await page.locator('#mdg-f-name').inputValue()).toBe('Yuki Tanaka'); // the claim fills the form
    await page.locator('#mdg-f-question').fill('Show me her orders');
    await page.keyboard.press('Enter');
    const masked = await chatWithAlice('Show me her orders');
    const text = await info(masked);
    expect(text).toMatch(/^Ticket #\d+ — Yuki Tanaka \(unverified\) — desk Support/);
    expect(text).toContain('Identity: unverified — claims user id u-42');
    expect(text).toContain('wrong signature, treated as an anonymous visitor');
    expect(text).toContain('Address: web widget (recognised by its token)');
    expect(text).toContain('Previous visits: none');
    expect(text).not.toContain('VIP');
    expect(await page.locator('.line', { hasText: 'sencha' }).count()).toBe(0);
    await end(masked, page);
  });
  it('!ban follows a verified customer to another device: refused there ("Sorry, this desk is closed right now."), no chat', async () => {
    const bo = `data-user-id="u-99" data-user-name="Bo Tanaka" data-user-signature="${signIdentity(SECRET, 'u-99')}"`;
    const shop = await startShop(stack, bo);
    try {
      const first = await device(shop.url);
      await first.w.waitText('.chat-status', 'Signed in as Bo Tanaka');
      await first.page.locator('#mdg-message').fill('Buy cheap followers!');
      await first.page.keyboard.press('Enter');
      const masked = await chatWithAlice('Buy cheap followers!');
      await alice.say(masked, '!ban spam');
      expect(bodyOf(await alice.message(masked, /blacklisted/))).toMatch(/blacklisted/);
      await first.page.locator('.chat[data-phase="ended"]').waitFor();
      await first.w.waitText('.line.system', 'Sorry, this desk is closed right now.');

      // Another browser (its own token), the same signed user id: still refused.
      const other = await device(shop.url);
      await other.w.waitText('.chat-status', 'Signed in as Bo Tanaka');
      await other.page.locator('#mdg-message').fill('Bo again, on a second device');
      await other.page.keyboard.press('Enter');
      await other.w.waitText('.line.system', 'Sorry, this desk is closed right now.');
      await alice.none(
        (el) => isMaskedMessage(el) && bodyOf(el).includes('Bo again, on a second device'),
        'the banned customer’s message',
        1500,
      );
      expect(await other.page.locator('.chat-status', { hasText: 'You are chatting' }).count()).toBe(0);
      expect(await other.page.locator('#mdg-message').isHidden()).toBe(true); // no composer: only "Start a new chat"
      expect(await other.page.locator('.chat').getAttribute('data-phase')).not.toMatch(/joining|waiting|chatting/);
      await other.w.shot('banned-elsewhere');
    } finally {
      await shop.close();
    }
  });

  it('an unsigned data-user-id is an anonymous visitor: the form, "(unverified)", none of that user’s history', async () => {
    // Yuki's id and name, claimed without a signature (a site that forgot to sign, or a forger).
    const shop = await startShop(stack, 'data-user-id="u-42" data-user-name="Yuki Tanaka" data-user-email="yuki@example.com"');
    try {
      const { page } = await device(shop.url);
      await page.locator('.prechat').waitFor();
      expect(await page.locator('#mdg-f-name').inputValue()).toBe('Yuki Tanaka');
      await page.locator('#mdg-f-question').fill('Unsigned: list my orders');
      await page.keyboard.press('Enter');
      const masked = await chatWithAlice('Unsigned: list my orders');
      const text = await info(masked);
      expect(text).toMatch(/^Ticket #\d+ — Yuki Tanaka \(unverified\) — desk Support/);
      expect(text).toContain('Identity: unverified — claims user id u-42');
      expect(text).toContain('Previous visits: none');
      expect(text).not.toContain('VIP');
      expect(await page.locator('.line', { hasText: 'sencha' }).count()).toBe(0);
      await end(masked, page);
    } finally {
      await shop.close();
    }
  });
});

/**
 * The widget's session across pages, outages and visits, in real Chromium on a fake shop
 * origin (a local server's pages carrying the widget tag): navigation
 * reattaches the chat (history kept, missed messages fetched from the transcript, the new page
 * reported); sneak peek; the component killed and restarted mid-chat, and the network
 * dropping (Prosody restarted), lose nothing and duplicate nothing; a message left while closed, answered by !reply, seen on the next visit.
 */
import type { Element } from '@xmpp/xml';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isIntro, type TestClient } from '../support/clients.js';
import { startStack, SUPPORT, XMPP_SERVER, type Stack } from '../support/stack.js';
import { bodyOf, buildWidget, isMaskedMessage, launchChromium, screenshotDir, startShop, watchPage, widgetHelpers } from './browser-kit.js';

const NS_RTT = 'urn:xmpp:rtt:0';
const rttText = (el: Element) =>
  el
    .getChild('rtt', NS_RTT)
    ?.getChildren('t')
    .map((t) => t.text())
    .join('') ?? '';

// A KNOWN FAILURE on ejabberd 23.01 (issue 19 §2 is open): with the component killed, a join from the loader's
// chat never shows "Sending…" there. Not yet explained.
const JOIN_DURING_RESTART_OPEN = XMPP_SERVER === 'ejabberd';
if (JOIN_DURING_RESTART_OPEN)
  console.log('skipped on ejabberd: "a chat started while the desk restarts" is a known, unexplained failure there (issue 19)');
// A KNOWN FLAKE on ejabberd 23.01 (2 of 5 runs on 2026-12-08, after the test before restarted the server): the
// desk not yet "closed" within 10 s, or the reply not shown on the next visit within 20 s. Not yet explained.
const LEFT_MESSAGE_FLAKY = XMPP_SERVER === 'ejabberd';
if (LEFT_MESSAGE_FLAKY)
  console.log(
    'skipped on ejabberd: "takes a message while closed; the !reply is shown on the next visit" is a known, unexplained flake there',
  );

describe('widget sessions (Chromium)', () => {
  let stack: Stack;
  let browser: Browser;
  let shots: string;

  beforeAll(async () => {
    buildWidget();
    [stack, browser] = await Promise.all([startStack({ routing: { customerGraceSeconds: 30, graceSeconds: 30 } }), launchChromium()]);
    shots = screenshotDir(stack);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  /** A fresh browser profile (its own localStorage) on a shop site of its own. */
  async function shopContext(attrs = ''): Promise<{ context: BrowserContext; page: Page; shop: string }> {
    const site = await startShop(stack, attrs);
    const context = await browser.newContext({ viewport: { width: 360, height: 640 }, deviceScaleFactor: 1 });
    context.on('close', () => void site.close());
    return { context, page: await context.newPage(), shop: site.url };
  }

  it('keeps the chat across pages, fills gaps from the transcript, survives a component restart and a network drop', async () => {
    const alice: TestClient = await stack.operator('alice');
    await alice.subscribeTo(SUPPORT);
    const { context, page, shop } = await shopContext('data-sneak-peek="on"');
    const watch = watchPage(page);
    const w = widgetHelpers(page, shots);
    try {
      await page.goto(`${shop}/`);
      await w.waitMode('open');
      await w.launcher().click();
      await page.locator('#mdg-f-name').fill('Ren');
      await page.locator('#mdg-f-question').fill('Is the matcha in stock?');
      await page.locator('.prechat .primary').click();
      const intro = await alice.next((el) => isMaskedMessage(el) && isIntro(el), 'intro');
      const masked = String(intro.attrs.from);
      await alice.message(masked, 'Is the matcha in stock?');
      await w.waitText('.chat-status', 'You are chatting with Alice');

      // Sneak peek: the site turned it on, the customer is told, the draft streams as XEP-0301 resets.
      expect(await page.locator('.sneak-peek').isVisible()).toBe(true);
      await page.locator('#mdg-message').click();
      await page.keyboard.type('I would like 3 tins', { delay: 20 });
      const draft = await alice.next((el) => el.attrs.from === masked && rttText(el).startsWith('I would like'), 'rtt reset');
      expect(draft.getChild('rtt', NS_RTT)?.attrs.event).toBe('reset');
      await page.keyboard.press('Enter');
      await alice.message(masked, 'I would like 3 tins');

      // Another page of the shop: the same chat, its history, no "customer left"; the page is reported.
      await page.keyboard.press('Escape'); // the panel covers the page on a phone
      await page.locator('#to-cart').click();
      await page.waitForURL(`${shop}/cart`);
      await w.openPanel();
      await w.waitText('.chat-status', 'You are chatting with Alice');
      await w.waitText('.line.me', 'I would like 3 tins');
      // The new page reaches the desk when this page's chat has reconnected, which the restored panel may
      // show a moment earlier (seen on ejabberd): ask !info until the page is listed, for up to 10 s.
      const cartListed = new RegExp(`Pages viewed:[\\s\\S]*Tea Shop cart — ${shop}/cart`);
      let info = '';
      for (let i = 0; i < 20 && !cartListed.test(info); i++) {
        if (i > 0) await new Promise((r) => setTimeout(r, 500));
        await alice.say(masked, '!info');
        info = bodyOf(await alice.message(masked, 'Ticket #'));
      }
      expect(info).toMatch(cartListed);

      // Away from the site while Alice writes; back on it, the message is fetched from the transcript, once.
      await page.goto('about:blank');
      await alice.say(masked, 'We have 5 tins left.');
      await page.goto(`${shop}/`);
      await page.locator('.panel').waitFor(); // open when the last page was left: open again
      await w.waitText('.line.operator', 'We have 5 tins left.');
      await w.shot('reattached');
      expect(await page.locator('.line.me', { hasText: 'I would like 3 tins' }).count()).toBe(1);
      await alice.none((el) => isMaskedMessage(el) && /customer left/i.test(bodyOf(el)), 'customer left', 300);

      // The component dies mid-chat: the message typed meanwhile stays pending, is resent with the
      // same origin-id once the desk is back, and reaches Alice exactly once.
      await stack.killComponent();
      await page.locator('#mdg-message').fill('Typed while the desk restarts');
      await page.keyboard.press('Enter');
      const line = page.locator('.line.me', { hasText: 'Typed while the desk restarts' });
      await line.waitFor();
      expect(await line.getAttribute('data-mark')).toBe('pending');
      await w.shot('pending');
      await stack.startComponent();
      const got = await alice.message(masked, 'Typed while the desk restarts', 30_000);
      await page.locator('.line.me[data-mark="sent"]', { hasText: 'Typed while the desk restarts' }).waitFor({ timeout: 20_000 });
      await alice.none((el) => isMaskedMessage(el) && bodyOf(el) === 'Typed while the desk restarts', 'a duplicate', 2000);
      expect(got.getChild('origin-id', 'urn:xmpp:sid:0')?.attrs.id).toBe(await line.getAttribute('data-id'));
      expect(await line.count()).toBe(1);

      // The network drops (Prosody restarts): the widget says so, reconnects with back-off as a
      // new anonymous JID, rebinds its token to the same chat and resends what was typed meanwhile.
      const restarted = stack.restartProsody();
      await page.locator('.offline').waitFor();
      await page.locator('#mdg-message').fill('Typed while offline');
      await page.keyboard.press('Enter');
      await restarted;
      const alice2 = await stack.operator('alice', 'desk2');
      const late = await alice2.message(masked, 'Typed while offline', 30_000);
      await page.locator('.line.me[data-mark="sent"]', { hasText: 'Typed while offline' }).waitFor({ timeout: 20_000 });
      await alice2.none((el) => isMaskedMessage(el) && bodyOf(el) === 'Typed while offline', 'a duplicate', 1000);
      expect(late.attrs.from).toBe(masked);
      await alice2.say(masked, 'Got it.');
      await w.waitText('.line.operator', 'Got it.');
      await alice2.stop();
      expect(watch.errors).toEqual([]);
    } finally {
      await context.close();
      await alice.stop();
    }
  }, 90_000);

  it.skipIf(LEFT_MESSAGE_FLAKY)(
    'takes a message while closed; the !reply is shown on the next visit, once',
    async () => {
      const { context, page, shop } = await shopContext();
      const w = widgetHelpers(page, shots);
      try {
        await page.goto(`${shop}/`);
        await w.waitMode('closed');
        await w.launcher().click();
        await w.waitText('.note', 'Leave a message');
        await page.locator('#mdg-f-name').fill('Mika');
        await page.locator('#mdg-f-question').fill('Do you ship to Osaka?');
        await w.shot('leave-message');
        await page.locator('.prechat .primary').click();
        await w.waitText('.chat-status', 'has been received');
        const ticket = /#(\d+)/.exec(await page.locator('.chat-status').innerText())?.[1];
        expect(ticket).toBeDefined();
        await w.shot('left-message');
        await page.close();

        const alice = await stack.operator('alice', 'later');
        await alice.say(SUPPORT, `!reply ${ticket} Yes, we ship to Osaka in two days.`);
        await alice.message(SUPPORT, `#${ticket}`);

        const next = await context.newPage();
        const w2 = widgetHelpers(next, shots);
        await next.goto(`${shop}/`);
        await w2.waitText('.replies .reply', 'Yes, we ship to Osaka in two days.', 20_000).catch(async (e: Error) => {
          throw new Error(`${e.message}\nwidget shows: ${await next.locator('.mdg').innerText()}`);
        });
        expect(await next.locator('.replies .who').first().innerText()).toContain('Alice');
        await next.locator('.panel').waitFor(); // the reply opened the panel by itself
        await w2.shot('reply');
        await next.reload();
        await w2.waitMode('open');
        await next.waitForTimeout(500);
        expect(await next.locator('.replies .reply').count()).toBe(0); // seen: not shown again
        await alice.stop();
      } finally {
        await context.close();
      }
    },
    60_000,
  );

  it('a message the desk never acks is shown as not sent, with a retry, instead of "Sending…" forever', async () => {
    const alice = await stack.operator('alice', 'fourth');
    await alice.subscribeTo(SUPPORT);
    const { context, page, shop } = await shopContext();
    const w = widgetHelpers(page, shots);
    try {
      await page.clock.install(); // the widget's timers, fast-forwarded below
      await page.goto(`${shop}/`);
      await w.waitMode('open');
      await w.launcher().click();
      await page.locator('#mdg-f-name').fill('Kai');
      await page.locator('#mdg-f-question').fill('Do you ship to Okinawa?');
      await page.locator('.prechat .primary').click();
      const intro = await alice.next((el) => isMaskedMessage(el) && isIntro(el) && bodyOf(el).includes('Kai'), 'intro');
      const masked = String(intro.attrs.from);
      await w.waitText('.chat-status', 'You are chatting with Alice');

      await stack.killComponent();
      await page.locator('#mdg-message').fill('Hello? Anyone?');
      await page.keyboard.press('Enter');
      const line = page.locator('.line.me', { hasText: 'Hello? Anyone?' });
      await line.waitFor();
      // Every resend bounces (the desk is down): after 6 resends, about 2.5 min, the widget gives up.
      for (let i = 0; i < 12 && (await line.getAttribute('data-mark')) !== 'unsent'; i++) {
        await page.clock.fastForward(20_000);
        await page.waitForTimeout(150); // the bounce's round trip, in real time
      }
      expect(await line.getAttribute('data-mark')).toBe('unsent');
      expect(await line.locator('.mark').innerText()).toContain('Not sent');
      await w.shot('not-sent');

      await stack.startComponent();
      await line.locator('button.retry', { hasText: 'Retry' }).click();
      const got = await alice.message(masked, 'Hello? Anyone?', 20_000);
      await page.locator('.line.me[data-mark="sent"]', { hasText: 'Hello? Anyone?' }).waitFor({ timeout: 10_000 });
      expect(got.getChild('origin-id', 'urn:xmpp:sid:0')?.attrs.id).toBe(await line.getAttribute('data-id'));
      await alice.none((el) => isMaskedMessage(el) && bodyOf(el) === 'Hello? Anyone?', 'a duplicate', 1000);
      expect(await line.locator('button.retry').count()).toBe(0);
      await alice.say(masked, '!end'); // Alice's slot is free for the next test
      await alice.message(masked, /ended/);
    } finally {
      await context.close();
      await alice.stop();
    }
  }, 60_000);

  it.skipIf(JOIN_DURING_RESTART_OPEN)(
    'a chat started while the desk restarts, on a page left at once, still reaches the operator',
    async () => {
      const alice = await stack.operator('alice', 'third');
      await alice.subscribeTo(SUPPORT);
      const { context, page, shop } = await shopContext();
      const w = widgetHelpers(page, shots);
      try {
        await page.goto(`${shop}/`);
        await w.waitMode('open');
        await stack.killComponent();
        await w.launcher().click();
        await page.locator('#mdg-f-name').fill('Sora');
        await page.locator('#mdg-f-question').fill('Can I change my delivery address?');
        await page.locator('.prechat .primary').click();
        await w.waitText('.chat-status', 'Sending…');
        await page.goto(`${shop}/account`); // the join is still pending: kept in localStorage
        await stack.startComponent();
        const intro = await alice.next((el) => isMaskedMessage(el) && isIntro(el) && bodyOf(el).includes('Sora'), 'intro', 30_000);
        await alice.message(String(intro.attrs.from), 'Can I change my delivery address?');
        await w.openPanel();
        await w.waitText('.chat-status', 'You are chatting with Alice', 15_000);
        expect(await page.locator('.line.me', { hasText: 'Can I change my delivery address?' }).count()).toBe(1);
      } finally {
        await context.close();
        await alice.stop();
      }
    },
    60_000,
  );
});

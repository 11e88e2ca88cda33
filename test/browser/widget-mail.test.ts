/**
 * The widget's consent checkbox (issue 17) in real Chromium: a Japanese customer leaves a message
 * while the desk is closed, ticks "email me", and the SMTP server (test/support/smtp-catcher.ts)
 * receives the staff notice and the customer's acknowledgement in Japanese with a link back to the
 * shop page; the answer by !reply arrives by mail and is not shown again by the widget.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, SUPPORT, type Stack } from '../support/stack.js';
import { startSmtpCatcher, type SmtpCatcher } from '../support/smtp-catcher.js';
import type { ParsedMail } from 'mailparser';
import { isIntro } from '../support/clients.js';
import { buildWidget, isMaskedMessage, launchChromium, screenshotDir, startShop, widgetHelpers } from './browser-kit.js';

const toAddress = (m: ParsedMail) => (Array.isArray(m.to) ? m.to.map((t) => t.text).join(',') : (m.to?.text ?? ''));

const FORM = [
  { var: 'name', label: 'Name', labelJa: 'お名前', type: 'text', required: true },
  { var: 'email', label: 'Email', labelJa: 'メールアドレス', type: 'email' },
  { var: 'question', label: 'Your question', labelJa: 'ご質問', type: 'textarea', required: true },
  { var: 'mail_consent', label: 'Email me the answer', labelJa: '回答をメールで受け取る', type: 'checkbox' },
];

describe('widget and email (Chromium)', () => {
  let smtp: SmtpCatcher;
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    buildWidget();
    smtp = await startSmtpCatcher();
    [stack, browser] = await Promise.all([
      startStack({
        widget: { form: FORM },
        mail: {
          host: '127.0.0.1',
          port: smtp.port,
          tls: 'none',
          from: 'desk@example.com',
          notify: { support: ['staff@example.com'] },
          replyHoldSeconds: 2, // a tab closed just before !reply may not have been seen to go: its reply mail waits this long
        },
      }),
      launchChromium(),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await smtp?.stop();
  });

  it('a ticked consent box brings the acknowledgement and the reply by mail, in Japanese', async () => {
    const site = await startShop(stack, 'data-lang="ja"');
    const context = await browser.newContext({ viewport: { width: 360, height: 640 } });
    try {
      const page = await context.newPage();
      const w = widgetHelpers(page, screenshotDir(stack));
      await page.goto(`${site.url}/`);
      await w.waitMode('closed');
      await w.launcher().click();
      await page.locator('#mdg-f-mail_consent').waitFor();
      expect(await page.locator('label[for="mdg-f-mail_consent"]').innerText()).toContain('回答をメールで受け取る');
      await page.locator('#mdg-f-name').fill('Aoi');
      await page.locator('#mdg-f-email').fill('aoi@example.jp');
      await page.locator('#mdg-f-question').fill('抹茶はありますか？');
      await page.locator('#mdg-f-mail_consent').check();
      await page.locator('.prechat .primary').click();
      await w.waitText('.chat-status', '#');
      const ticket = /#(\d+)/.exec(await page.locator('.chat-status').innerText())?.[1];
      expect(ticket).toBeDefined();

      const staff = await smtp.waitFor((m) => m.subject === `[Support] Message #${ticket} from Aoi`, 'staff notice');
      expect(staff.text).toContain('Email me the answer: true');
      expect(staff.text).toContain(`Page: ${site.url}/`);
      const ack = await smtp.waitFor((m) => m.subject === `Support：お問い合わせを受け付けました（#${ticket}）`, 'acknowledgement');
      expect(ack.html).toContain(`<a href="${site.url}/">サイトに戻る</a>`);

      await page.close();
      const alice = await stack.operator('alice', 'later');
      await alice.say(SUPPORT, `!reply ${ticket} はい、ございます。`);
      await alice.message(SUPPORT, `#${ticket}`);
      const reply = await smtp.waitFor((m) => m.subject === `Support：お問い合わせへの返信（#${ticket}）`, 'reply');
      expect(reply.text).toContain('はい、ございます。');

      const next = await context.newPage();
      await next.goto(`${site.url}/`);
      await widgetHelpers(next, screenshotDir(stack)).waitMode('closed');
      await next.waitForTimeout(1000);
      expect(await next.locator('.replies .reply').count()).toBe(0); // delivered by mail: shown once
      await alice.stop();
    } finally {
      await context.close();
      await site.close();
    }
  }, 60_000);

  it('after a chat without an email address, "Email me the transcript" is not offered (the transcript is)', async () => {
    const alice = await stack.operator('alice', 'noemail');
    await alice.subscribeTo(SUPPORT);
    const site = await startShop(stack);
    const context = await browser.newContext({ viewport: { width: 360, height: 640 } });
    try {
      const page = await context.newPage();
      const w = widgetHelpers(page, screenshotDir(stack));
      await page.goto(`${site.url}/`);
      await w.waitMode('open');
      await w.launcher().click();
      await page.locator('#mdg-f-name').fill('Sora');
      await page.locator('#mdg-f-question').fill('No email from me.');
      await page.locator('.prechat .primary').click();
      const intro = await alice.next((el) => isMaskedMessage(el) && isIntro(el), 'intro of Sora');
      await alice.say(String(intro.attrs.from), 'Fine.');
      await w.waitText('.line.operator', 'Fine.');
      await page.locator('.end').click();
      await w.waitText('.line.system', 'The chat has ended');
      await page.locator('.after .transcript').waitFor();
      expect(await page.locator('.email-transcript').isVisible()).toBe(false);
    } finally {
      await alice.stop();
      await context.close();
      await site.close();
    }
  }, 60_000);

  it('after a chat, "Email me the transcript" mails the chat to the address given', async () => {
    const alice = await stack.operator('alice', 'chat');
    await alice.subscribeTo(SUPPORT);
    const site = await startShop(stack);
    const context = await browser.newContext({ viewport: { width: 360, height: 640 } });
    try {
      const page = await context.newPage();
      const w = widgetHelpers(page, screenshotDir(stack));
      await page.goto(`${site.url}/`);
      await w.waitMode('open');
      await w.launcher().click();
      await page.locator('#mdg-f-name').fill('Riku');
      await page.locator('#mdg-f-email').fill('riku@example.com');
      await page.locator('#mdg-f-question').fill('Is sencha in stock?');
      await page.locator('.prechat .primary').click();
      const intro = await alice.next((el) => isMaskedMessage(el) && isIntro(el), 'intro of Riku');
      await alice.say(String(intro.attrs.from), 'Yes, plenty.');
      await w.waitText('.line.operator', 'Yes, plenty.');
      expect(await page.locator('.email-transcript').isVisible()).toBe(false); // only after the chat
      await page.locator('.end').click();
      await w.waitText('.line.system', 'The chat has ended');
      await page.locator('.email-transcript').click();
      await w.waitText('.line.system', 'The transcript is on its way');
      const mail = await smtp.waitFor((m) => /^Support: transcript of your chat \(#\d+\)$/.test(m.subject ?? ''), 'transcript');
      expect(toAddress(mail)).toBe('riku@example.com');
      expect(mail.text).toMatch(/ You: Is sencha in stock\?\n/);
      expect(mail.text).toMatch(/ Alice: Yes, plenty\.\n/);
    } finally {
      await alice.stop();
      await context.close();
      await site.close();
    }
  }, 60_000);
  it('a widget open at !reply shows the reply live, acknowledges it, and the customer gets no mail of it', async () => {
    const site = await startShop(stack);
    const context = await browser.newContext({ viewport: { width: 360, height: 640 } });
    try {
      const page = await context.newPage();
      const w = widgetHelpers(page, screenshotDir(stack));
      await page.goto(`${site.url}/`);
      await w.waitMode('closed');
      await w.launcher().click();
      await page.locator('#mdg-f-name').fill('Mei');
      await page.locator('#mdg-f-email').fill('mei@example.com');
      await page.locator('#mdg-f-question').fill('Do you ship to Osaka?');
      await page.locator('#mdg-f-mail_consent').check();
      await page.locator('.prechat .primary').click();
      await w.waitText('.chat-status', '#');
      const ticket = /#(\d+)/.exec(await page.locator('.chat-status').innerText())?.[1];
      await smtp.waitFor((m) => toAddress(m) === 'mei@example.com', 'acknowledgement to Mei');

      const alice = await stack.operator('alice', 'live');
      await alice.say(SUPPORT, `!reply ${ticket} Yes, next day.`);
      await alice.message(SUPPORT, `Reply to #${ticket} sent`);
      await w.waitText('.replies .reply', 'Yes, next day.');
      await page.waitForTimeout(4000); // past replyHoldSeconds (2) and a few ticks
      expect(smtp.mails.filter((m) => (m.subject ?? '').includes(`#${ticket}`)).map(toAddress)).toEqual([
        'staff@example.com',
        'mei@example.com', // the acknowledgement only
      ]);
      await alice.stop();
    } finally {
      await context.close();
      await site.close();
    }
  }, 60_000);
});

/**
 * Issue 17 in Chromium: closing time with hours.atClosing 'offline'. A widget customer waits behind
 * a chat; an admin closes today live (`!hours set`): the widget says the
 * desk has closed and the question is kept, and the question is in !tickets.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isIntro, isMessageFrom, type TestClient } from '../support/clients.js';
import { startStack, SUPPORT, type Stack } from '../support/stack.js';
import { buildWidget, launchChromium, screenshotDir, widgetHelpers } from './browser-kit.js';

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const today = DAYS[new Date().getUTCDay()] as string;
const tomorrow = DAYS[(new Date().getUTCDay() + 1) % 7] as string;
const hours = { timeZone: 'UTC', weekly: { [today]: [{ start: '00:00', end: '24:00' }] }, atClosing: 'offline' };

describe('customer widget at closing time (Chromium)', () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;
  let alice: TestClient;

  beforeAll(async () => {
    buildWidget();
    [stack, browser] = await Promise.all([
      startStack({
        operators: [{ user: 'alice', name: 'Alice', desks: ['support'], maxChats: 1, role: 'admin' }],
        deskExtras: { support: { hours } },
      }),
      launchChromium(),
    ]);
    alice = await stack.operator('alice');
    await alice.subscribeTo(SUPPORT);
    page = await browser.newPage({ viewport: { width: 360, height: 640 }, locale: 'en-GB' });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('a waiting customer is told the desk has closed; the question is kept for !reply', async () => {
    const first = await stack.customer();
    await first.say(SUPPORT, 'I am first');
    await alice.next(isIntro, 'the first chat', 10_000);

    const w = widgetHelpers(page, screenshotDir(stack));
    await page.goto(`${stack.httpUrl}/`);
    await w.openPanel();
    await page.locator('#mdg-f-name').fill('Hanako');
    await page.locator('#mdg-f-question').fill('Can I still order today?');
    await page.locator('.prechat .primary').click();
    await w.waitText('.chat-status', 'You are number 1 in line');

    // An admin closes today live (issue 16): the hours clock sees closing time on its next tick.
    await alice.say(SUPPORT, `!hours set ${tomorrow} 09:00-10:00; at-closing offline`);
    await alice.message(SUPPORT, /hours are now/);

    await w.waitText('.line', 'We have closed for today. Your question is kept', 15_000);
    await alice.say(SUPPORT, '!tickets');
    const list = await alice.next(isMessageFrom(SUPPORT, /Open offline messages/), 'the offline list', 10_000);
    expect(list.getChildText('body')).toContain('Can I still order today?');
  });
});

/**
 * Issue 17 in Chromium: a desk closed by its business hours, with an operator online, shows
 * closed in the widget with its next opening in the customer's own time zone (the browser set
 * to Asia/Tokyo, the desk's hours in UTC), and offers to leave a message, which reaches !tickets.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestClient } from '../support/clients.js';
import { isMessageFrom } from '../support/clients.js';
import { startStack, SUPPORT, type Stack } from '../support/stack.js';
import { buildWidget, launchChromium, screenshotDir, widgetHelpers } from './browser-kit.js';

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
// Open only tomorrow 09:00–10:00 UTC (18:00 in Tokyo, the same date): closed now, whenever it runs.
const tomorrow = new Date(Date.now() + 86_400_000);
const hours = { timeZone: 'UTC', weekly: { [DAYS[tomorrow.getUTCDay()] as string]: [{ start: '09:00', end: '10:00' }] } };

describe('customer widget, desk closed by its hours (Chromium)', () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;
  let alice: TestClient;

  beforeAll(async () => {
    buildWidget();
    [stack, browser] = await Promise.all([startStack({ deskExtras: { support: { hours } } }), launchChromium()]);
    alice = await stack.operator('alice');
    await alice.subscribeTo(SUPPORT);
    page = await browser.newPage({ viewport: { width: 360, height: 640 }, timezoneId: 'Asia/Tokyo', locale: 'en-GB' });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('shows closed with the opening in the customer’s zone and takes a message', async () => {
    const w = widgetHelpers(page, screenshotDir(stack));
    await page.goto(`${stack.httpUrl}/`);
    await w.waitMode('closed'); // although Alice is online
    await w.openPanel();
    const expected = `Closed — opens ${NAMES[tomorrow.getUTCDay()]} 18:00 GMT+9`;
    await expect.poll(() => page.locator('.desk-status').innerText(), { timeout: 10_000 }).toBe(expected);
    expect(await page.locator('.prechat .primary').innerText()).toBe('Send message');

    await page.locator('#mdg-f-name').fill('Hanako');
    await page.locator('#mdg-f-question').fill('When do you open?');
    await page.locator('.prechat .primary').click();
    await page.getByText(/Thank you\. Your message #\d+ has been received/).waitFor({ timeout: 10_000 }); // stored by the desk
    await alice.say(SUPPORT, '!tickets');
    const list = await alice.next(isMessageFrom(SUPPORT, /Open offline messages/), 'the offline list', 10_000);
    expect(list.getChildText('body')).toContain('Hanako');
    expect(list.getChildText('body')).toContain('When do you open?');
  });
});

/**
 * Issue 14 item 1: the widget's composer takes what the desk takes. limits.maxBodyChars counts
 * code points, Chromium's maxlength counts UTF-16 units: 10,000 astral emoji (20,000 units)
 * must fit in the box and reach the operator whole.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isIntro } from '../support/clients.js';
import { startStack, SUPPORT, type Stack } from '../support/stack.js';
import { bodyOf, buildWidget, isMaskedMessage, launchChromium, screenshotDir, widgetHelpers } from './browser-kit.js';

describe('widget message length (Chromium)', () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    buildWidget();
    [stack, browser] = await Promise.all([startStack(), launchChromium()]);
    page = await browser.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('sends a body of 10,000 astral emoji typed into the composer, whole', async () => {
    const w = widgetHelpers(page, screenshotDir(stack));
    const alice = await stack.operator('alice');
    await alice.subscribeTo(SUPPORT);
    await page.goto(`${stack.httpUrl}/`);
    await w.waitMode('open');
    await w.openPanel();
    await page.locator('#mdg-f-name').fill('Emi');
    await page.locator('#mdg-f-question').fill('a long one follows');
    await page.locator('.prechat .primary').click();
    const intro = await alice.next((el) => isMaskedMessage(el) && isIntro(el), 'intro');
    await w.waitText('.chat-status', 'You are chatting with Alice');

    const longest = '😀'.repeat(10_000);
    await page.locator('#mdg-message').focus();
    await page.keyboard.insertText(longest);
    const typed = await page.locator('#mdg-message').inputValue();
    expect([...typed].length).toBe(10_000);
    await page.keyboard.press('Enter');
    const got = await alice.next((el) => el.attrs.from === intro.attrs.from && bodyOf(el).startsWith('😀'), 'the long message', 15_000);
    expect(bodyOf(got) === longest).toBe(true);
  });
});

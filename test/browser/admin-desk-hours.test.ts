/**
 * The console's Desks page and issue 17 (real Chromium, real stack): the business hours are
 * read and saved in their own time zone (hours.timeZone, as `!hours set` keeps it), not the
 * reports' `timeZone`; the "closed now" switch is the same as `!closed on|off`: the desk's
 * presence and /api/status follow it.
 */
import type { Element } from '@xmpp/xml';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adhoc, NS_COMMANDS } from '../support/adhoc.js';
import type { TestClient } from '../support/clients.js';
import { DOMAIN, SALES, startStack, type Stack } from '../support/stack.js';
import { buildWidget, launchChromium } from './browser-kit.js';

const OPERATORS = [
  { user: 'alice', name: 'Alice', desks: ['support', 'sales'], maxChats: 2, role: 'admin' },
  { user: 'bob', name: 'Bob', desks: ['sales'], maxChats: 2, role: 'operator' },
];
// The hours' zone differs from the desk's reports zone (UTC by default).
const HOURS = { timeZone: 'Asia/Tokyo', weekly: { mon: [{ start: '09:00', end: '18:00' }] } };

async function consoleToken(c: TestClient): Promise<string> {
  const iq = await adhoc(c, DOMAIN, 'console-session');
  const field = (iq.getChild('command', NS_COMMANDS)?.getChild('x', 'jabber:x:data')?.getChildren('field') ?? []).find(
    (f: Element) => f.attrs.var === 'token',
  );
  return field?.getChildText('value') ?? '';
}

describe('console Desks page: hours zone and closed-now switch (Chromium)', () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;
  let token = '';

  const deskValue = async (id: string) => {
    const res = await fetch(`${stack.httpUrl}/api/admin/org/desk/${id}`, { headers: { Authorization: `Bearer ${token}` } });
    return ((await res.json()) as { value: { timeZone: string; hours?: typeof HOURS } }).value;
  };
  const modeOf = async (desk: string) => (await stack.status()).desks.find((d) => d.desk === desk)?.mode;
  const openDesk = async (name: RegExp) => {
    await page.locator('header nav a[href="#desks"]').click();
    await page.getByRole('button', { name }).click();
  };

  beforeAll(async () => {
    buildWidget();
    [stack, browser] = await Promise.all([
      startStack({ operators: OPERATORS, deskExtras: { support: { hours: HOURS } } }),
      launchChromium(),
    ]);
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(8000);
    token = await consoleToken(await stack.operator('alice', 'api'));
    await page.goto(`${stack.httpUrl}/admin`);
    await page.getByLabel('XMPP address (JID)').fill('alice@localhost');
    await page.getByLabel('Password').fill('alice');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('.app').waitFor({ timeout: 10_000 });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('shows and saves the hours in their own zone: saving a desk whose zones differ does not move its opening times', async () => {
    expect((await deskValue('support')).timeZone).toBe('UTC');
    await openDesk(/^Support/);
    expect(await page.getByLabel(/^Business hours/).inputValue()).toBe('mon 09:00-18:00');
    expect(await page.getByLabel('Time zone of the hours').inputValue()).toBe('Asia/Tokyo');
    await page.getByLabel('Name', { exact: true }).fill('Support desk');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('.banner.saved').waitFor({ timeout: 5000 });
    const saved = await deskValue('support');
    expect(saved.hours).toMatchObject(HOURS); // still 09:00-18:00 Tokyo time
    expect(saved.timeZone).toBe('UTC');
    // The zone is editable.
    await page.getByLabel('Time zone of the hours').fill('Europe/Berlin');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(async () => (await deskValue('support')).hours?.timeZone).toBe('Europe/Berlin');
    expect((await deskValue('support')).hours?.weekly).toEqual(HOURS.weekly);
  });

  it('the closed-now switch closes the desk (presence xa, /api/status closed) and opens it again', async () => {
    const bob = await stack.operator('bob');
    await bob.subscribeTo(SALES);
    await expect.poll(() => modeOf('sales')).toBe('open');
    await openDesk(/^Sales/);
    const box = page.getByLabel(/Closed now/);
    expect(await box.isChecked()).toBe(false);
    await box.check();
    await page.getByRole('status').filter({ hasText: 'is closed now' }).waitFor();
    await expect.poll(() => modeOf('sales')).toBe('closed');
    await bob.next((el) => el.name === 'presence' && el.attrs.from === SALES && el.getChildText('show') === 'xa', 'sales closed (xa)');
    // The page read back shows the switch on.
    await page.locator('header nav a[href="#live"]').click();
    await openDesk(/^Sales/);
    expect(await page.getByLabel(/Closed now/).isChecked()).toBe(true);
    await page.getByLabel(/Closed now/).uncheck();
    await page.getByRole('status').filter({ hasText: 'open again' }).waitFor();
    await expect.poll(() => modeOf('sales')).toBe('open');
    await bob.next((el) => el.name === 'presence' && el.attrs.from === SALES && el.getChildText('show') === 'chat', 'sales open (chat)');
    await bob.stop();
  });
});

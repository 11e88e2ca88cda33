/**
 * The console's Reports page (issue 18) in real Chromium against the real stack: a few chats go
 * through Prosody and the component (served and rated, missed, abandoned while waiting, at two
 * desks) and a widget beacon is counted; then the page's uPlot canvases are drawn, its table cells
 * equal the /api/reports JSON of the same filter (row by row, figure by figure), a filter change
 * changes the table, the CSV download is the API's CSV; an operator's console shows only their own
 * figures, a supervisor's only their desks. UPDATE_SCREENSHOTS=1 writes docs/screenshots/admin-reports.png.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { xml } from '@xmpp/client';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isIntro, type TestClient } from '../support/clients.js';
import { joinForm } from '../support/join-form.js';
import { ADMIN_TOKEN, SALES, startStack, SUPPORT, type Stack } from '../support/stack.js';
import { buildWidget, isMaskedMessage, launchChromium, NS_DESK, screenshotDir } from './browser-kit.js';

const OPERATORS = [
  { user: 'alice', name: 'Alice', desks: ['support', 'sales'], maxChats: 2, role: 'admin' },
  { user: 'bob', name: 'Bob', desks: ['support'], maxChats: 2, role: 'operator' },
  { user: 'carol', name: 'Carol', desks: ['sales'], maxChats: 2, role: 'supervisor' },
  { user: 'dan', name: 'Dan', desks: ['sales'], maxChats: 1, role: 'operator' },
];
/** The table's figures, in its column order, and how each reads (the page's own formats, restated). */
const COLUMNS: [string, 'n' | 's' | '%'][] = [
  ['requested', 'n'],
  ['served', 'n'],
  ['abandoned', 'n'],
  ['offline', 'n'],
  ['missed', 'n'],
  ['waitP50Ms', 's'],
  ['waitP90Ms', 's'],
  ['waitMaxMs', 's'],
  ['firstResponseP50Ms', 's'],
  ['firstResponseP90Ms', 's'],
  ['withinSla', '%'],
  ['handleAvgMs', 's'],
  ['transfers', 'n'],
  ['ratingAvg', 'n'],
];
const text = (v: number | undefined, f: 'n' | 's' | '%') =>
  v === undefined ? '—' : f === 's' ? (v / 1000).toFixed(1) : f === '%' ? `${(v * 100).toFixed(1)}%` : String(v);

type Figures = Record<string, number | undefined> & { period: string };
interface Report {
  desks: string[];
  operator: string | null;
  totals: Figures;
  rows: Figures[];
  busiestHours: number[][];
  comments: { ticket: number; comment: string }[];
}

describe('the Reports page (Chromium)', () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;
  const today = new Date().toISOString().slice(0, 10); // the stack's desks use UTC
  const weekAgo = new Date(Date.now() - 6 * 86_400_000).toISOString().slice(0, 10);
  const api = async (query: string): Promise<Report> => {
    const res = await fetch(`${stack.httpUrl}/api/reports?from=${weekAgo}&to=${today}${query}`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(res.status).toBe(200);
    return (await res.json()) as Report;
  };
  /** What the page's table shows: per row, each figure's data-value and text. */
  const table = (p: Page) =>
    p.$$eval('table.figures tr[data-period]', (trs) =>
      trs.map((tr) => ({
        period: tr.getAttribute('data-period'),
        cells: [...tr.querySelectorAll('td[data-key]')].map((td) => [
          td.getAttribute('data-key'),
          td.getAttribute('data-value'),
          td.textContent,
        ]),
      })),
    );
  const expected = (r: Report) =>
    [...r.rows.map((f) => [f.period, f] as const), ['total', r.totals] as const].map(([period, f]) => ({
      period,
      cells: COLUMNS.map(([k, fmt]) => [k, String(f[k] ?? ''), text(f[k], fmt)]),
    }));
  /** The page's table equals the API's answer to the same filter (it reloads on a change: poll). */
  const tableIs = async (p: Page, query: string) => {
    const want = expected(await api(query));
    await expect.poll(() => table(p), { timeout: 5000 }).toEqual(want);
  };
  async function signIn(p: Page, user: string): Promise<void> {
    await p.goto(`${stack.httpUrl}/admin#reports`);
    await p.getByLabel('XMPP address (JID)').fill(`${user}@localhost`);
    await p.getByLabel('Password').fill(user);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.locator('table.figures').waitFor({ timeout: 10_000 });
  }

  /** A widget-protocol customer (session, then join with the form) asks at `desk`; resolves to its ticket. */
  let tokens = 0;
  async function ask(desk: string, question: string): Promise<{ c: TestClient; ticket: number }> {
    const c = await stack.customer();
    const token = `reports-console-${++tokens}-0123456789abcdef`;
    expect((await c.iq(desk, 'set', xml('session', { xmlns: NS_DESK, token }))).attrs.type).toBe('result');
    const joined = await c.iq(desk, 'set', xml('join', { xmlns: NS_DESK }, joinForm({ name: `Customer ${tokens}`, question })));
    return { c, ticket: Number(joined.getChild('status', NS_DESK)?.attrs.ticket) };
  }
  const end = (c: TestClient, desk: string) => c.iq(desk, 'set', xml('end', { xmlns: NS_DESK }));
  const rate = (c: TestClient, desk: string, ticket: number, score: number, comment: string) =>
    c.iq(desk, 'set', xml('rate', { xmlns: NS_DESK, ticket: String(ticket), score: String(score) }, comment));

  let rated = 0;
  beforeAll(async () => {
    buildWidget();
    [stack, browser] = await Promise.all([startStack({ operators: OPERATORS }), launchChromium()]);
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });

    // Support: Bob serves and answers one chat (rated 5 with a comment), and misses another.
    const bob = await stack.operator('bob');
    await bob.subscribeTo(SUPPORT);
    const one = await ask(SUPPORT, 'My kettle leaks');
    const intro1 = await bob.next((el) => isMaskedMessage(el) && isIntro(el), 'intro 1');
    await bob.say(String(intro1.attrs.from), 'Sorry to hear that, a new one is on its way');
    await one.c.message(`${SUPPORT}/Bob`, 'a new one is on its way');
    const two = await ask(SUPPORT, 'Hello?');
    await bob.next((el) => isMaskedMessage(el) && isIntro(el), 'intro 2');
    expect((await end(one.c, SUPPORT)).attrs.type).toBe('result');
    expect((await rate(one.c, SUPPORT, one.ticket, 5, 'Great help')).attrs.type).toBe('result');
    rated = one.ticket;
    expect((await end(two.c, SUPPORT)).attrs.type).toBe('result'); // unanswered: missed
    // Sales: Dan (one chat at a time) serves one (rated 3), a second customer gives up waiting.
    const dan = await stack.operator('dan');
    await dan.subscribeTo(SALES);
    const three = await ask(SALES, 'Do you sell green tea?');
    const intro3 = await dan.next((el) => isMaskedMessage(el) && isIntro(el), 'intro 3');
    await dan.say(String(intro3.attrs.from), 'Yes, sencha and matcha');
    await three.c.message(`${SALES}/Dan`, 'sencha');
    const four = await ask(SALES, 'Anyone there?'); // waits: Dan is full
    await new Promise((r) => setTimeout(r, 300));
    expect((await end(four.c, SALES)).attrs.type).toBe('result'); // abandoned
    expect((await end(three.c, SALES)).attrs.type).toBe('result');
    expect((await rate(three.c, SALES, three.ticket, 3, 'OK')).attrs.type).toBe('result');
    // The widget's button was shown and opened at Support (its beacon).
    const beacon = await fetch(`${stack.httpUrl}/api/widget/impressions`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ desk: 'support', shown: { open: 3, busy: 1, closed: 0 }, opened: 2 }),
    });
    expect(beacon.status).toBe(204);
    for (const c of [one.c, two.c, three.c, four.c, bob, dan]) await c.stop();
    // Bob and Dan are offline: their time online stops growing, so every figure holds still.
    for (let i = 0; i < 50; i++) {
      const desks = ((await (await fetch(`${stack.httpUrl}/api/status`)).json()) as { desks: { operatorsOnline: number }[] }).desks;
      if (desks.every((d) => d.operatorsOnline === 0)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    // The rollups have every fact once the last rating is in.
    for (let i = 0; i < 50; i++) {
      const { totals } = await api('');
      if (totals.ratings === 2 && totals.ended === 3) break;
      await new Promise((r) => setTimeout(r, 100));
    }
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('an admin sees the charts drawn and a table equal to /api/reports, for each filter; CSV downloads are the API’s', async () => {
    await signIn(page, 'alice');
    const all = await api('');
    expect(all.totals).toMatchObject({ requested: 4, served: 3, abandoned: 1, missed: 1, ratings: 2, ratingAvg: 4, shown: 4, opened: 2 });
    await tableIs(page, '&by=day');
    // Both uPlot canvases are drawn (pixels painted, not an empty canvas).
    const painted = await page.$$eval('.chart canvas', (cs) =>
      cs.map((el) => {
        const c = el as unknown as {
          width: number;
          height: number;
          getContext(k: '2d'): { getImageData(...a: number[]): { data: Uint8ClampedArray } } | null;
        };
        const d = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data ?? new Uint8ClampedArray();
        let n = 0;
        for (let i = 3; i < d.length; i += 4) if (d[i]) n++;
        return n;
      }),
    );
    expect(painted).toHaveLength(2);
    for (const n of painted) expect(n).toBeGreaterThan(500);
    // The other views: busiest hours add up to the requests; ratings and comments with their ticket; impressions by state.
    const hot = await page.$$eval('table.busiest td[data-value]', (tds) =>
      tds.reduce((s, td) => s + Number(td.getAttribute('data-value')), 0),
    );
    expect(hot).toBe(4);
    expect(await page.locator('.report-ratings tr[data-score="5"] td').innerText()).toBe('1');
    expect(await page.locator('.report-ratings tr[data-score="3"] td').innerText()).toBe('1');
    expect(await page.locator(`.report-ratings tr[data-ticket="${rated}"]`).innerText()).toMatch(
      new RegExp(`#${rated}\\s+5\\s+Great help`),
    );
    const impression = (k: string) => page.locator(`.report-impressions td[data-key="${k}"]`).innerText();
    expect([await impression('shown'), await impression('shownOpen'), await impression('shownBusy'), await impression('opened')]).toEqual([
      '4',
      '3',
      '1',
      '2',
    ]);
    // Operators' time online and available against their chats: each the API's figure for that operator.
    const opRows = await page
      .locator('table.op-time tr[data-operator]')
      .evaluateAll((trs) =>
        trs.map((tr) => [tr.getAttribute('data-operator'), ...[...tr.querySelectorAll('td')].map((td) => td.getAttribute('data-value'))]),
      );
    expect(opRows.map((r) => r[0]).sort()).toEqual(['alice@localhost', 'bob@localhost', 'carol@localhost', 'dan@localhost']);
    for (const [jid, ...values] of opRows) {
      const { totals: f } = await api(`&operator=${jid}`);
      expect(values, String(jid)).toEqual([f.onlineMs, f.availableMs, f.served, f.servedPerOnlineHour].map((v) => String(v ?? '')));
    }
    expect(Number(opRows.find((r) => r[0] === 'bob@localhost')?.[1])).toBeGreaterThan(0);
    if (process.env.UPDATE_SCREENSHOTS) await page.screenshot({ path: join(screenshotDir(stack), 'admin-reports.png'), fullPage: true });

    // Filters: a desk, then by hour of day, then one operator; each time the table is the API's.
    await page.getByLabel('Desk', { exact: true }).selectOption('sales');
    await tableIs(page, '&desk=sales&by=day');
    expect(await page.locator('tfoot td[data-key="requested"]').innerText()).toBe('2');
    // From the keyboard: Tab from the desk filter past the operator filter to "Rows", then the arrow key.
    await page.getByLabel('Desk', { exact: true }).focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.labels[0].textContent')).toBe('Rows');
    await page.keyboard.press('ArrowDown');
    await tableIs(page, '&desk=sales&by=hour');
    expect(await page.locator('table.figures tbody tr').count()).toBe(24);
    await page.getByLabel('Desk', { exact: true }).selectOption('');
    await page.getByLabel('Operator', { exact: true }).selectOption('bob@localhost');
    await tableIs(page, '&operator=bob@localhost&by=hour');

    // CSV, one row per period, from the keyboard: the file is the API's CSV of the same filter.
    await page.getByRole('button', { name: 'CSV, one row per period' }).focus();
    const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    const file = readFileSync((await download.path()) as string, 'utf8');
    const csv = await (
      await fetch(`${stack.httpUrl}/api/reports.csv?from=${weekAgo}&to=${today}&operator=bob@localhost&by=hour`, {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      })
    ).text();
    expect(file).toBe(csv);
    expect(file.split('\r\n')).toHaveLength(26);

    // 日本語: the chart's series and the table's headings.
    await page.getByRole('button', { name: '日本語' }).click();
    await expect.poll(() => page.locator('.chart .u-legend').first().innerText()).toContain('依頼');
    expect(await page.locator('table.figures thead').innerText()).toContain('初回応答 p50');
    await page.getByRole('button', { name: 'English' }).click();
    // 768 px: nothing wider than the window (wide tables scroll in their own box).
    await page.setViewportSize({ width: 768, height: 900 });
    await page.waitForTimeout(200);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(768);
  }, 60_000);

  it("an operator's console shows only the Reports page with their own figures", async () => {
    const p = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(p, 'bob');
    expect(await p.locator('header nav a').allInnerTexts()).toEqual(['Reports']);
    expect(await p.locator('.note', { hasText: 'Your own figures.' }).count()).toBe(1);
    expect(await p.getByLabel('Desk', { exact: true }).count()).toBe(0);
    await tableIs(p, '&operator=bob@localhost&by=day');
    const mine = await api('&operator=bob@localhost');
    expect(mine.totals).toMatchObject({ served: 2, missed: 1, ratings: 1, ratingAvg: 5 });
    expect(
      await p.locator('table.op-time tr[data-operator]').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-operator'))),
    ).toEqual(['bob@localhost']);
    await p.close();
  });

  it('a supervisor sees only their desks and those desks’ operators', async () => {
    const p = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(p, 'carol');
    await tableIs(p, '&desk=sales&by=day');
    expect(await p.locator('.scope').innerText()).toBe('sales');
    const options = (label: string) =>
      p
        .getByLabel(label)
        .locator('option')
        .evaluateAll((os) => os.map((o) => o.getAttribute('value') ?? ''));
    expect(await options('Desk')).toEqual(['', 'sales']);
    expect((await options('Operator')).sort()).toEqual(['', 'alice@localhost', 'carol@localhost', 'dan@localhost']);
    expect(await p.locator('table.op-time tr[data-operator="bob@localhost"]').count()).toBe(0);
    await p.getByLabel('Operator', { exact: true }).selectOption('dan@localhost');
    await tableIs(p, '&operator=dan@localhost&by=day');
    await p.close();
  });
});

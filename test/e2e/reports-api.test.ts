/**
 * The report API on the real stack (Prosody, Redis, the component's portal): a customer joins and
 * is served, then /api/reports (JSON), /api/reports.csv and /api/openapi.json as a tool sees them,
 * and the refusals (no token, bad query, unknown desk). docs/reports.md defines the figures.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startStack, SUPPORT, type Stack } from '../support/stack.js';
import { isIntro, type TestClient } from '../support/clients.js';

const run = promisify(execFile);

describe('the report API', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => stack?.stop());

  const get = (path: string, token: string | null = ADMIN_TOKEN) =>
    fetch(`${stack.httpUrl}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  let alice: TestClient;
  it('serves the figures of the day as JSON and CSV to an admin token, described by OpenAPI', async () => {
    alice = await stack.operator('alice');
    await alice.subscribeTo(SUPPORT);
    const c = await stack.customer();
    await c.say(SUPPORT, 'Where is my parcel?');
    await alice.next(isIntro, 'the intro');
    const today = new Date().toISOString().slice(0, 10); // the stack's desks use UTC
    let body: { totals: Record<string, number>; rows: unknown[]; desks: string[] } | undefined;
    for (let i = 0; i < 20; i++) {
      const res = await get(`/api/reports?from=${today}&to=${today}&desk=support`);
      expect(res.status).toBe(200);
      body = (await res.json()) as typeof body;
      if (body?.totals.served === 1) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(body?.desks).toEqual(['support']);
    expect(body?.totals).toMatchObject({ requested: 1, served: 1, abandoned: 0, offline: 0, stillWaiting: 0 });
    expect(body?.rows).toHaveLength(1);

    const csv = await get(`/api/reports.csv?from=${today}&desk=support&by=hour`);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await csv.text()).split('\r\n');
    expect(lines[0]).toMatch(/^period,requested,served,/);
    expect(lines).toHaveLength(26); // header, 24 hours, the final CRLF
    const hours = lines.filter((l) => /^\d\d:00,[1-9]/.test(l));
    expect(hours).toHaveLength(1); // the join's hour (UTC), whichever it was
    expect(hours[0]).toMatch(/^\d\d:00,1,1,0,0,0,/);

    const chats = (await (await get(`/api/reports/chats.csv?from=${today}&desk=support`)).text()).split('\r\n');
    expect(chats[0]).toBe(
      'ticket,desk,day,requestedAt,outcome,operator,waitMs,firstResponseMs,handleMs,missed,transfers,rating,comment,offlineReplyMs',
    );
    expect(chats.slice(1)).toEqual([
      expect.stringMatching(new RegExp(`^\\d+,support,${today},${today}T[\\d:.]+Z,served,alice@localhost,\\d+,`)),
      '',
    ]);

    const spec = (await (await get('/api/openapi.json', null)).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(spec.openapi).toBe('3.1.0');
    expect(Object.keys(spec.paths)).toEqual(['/api/reports', '/api/reports/chats.csv', '/api/reports.csv', '/api/widget/impressions']);
    await c.stop();
  });

  it("counts the widget's impression beacons (text/plain, no cookies) and Alice's time online", async () => {
    const today = new Date().toISOString().slice(0, 10);
    const beacon = (body: string) =>
      fetch(`${stack.httpUrl}/api/widget/impressions`, { method: 'POST', headers: { 'content-type': 'text/plain;charset=UTF-8' }, body });
    const ok = await beacon(JSON.stringify({ desk: 'support', shown: { open: 2, busy: 0, closed: 1 }, opened: 1 }));
    expect(ok.status).toBe(204);
    expect(ok.headers.get('set-cookie')).toBeNull();
    expect((await beacon('{"desk":"support","shown":{"busy":1}}')).status).toBe(204);
    const refusals = [
      ['{"desk":"support","shown":{"away":1}}', 400, /^shown\.away: unknown state/],
      ['{"desk":"support","opened":-1}', 400, /^opened: a whole number/],
      ['{"desk":"nowhere","opened":1}', 400, /^desk: no desk nowhere/],
      ['not json', 400, /^body: JSON expected/],
      [JSON.stringify({ desk: 'support', pad: 'x'.repeat(2000) }), 413, /^body: at most 1024 bytes/],
    ] as const;
    for (const [body, status, error] of refusals) {
      const res = await beacon(body);
      expect(res.status, body.slice(0, 40)).toBe(status);
      expect(((await res.json()) as { error: string }).error).toMatch(error);
    }
    const r = (await (await get(`/api/reports?from=${today}&desk=support`)).json()) as { totals: Record<string, number> };
    expect(r.totals).toMatchObject({
      shown: 4,
      shownOpen: 2,
      shownBusy: 1,
      shownClosed: 1,
      opened: 1,
      openedRate: 0.25,
      requestedPerShown: 0.25,
    });
    // Alice has been available since she subscribed: her time so far, and the desk's.
    expect(r.totals.onlineMs).toBeGreaterThan(0);
    const mine = (await (await get(`/api/reports?from=${today}&operator=alice@localhost`)).json()) as { totals: Record<string, number> };
    expect(mine.totals.availableMs).toBeGreaterThan(0);
    expect(mine.totals.shown).toBe(0);
  });

  it('npm run reports -- rebuild recounts the same figures from the evidence log', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const read = async () => {
      const r = (await (await get(`/api/reports?from=${today}&desk=support`)).json()) as { totals: Record<string, unknown> };
      return r.totals;
    };
    // Alice goes offline: her time online is counted (a status still held grows until read).
    await alice.stop();
    const operatorsOnline = async () =>
      ((await (await get('/api/status')).json()) as { desks: { desk: string; operatorsOnline: number }[] }).desks.find(
        (d) => d.desk === 'support',
      )?.operatorsOnline;
    for (let i = 0; i < 50 && (await operatorsOnline()) !== 0; i++) await new Promise((r) => setTimeout(r, 100));
    // The first test's customer left: wait until the live rollups have the chat's end and Alice's time.
    let live = await read();
    for (let i = 0; i < 50 && (live.ended !== 1 || !live.onlineMs || live.onlineMs !== (await read()).onlineMs); i++) {
      await new Promise((r) => setTimeout(r, 100));
      live = await read();
    }
    expect(await operatorsOnline()).toBe(0);
    const { stdout } = await run(process.execPath, [join('node_modules', 'tsx', 'dist', 'cli.mjs'), 'scripts/reports.ts', 'rebuild'], {
      env: { ...process.env, MADOGUCHI_CONFIG: join(stack.dir, 'config.yaml') },
    });
    expect(stdout).toMatch(/^rebuilt the report rollups from \d+ evidence records \(\d+ facts\)/);
    const rebuilt = await read();
    // Counts are exact; timings come from the records' times, a few ms after the transitions'.
    for (const [k, v] of Object.entries(live)) {
      if (typeof v === 'number' && /Ms$/.test(k)) expect(Math.abs((rebuilt[k] as number) - v), k).toBeLessThan(250);
      else expect(rebuilt[k], k).toEqual(v);
    }
    expect(live).toMatchObject({ requested: 1, served: 1, ended: 1, missed: 1, shown: 4 }); // impressions are kept
    expect(rebuilt.onlineMs).toBe(live.onlineMs); // the presence records carry the times: exact
  });

  it('refuses without a valid token, and answers a bad query with 400', async () => {
    expect((await get('/api/reports?from=2026-01-01', null)).status).toBe(401);
    expect((await get('/api/reports.csv?from=2026-01-01', 'not-the-admin-token-at-all')).status).toBe(401);
    expect((await get('/api/reports/chats.csv?from=2026-01-01', null)).status).toBe(401);
    expect((await get('/api/reports?from=yesterday')).status).toBe(400);
    expect((await get('/api/reports?from=2026-01-02&to=2026-01-01')).status).toBe(400);
    expect((await get('/api/reports?from=2026-01-01&desk=nowhere')).status).toBe(400);
    expect((await get('/api/reports?from=2026-01-01&by=week')).status).toBe(400);
  });
});

/**
 * The console's JSON API (http/admin-routes.ts) over real HTTP, with the desk's real console
 * sessions (Redis) and live view, and a small in-memory AdminService (test/support/memory-admin.ts)
 * until the real one is wired: bearer only (401 without or with an unknown token), 403 for
 * operators and for a supervisor's write, 409 on a stale revision, 400 naming the field, a
 * forged cross-site POST refused, and /api/reports scoped by the session's role.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { createAdminRoutes } from '../../component/http/admin-routes.js';
import { createReportRoutes } from '../../component/http/report-routes.js';
import { createMemoryAdmin } from '../support/memory-admin.js';
import { useDesk } from './desk-harness.js';

const desks = useDesk();
const OPERATORS = {
  operators: [
    { jid: 'alice@localhost', name: 'Alice', desks: ['support', 'sales'], maxChats: 2, role: 'admin' },
    { jid: 'bob@localhost', name: 'Bob', desks: ['support'], maxChats: 2, role: 'supervisor' },
    { jid: 'carol@localhost', name: 'Carol', desks: ['sales'], maxChats: 2, role: 'operator' },
  ],
};
const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

async function portal() {
  const d = desks.open(OPERATORS);
  const admin = createMemoryAdmin({
    'alice@localhost': { role: 'admin', desks: ['support', 'sales'] },
    'bob@localhost': { role: 'supervisor', desks: ['support'] },
    'carol@localhost': { role: 'operator', desks: ['sales'] },
  });
  const app = express();
  app.use(createAdminRoutes({ admin, liveView: d.desk.liveView, sessions: d.desk.consoleSessions }));
  app.use(
    createReportRoutes({
      adminTokens: [],
      report: (q, viewer) => d.desk.reports.report(viewer, q),
      chats: (q, viewer) => d.desk.reports.chats(viewer, q),
      sessionViewer: async (token) => {
        const actor = await d.desk.consoleSessions.actorOf(token);
        return actor && d.desk.viewerOf(actor.jid);
      },
    }),
  );
  const server = app.listen(0, '127.0.0.1');
  servers.push(server);
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const tokenOf = async (jid: string) => (await d.desk.consoleSessions.open({ jid })).token;
  const call = (path: string, token?: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) =>
    fetch(`${base}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
        ...(init.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...init.headers,
      },
      body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
    });
  return { base, admin, tokenOf, call, d };
}

const desk = (name: string) => ({ id: 'billing', name, texts: {}, timeZone: 'UTC', slaSeconds: 60 });

describe('admin API: authentication and roles', () => {
  it('401 without a token, with an unknown one and after logout; the admin token of /api/transcripts is no console session', async () => {
    const p = await portal();
    const none = await p.call('/api/admin/live');
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await p.call('/api/admin/live', 'A'.repeat(43))).status).toBe(401);
    expect((await p.call('/api/admin/live', undefined, { headers: { Cookie: 'session=x' } })).status).toBe(401);
    const token = await p.tokenOf('alice@localhost');
    expect((await p.call('/api/admin/me', token)).status).toBe(200);
    expect((await p.call('/api/admin/session', token, { method: 'DELETE', body: {} })).status).toBe(200);
    expect((await p.call('/api/admin/me', token)).status).toBe(401);
  });

  it('an operator gets 403 everywhere; an admin and a supervisor are told who they are', async () => {
    const p = await portal();
    const carol = await p.tokenOf('carol@localhost');
    for (const path of ['/api/admin/me', '/api/admin/live', '/api/admin/org/desk', '/api/admin/bans', '/api/admin/audit'])
      expect((await p.call(path, carol)).status, path).toBe(403);
    expect((await p.call('/api/admin/org/desk/billing', carol, { method: 'PUT', body: { rev: 0, value: desk('Billing') } })).status).toBe(
      403,
    );
    expect(p.admin.entities.size).toBe(0);
    expect(await (await p.call('/api/admin/me', await p.tokenOf('alice@localhost'))).json()).toEqual({
      jid: 'alice@localhost',
      role: 'admin',
    });
    expect(await (await p.call('/api/admin/me', await p.tokenOf('bob@localhost'))).json()).toEqual({
      jid: 'bob@localhost',
      role: 'supervisor',
    });
  });

  it('a supervisor reads their desks and cannot edit (403, nothing saved)', async () => {
    const p = await portal();
    const alice = await p.tokenOf('alice@localhost');
    const bob = await p.tokenOf('bob@localhost');
    await p.call('/api/admin/org/desk/support', alice, { method: 'PUT', body: { rev: 0, value: { ...desk('Support'), id: 'support' } } });
    await p.call('/api/admin/org/desk/sales', alice, { method: 'PUT', body: { rev: 0, value: { ...desk('Sales'), id: 'sales' } } });
    const seen = (await (await p.call('/api/admin/org/desk', bob)).json()) as { items: { id: string }[] };
    expect(seen.items.map((e) => e.id)).toEqual(['support']);
    const live = (await (await p.call('/api/admin/live', bob)).json()) as { desks: { desk: string }[] };
    expect(live.desks.map((x) => x.desk)).toEqual(['support']);
    const write = await p.call('/api/admin/org/desk/support', bob, {
      method: 'PUT',
      body: { rev: 1, value: { ...desk('Hacked'), id: 'support' } },
    });
    expect(write.status).toBe(403);
    expect((p.admin.entities.get('desk/support')?.value as { name: string } | undefined)?.name).toBe('Support');
  });
});

describe('admin API: the closed-now switch (issue 17)', () => {
  it("as `!closed`: the desk's supervisor or an admin switches it (seen in /api/admin/live); another desk 403, an operator 403, a bad body 400", async () => {
    const p = await portal();
    const [alice, bob, carol] = [await p.tokenOf('alice@localhost'), await p.tokenOf('bob@localhost'), await p.tokenOf('carol@localhost')];
    const live = async (token: string) =>
      ((await (await p.call('/api/admin/live', token)).json()) as { desks: { desk: string; closedNow: boolean }[] }).desks;
    const put = (desk: string, token: string | undefined, body: unknown) =>
      p.call(`/api/admin/live/${desk}/closed`, token, { method: 'PUT', body });
    expect((await live(bob)).find((d) => d.desk === 'support')?.closedNow).toBe(false);
    const on = await put('support', bob, { closed: true });
    expect(on.status).toBe(200);
    expect(((await on.json()) as { text: string }).text).toMatch(/closed now/);
    expect((await live(alice)).find((d) => d.desk === 'support')?.closedNow).toBe(true);
    expect((await put('sales', bob, { closed: true })).status).toBe(403); // not his desk
    expect((await put('sales', carol, { closed: true })).status).toBe(403); // an operator
    expect((await put('sales', alice, { closed: 'yes' })).status).toBe(400);
    expect((await put('nowhere', alice, { closed: true })).status).toBe(404);
    expect((await live(alice)).find((d) => d.desk === 'sales')?.closedNow).toBe(false);
    expect((await put('support', alice, { closed: false })).status).toBe(200);
    expect((await live(bob)).find((d) => d.desk === 'support')?.closedNow).toBe(false);
  });
});

describe('admin API: writes', () => {
  it('creates with rev 0, refuses a stale rev with 409 and a bad value with 400 naming the field; nothing half-saved', async () => {
    const p = await portal();
    const alice = await p.tokenOf('alice@localhost');
    const created = await p.call('/api/admin/org/desk/billing', alice, { method: 'PUT', body: { rev: 0, value: desk('Billing') } });
    expect(created.status).toBe(200);
    const { rev } = (await created.json()) as { rev: number };
    const again = await p.call('/api/admin/org/desk/billing', alice, { method: 'PUT', body: { rev: 0, value: desk('Other') } });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: string }).error).toMatch(/changed by someone else/);
    const bad = await p.call('/api/admin/org/desk/billing', alice, { method: 'PUT', body: { rev, value: desk(' ') } });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ field: 'name', error: 'desk/billing: name: required' });
    const noRev = await p.call('/api/admin/org/desk/billing', alice, { method: 'PUT', body: { value: desk('X') } });
    expect(noRev.status).toBe(400);
    expect(await noRev.json()).toMatchObject({ field: 'rev' });
    expect((await p.call('/api/admin/org/nonsense/x', alice)).status).toBe(404);
    expect((p.admin.entities.get('desk/billing')?.value as { name: string } | undefined)?.name).toBe('Billing');
    const ok = await p.call('/api/admin/org/desk/billing', alice, { method: 'PUT', body: { rev, value: desk('Billing & refunds') } });
    expect(ok.status).toBe(200);
    const audit = (await (await p.call('/api/admin/audit?limit=5', alice)).json()) as { items: { action: string; by: string }[] };
    expect(audit.items.map((e) => `${e.action} by ${e.by}`)).toEqual(['update by alice@localhost', 'create by alice@localhost']);
  });

  it('refuses a forged cross-site POST, a write without JSON, and an unparsable body', async () => {
    const p = await portal();
    const alice = await p.tokenOf('alice@localhost');
    // What a hostile page's form can send: no bearer (browsers add none), text/plain, its own Origin.
    const forged = await p.call('/api/admin/unban', undefined, {
      method: 'POST',
      body: 'customerKey=tok:x',
      headers: { 'Content-Type': 'text/plain', Origin: 'https://evil.example' },
    });
    expect(forged.status).toBe(401);
    // Even with a stolen token, another origin is refused, and so is a non-JSON write.
    p.admin.bansList.push({ ticket: 3, customerKey: 'tok:x', by: 'alice@localhost', at: new Date().toISOString() });
    const crossSite = await p.call('/api/admin/unban', alice, {
      method: 'POST',
      body: { customerKey: 'tok:x' },
      headers: { Origin: 'https://evil.example' },
    });
    expect(crossSite.status).toBe(403);
    const plain = await p.call('/api/admin/unban', alice, {
      method: 'POST',
      body: 'customerKey=tok:x',
      headers: { 'Content-Type': 'text/plain' },
    });
    expect(plain.status).toBe(415);
    const broken = await p.call('/api/admin/unban', alice, {
      method: 'POST',
      body: '{"customerKey":',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(broken.status).toBe(400);
    expect(p.admin.bansList).toHaveLength(1);
    const sameSite = await p.call('/api/admin/unban', alice, {
      method: 'POST',
      body: { customerKey: 'tok:x' },
      headers: { Origin: p.base },
    });
    expect(sameSite.status).toBe(200);
    expect(p.admin.bansList).toHaveLength(0);
  });
});

describe('/api/reports with a console session', () => {
  it('admins see all, supervisors their desks, operators themselves (403 beyond), no token 401', async () => {
    const p = await portal();
    const q = '/api/reports?from=2026-12-01&to=2026-12-01';
    expect((await p.call(q)).status).toBe(401);
    const all = (await (await p.call(q, await p.tokenOf('alice@localhost'))).json()) as { desks: string[]; operator: string | null };
    expect(all.desks).toEqual(['support', 'sales']);
    const bob = await p.tokenOf('bob@localhost');
    expect(((await (await p.call(q, bob)).json()) as { desks: string[] }).desks).toEqual(['support']);
    expect((await p.call(`${q}&desk=sales`, bob)).status).toBe(403);
    const carol = await p.tokenOf('carol@localhost');
    expect(await (await p.call(q, carol)).json()).toMatchObject({ desks: ['sales'], operator: 'carol@localhost' });
    expect((await p.call(`${q}&operator=bob@localhost`, carol)).status).toBe(403);
  });
});

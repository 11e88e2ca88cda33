/**
 * The console's login over XMPP (issue 16), in-process: the XEP-0050 command `console-session` at
 * the component's domain JID gives any configured operator a bearer token (result form fields
 * `token`, `expires`), refuses a stranger with `forbidden`, is listed at the domain and not at a
 * desk; the token names its JID until it expires or is closed. The live view is role-scoped.
 */
import { describe, expect, it } from 'vitest';
import { NS_COMMANDS, NS_DATA, NS_DISCO_ITEMS } from '../../component/protocol/namespaces.js';
import { xml, type Element } from '../../component/protocol/xml.js';
import { createConsoleSessions } from '../../component/services/admin/console-sessions.js';
import { ALICE, DOMAIN, SUPPORT, message, presence, useDesk } from './desk-harness.js';

const desks = useDesk();
const BOB = 'bob@localhost/laptop';
const MALLORY = 'mallory@localhost/x';
const roles = {
  operators: [
    { jid: 'alice@localhost', name: 'Alice', desks: ['support', 'sales'], maxChats: 2, role: 'admin' },
    { jid: 'bob@localhost', name: 'Bob', desks: ['support'], maxChats: 2, role: 'supervisor' },
    { jid: 'carol@localhost', name: 'Carol', desks: ['sales'], maxChats: 2, role: 'operator' },
  ],
};

const execute = (from: string, to = DOMAIN, id = 'c1') =>
  xml('iq', { type: 'set', from, to, id }, xml('command', { xmlns: NS_COMMANDS, node: 'console-session', action: 'execute' }));
const isReply = (id: string) => (el: Element) => el.name === 'iq' && el.attrs.id === id;
const fieldsOf = (iq: Element) =>
  Object.fromEntries(
    (iq.getChild('command', NS_COMMANDS)?.getChild('x', NS_DATA)?.getChildren('field') ?? []).map((f) => [
      f.attrs.var,
      f.getChildText('value'),
    ]),
  );

describe('console-session (XEP-0050 at the component domain)', () => {
  it('gives an operator a token and its expiry in a result form; the token names the operator', async () => {
    const d = desks.open(roles, { now: () => Date.parse('2026-12-07T10:00:00Z') });
    d.receive(execute(BOB, DOMAIN, 's1'));
    const iq = await d.next(isReply('s1'), 'the command result');
    expect(iq.attrs.type).toBe('result');
    expect(iq.getChild('command', NS_COMMANDS)?.attrs.status).toBe('completed');
    expect(iq.getChild('command', NS_COMMANDS)?.getChild('x', NS_DATA)?.attrs.type).toBe('result');
    const f = fieldsOf(iq);
    expect(f.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(f.expires).toBe('2026-12-07T10:30:00.000Z');
    expect(f.role).toBe('supervisor');
    expect(await d.desk.consoleSessions.actorOf(String(f.token))).toEqual({ jid: 'bob@localhost' });
    expect(await d.desk.consoleSessions.actorOf(`${String(f.token).slice(0, 42)}x`)).toBeUndefined();
    // Only the hash is kept: the token itself is nowhere in Redis.
    const keys = await d.store.redis.keys(`${d.store.keys.prefix}console:*`);
    expect(keys).toHaveLength(1);
    expect(keys[0]).not.toContain(String(f.token));
    expect(await d.store.redis.get(keys[0] as string)).toBe('bob@localhost');
  });

  it('refuses someone who is not an operator with forbidden, and is not run at a desk', async () => {
    const d = desks.open(roles);
    d.receive(execute(MALLORY, DOMAIN, 'm1'));
    const refused = await d.next(isReply('m1'), 'the refusal');
    expect(refused.attrs.type).toBe('error');
    expect(refused.getChild('error')?.getChild('forbidden')).toBeDefined();
    d.receive(execute(ALICE, SUPPORT, 'a1'));
    const atDesk = await d.next(isReply('a1'), 'the refusal at a desk');
    expect(atDesk.attrs.type).toBe('error');
    expect(atDesk.getChild('error')?.getChild('bad-request')).toBeDefined();
    expect(await d.store.redis.keys(`${d.store.keys.prefix}console:*`)).toHaveLength(0);
  });

  it('is listed at the domain JID for operators (only there), and not for strangers', async () => {
    const d = desks.open(roles);
    const items = (from: string, to: string, id: string) =>
      xml('iq', { type: 'get', from, to, id }, xml('query', { xmlns: NS_DISCO_ITEMS, node: NS_COMMANDS }));
    const nodes = async (id: string) =>
      (await d.next(isReply(id), id))
        .getChild('query', NS_DISCO_ITEMS)
        ?.getChildren('item')
        .map((i) => i.attrs.node);
    d.receive(items('carol@localhost/x', DOMAIN, 'i1'));
    expect(await nodes('i1')).toEqual(['console-session']);
    d.receive(items(MALLORY, DOMAIN, 'i2'));
    expect(await nodes('i2')).toEqual([]);
    d.receive(items(ALICE, SUPPORT, 'i3'));
    expect(await nodes('i3')).not.toContain('console-session');
  });

  it('ends a session at its expiry (Redis TTL) and when closed', async () => {
    const d = desks.open(roles);
    const short = createConsoleSessions({ store: d.store.consoleSessions, roleOf: () => 'admin', now: Date.now, ttlSeconds: 1 });
    const s = await short.open({ jid: 'alice@localhost' });
    expect(await short.actorOf(s.token)).toEqual({ jid: 'alice@localhost' });
    await new Promise((r) => setTimeout(r, 1200));
    expect(await short.actorOf(s.token)).toBeUndefined();
    const t = await d.desk.consoleSessions.open({ jid: 'alice@localhost' });
    await d.desk.consoleSessions.close(t.token);
    expect(await d.desk.consoleSessions.actorOf(t.token)).toBeUndefined();
  });
});

describe('live view', () => {
  it('admins see every desk with queue, operators and chats; supervisors their desks; operators nothing', async () => {
    let now = Date.parse('2026-12-07T10:00:00Z');
    const d = desks.open(roles, { now: () => now });
    d.receive(presence('carol@localhost/desk', 'sales@support.localhost'));
    d.receive(message('yuki@example.org/p', 'sales@support.localhost', 'hello sales'));
    await d.next((el) => el.name === 'message' && el.attrs.to === 'carol@localhost', 'the intro to Carol');
    now += 5000;
    d.receive(message('ken@example.org/p', SUPPORT, 'hello support'));
    await d.next((el) => el.name === 'message' && el.attrs.to === 'ken@example.org/p', 'the welcome');
    now += 7000;
    const all = await d.desk.liveView.live({ jid: 'alice@localhost' });
    expect(all.map((x) => x.desk)).toEqual(['support', 'sales']);
    const [support, sales] = all;
    expect(support?.waiting).toEqual([{ ticket: 2, waitedSeconds: 7 }]);
    expect(support?.state).toBe('closed');
    expect(sales?.state).toBe('open');
    expect(sales?.operators).toEqual([
      { jid: 'alice@localhost', name: 'Alice', show: 'offline', chats: 0, maxChats: 2 },
      { jid: 'carol@localhost', name: 'Carol', show: 'available', chats: 1, maxChats: 2 },
    ]);
    expect(sales?.chats).toEqual([{ ticket: 1, operator: 'carol@localhost', waitedSeconds: 0, sinceSeconds: 12 }]);
    expect((await d.desk.liveView.live({ jid: 'bob@localhost' })).map((x) => x.desk)).toEqual(['support']);
    await expect(d.desk.liveView.live({ jid: 'carol@localhost' })).rejects.toMatchObject({ code: 'not-an-operator' });
    await expect(d.desk.liveView.live({ jid: 'mallory@localhost' })).rejects.toMatchObject({ code: 'not-an-operator' });
  });
});

describe('console-session for a bootstrap admin', () => {
  it('opens a session for an admin from config bootstrapAdmins who is no operator (a fresh install is never locked out)', async () => {
    const d = desks.open({ ...roles, bootstrapAdmins: ['root@localhost'] });
    d.receive(execute('root@localhost/laptop', DOMAIN, 'r1'));
    const iq = await d.next(isReply('r1'), 'the command result');
    expect(iq.attrs.type).toBe('result');
    expect(fieldsOf(iq).role).toBe('admin');
    expect((await d.desk.liveView.live({ jid: 'root@localhost' })).map((x) => x.desk)).toEqual(['support', 'sales']);
  });
});

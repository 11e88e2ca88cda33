/**
 * Organisational settings changed through the admin service take effect at once (issue 16):
 * the widget's form and look as the portal serves them, and a desk's own texts (welcome, busy,
 * closed, ended) as its customers read them.
 */
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { xml } from '../../component/protocol/xml.js';
import { createPortalApp } from '../../component/http/app.js';
import { close, listen } from '../../component/http/server.js';
import type { Desk } from '../../component/desk.js';
import { ALICE, bodyOf, CUSTOMER, isTo, message, presence, SUPPORT, useDesk } from './desk-harness.js';

const alice = { jid: 'alice@localhost' };
const ADMIN = { operators: [{ jid: 'alice@localhost', name: 'Alice', desks: ['support', 'sales'], maxChats: 2, role: 'admin' }] };

/** The portal's widget routes over the desk's live directory, as app.ts wires them. */
async function portal(desk: Desk) {
  const app = createPortalApp({
    deskStates: desk.deskStates,
    health: async () => ({ redis: true, xmpp: true }),
    widget: {
      websocketUrl: 'ws://x',
      guestDomain: 'guest.localhost',
      componentDomain: 'support.localhost',
      formOf: desk.directory.form,
      look: desk.directory.widget,
    },
  });
  const server = await listen(app, '127.0.0.1', 0);
  servers.push(server);
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return (path: string) => fetch(`${base}${path}`).then((r) => r.json() as Promise<Record<string, unknown>>);
}
const servers: Awaited<ReturnType<typeof listen>>[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await close(s);
});

describe('live settings', () => {
  const harness = useDesk();

  it('serves a desk its own pre-chat form once set, the others the default; and the new look', async () => {
    const { desk } = harness.open(ADMIN);
    const get = await portal(desk);
    const vars = async (d: string) => ((await get(`/api/widget/form?desk=${d}`)).fields as { var: string }[]).map((f) => f.var);
    expect(await vars('sales')).toEqual(['name', 'email', 'question']);

    const fields = [
      { var: 'name', label: 'Name', type: 'text', required: true },
      { var: 'order', label: 'Order number', labelJa: '注文番号', type: 'text', required: true },
    ];
    await desk.admin.put(alice, 'form', 'sales', fields, 0);
    expect(await vars('sales')).toEqual(['name', 'order']);
    expect(await vars('support')).toEqual(['name', 'email', 'question']);

    const look = await desk.admin.get(alice, 'widget', 'default');
    expect((await get('/api/widget/look')).title).toBe('Chat with us');
    await desk.admin.put(
      alice,
      'widget',
      'default',
      { ...look?.value, title: 'Tea Shop', colors: { primary: '#0f766e', background: '#fff', text: '#000' } },
      look?.rev ?? 0,
    );
    expect(await get('/api/widget/look')).toMatchObject({ title: 'Tea Shop', colors: { primary: '#0f766e' } });
  });

  it("greets with the desk's own welcome text in the customer's language", async () => {
    const d = harness.open(ADMIN);
    const support = await d.desk.admin.get(alice, 'desk', 'support');
    await d.desk.admin.put(
      alice,
      'desk',
      'support',
      { ...support?.value, texts: { welcome: { en: 'Hello from {desk}!', ja: '{desk}へようこそ。' } } },
      support?.rev ?? 0,
    );
    d.receive(xml('message', { from: CUSTOMER, to: SUPPORT, type: 'chat', id: 'j1', 'xml:lang': 'ja' }, xml('body', {}, 'こんにちは')));
    const reply = await d.next(isTo(CUSTOMER), 'the queued reply');
    expect(bodyOf(reply)).toMatch(/^Supportへようこそ。 Your ticket is #1\./);
    d.receive(xml('message', { from: 'kim@example.org/x', to: SUPPORT, type: 'chat', id: 'j2' }, xml('body', {}, 'hi')));
    expect(bodyOf(await d.next(isTo('kim@example.org/x'), 'the queued reply'))).toMatch(/^Hello from Support! Your ticket is #2\./);
  });

  it("a desk's own busy, closed and ended texts, changed while it runs, are what its customers read", async () => {
    const d = harness.open({ operators: [{ jid: 'alice@localhost', name: 'Alice', desks: ['support'], maxChats: 1, role: 'admin' }] });
    const KIM = 'kim@example.org/x';
    const LEE = 'lee@example.org/x';
    d.receive(presence(ALICE, SUPPORT));
    d.receive(message(CUSTOMER, SUPPORT, 'first'));
    const intro = await d.next(isTo('alice@localhost', /New chat — ticket #1/), 'intro #1');
    // The built-in texts until the desk has its own.
    d.receive(message(KIM, SUPPORT, 'second'));
    expect(bodyOf(await d.next(isTo(KIM), 'the busy reply'))).toMatch(/^Welcome to Support\. Your ticket is #2\./);

    const support = await d.desk.admin.get(alice, 'desk', 'support');
    const texts = {
      busy: { en: 'Our tea experts at {desk} are all busy.' },
      closed: { en: '{desk} has gone home for the day.' },
      ended: { en: 'Enjoy your tea!' },
    };
    await d.desk.admin.put(alice, 'desk', 'support', { ...support?.value, texts }, support?.rev ?? 0);
    d.receive(message(LEE, SUPPORT, 'third'));
    expect(bodyOf(await d.next(isTo(LEE), 'the busy reply'))).toMatch(/^Our tea experts at Support are all busy\. Your ticket is #3\./);

    d.receive(message(ALICE, String(intro.attrs.from), '!end'));
    expect(bodyOf(await d.next(isTo(CUSTOMER, /ended the chat/), 'the end'))).toBe('Alice has ended the chat. Enjoy your tea!');

    d.receive(message(ALICE, SUPPORT, '!closed on'));
    await d.next(isTo(ALICE, /closed now/), 'the switch reply');
    d.receive(message('sam@example.org/x', SUPPORT, 'anyone?'));
    expect(bodyOf(await d.next(isTo('sam@example.org/x'), 'the closed reply'))).toBe(
      'Support has gone home for the day. (Closed) Your message is kept as #4; an operator will answer it here.',
    );
  });
});

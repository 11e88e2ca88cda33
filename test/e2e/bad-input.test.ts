/**
 * Bad input end to end: every stanza the desk cannot honour gets the RFC 6120 §8.3 error
 * it deserves (type="error", from/to swapped, same id, <error type> + defined condition),
 * error stanzas are never answered, nothing leaks to customers, nothing crashes.
 * References: https://www.rfc-editor.org/rfc/rfc6120#section-8.3, XEP-0030, XEP-0199.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { xml } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import { startStack, DOMAIN, SALES, SUPPORT, type Stack } from '../support/stack.js';
import type { TestClient } from '../support/clients.js';

const NS_STANZAS = 'urn:ietf:params:xml:ns:xmpp-stanzas';
const NS_INFO = 'http://jabber.org/protocol/disco#info';
const NS_ITEMS = 'http://jabber.org/protocol/disco#items';
const MAX = 50;
const LONG = 'x'.repeat(MAX + 1);
let seq = 0;

/** Sends the stanza under a fresh id and returns the reply carrying that id. */
async function exchange(c: TestClient, stanza: Element): Promise<Element> {
  const id = `bad-${++seq}`;
  stanza.attrs.id = id;
  await c.send(stanza);
  return c.next((el) => el.name === stanza.name && el.attrs.id === id, `reply to ${stanza.name} ${id}`);
}

/** The reply is exactly the RFC 6120 §8.3 error: swapped addresses, one defined condition. */
async function expectError(c: TestClient, stanza: Element, type: string, condition: string): Promise<Element> {
  const reply = await exchange(c, stanza);
  expect(reply.attrs.type).toBe('error');
  expect(reply.attrs.from).toBe(stanza.attrs.to);
  expect(reply.attrs.to).toBe(c.jid);
  const error = reply.getChild('error');
  expect(error?.attrs.type).toBe(type);
  const conditions = (error?.getChildElements() ?? []).filter((e) => e.attrs.xmlns === NS_STANZAS && e.name !== 'text');
  expect(conditions.map((e) => e.name)).toEqual([condition]);
  return reply;
}

const msg = (to: string, body: string, type = 'chat') => xml('message', { to, type }, xml('body', {}, body));
const iq = (to: string, type: string, payload: Element) => xml('iq', { to, type }, payload);
const errorText = (reply: Element) => reply.getChild('error')?.getChildText('text', NS_STANZAS) ?? '';
const withBody = (text: string | RegExp) => (el: Element) =>
  el.name === 'message' && (typeof text === 'string' ? el.getChildText('body') === text : text.test(el.getChildText('body') ?? ''));

describe('bad input gets the right stanza error and nothing crashes', () => {
  let stack: Stack;
  let alice: TestClient;
  let bob: TestClient;
  let mallory: TestClient;
  let c1: TestClient;
  let m1: string; // c1's masked JID, assigned to alice

  beforeAll(async () => {
    stack = await startStack({
      limits: { maxBodyChars: MAX },
      operators: [
        { user: 'alice', name: 'Alice', desks: ['support', 'sales'], maxChats: 5 },
        { user: 'bob', name: 'Bob' },
      ],
    });
    alice = await stack.operator('alice');
    await alice.subscribeTo(SUPPORT);
    bob = await stack.operator('bob'); // never subscribes: offline to the desk, so c1 goes to alice
    mallory = await stack.operator('mallory');
    c1 = await stack.customer();
    await c1.say(SUPPORT, 'hello');
    const intro = await alice.next(withBody(/New chat/), 'intro of c1');
    m1 = intro.attrs.from!;
    await alice.message(m1, 'hello'); // the buffered first message
    await c1.message(`${SUPPORT}/Alice`, 'Alice has joined');
  });
  afterAll(async () => stack?.stop());

  it('unknown desk and unknown masked JID → cancel/item-not-found', async () => {
    await expectError(c1, msg(`nobody@${DOMAIN}`, 'hi'), 'cancel', 'item-not-found');
    await expectError(alice, msg(`t999-zzzz@${DOMAIN}`, 'hi'), 'cancel', 'item-not-found');
  });

  it('someone else writing to a masked JID → auth/forbidden, and the customer gets nothing', async () => {
    await expectError(mallory, msg(m1, 'mallory intrudes'), 'auth', 'forbidden');
    await expectError(bob, msg(m1, 'bob intrudes'), 'auth', 'forbidden');
    await c1.none(withBody(/intrudes/), 'message from a non-assigned sender', 800);
  });

  it('subscriptions: a non-operator is refused, an operator is approved', async () => {
    await mallory.send(xml('presence', { to: SUPPORT, type: 'subscribe' }));
    await mallory.next((el) => el.name === 'presence' && el.attrs.from === SUPPORT && el.attrs.type === 'unsubscribed', 'unsubscribed');
    await mallory.none(
      (el) => el.name === 'presence' && el.attrs.from === SUPPORT && el.attrs.type !== 'unsubscribed',
      'desk presence to mallory',
      800,
    );
    // alice subscribed in beforeAll: the approval is still in her inbox; subscribing again still gives the desk's presence.
    const fromDesk = (el: Element) => el.name === 'presence' && el.attrs.from === SUPPORT;
    await alice.next((el) => fromDesk(el) && el.attrs.type === 'subscribed', 'subscribed');
    alice.inbox.splice(0, alice.inbox.length, ...alice.inbox.filter((el) => !fromDesk(el))); // no stale desk presence
    await alice.subscribeTo(SUPPORT);
  });

  it('unhandled IQs → cancel/service-unavailable; IQ to an unknown JID → cancel/item-not-found', async () => {
    const version = () => xml('query', { xmlns: 'jabber:iq:version' });
    const custom = () => xml('x', { xmlns: 'urn:example:x' });
    await expectError(alice, iq(SUPPORT, 'get', version()), 'cancel', 'service-unavailable');
    await expectError(alice, iq(SUPPORT, 'set', custom()), 'cancel', 'service-unavailable');
    await expectError(alice, iq(DOMAIN, 'get', version()), 'cancel', 'service-unavailable');
    await expectError(c1, iq(DOMAIN, 'set', custom()), 'cancel', 'service-unavailable');
    await expectError(alice, iq(`nobody@${DOMAIN}`, 'get', version()), 'cancel', 'item-not-found');
    await expectError(c1, iq(`nobody@${DOMAIN}`, 'get', xml('ping', { xmlns: 'urn:xmpp:ping' })), 'cancel', 'item-not-found');
    // A masked-looking JID with no chat behind it does not exist either (XEP-0030 §3.1).
    await expectError(alice, iq(`t999-zzzz@${DOMAIN}`, 'get', xml('ping', { xmlns: 'urn:xmpp:ping' })), 'cancel', 'item-not-found');
    await expectError(alice, iq(`t999-zzzz@${DOMAIN}`, 'get', xml('query', { xmlns: NS_INFO })), 'cancel', 'item-not-found');
  });

  it('oversize body → modify/policy-violation, not relayed; the next normal message is', async () => {
    await expectError(c1, msg(SUPPORT, LONG), 'modify', 'policy-violation');
    await alice.none(withBody(LONG), 'relayed oversize body', 800);
    await c1.say(SUPPORT, 'short again');
    await alice.message(m1, 'short again');

    await expectError(alice, msg(m1, LONG), 'modify', 'policy-violation');
    await c1.none(withBody(LONG), 'relayed oversize reply', 800);
    await alice.say(m1, 'short reply');
    await c1.message(`${SUPPORT}/Alice`, 'short reply');

    // A newcomer's oversize first message queues nobody.
    const newcomer = await stack.customer();
    await expectError(newcomer, msg(SALES, LONG), 'modify', 'policy-violation');
    await newcomer.none((el) => el.name === 'message' && el.attrs.from?.startsWith(SALES) === true, 'queued reply', 500);
  });

  it('error messages get no reply and do not hurt the component', async () => {
    const bounce = (to: string) =>
      xml(
        'message',
        { to, type: 'error', id: `err-${++seq}` },
        xml('body', {}, 'bounced'),
        xml('error', { type: 'cancel' }, xml('item-not-found', { xmlns: NS_STANZAS })),
      );
    const c2 = await stack.customer();
    await c2.send(bounce(SUPPORT));
    await alice.send(bounce(m1));
    await c2.none((el) => el.attrs.from?.startsWith(SUPPORT) === true, 'reply to an error message', 800);
    await alice.none(
      (el) => el.name === 'message' && (el.attrs.from === m1 || el.attrs.from?.startsWith(SUPPORT) === true),
      'reply to an error message',
      100,
    );
    await c1.none(withBody('bounced'), 'relayed error message', 100);

    expect((await fetch(`${stack.httpUrl}/healthz`)).status).toBe(200);
    await c2.say(SUPPORT, 'still there?');
    await c2.message(SUPPORT, /Your ticket is #\d+/);
  });

  it('groupchat to a desk and any message to the bare domain → cancel/service-unavailable', async () => {
    await expectError(c1, msg(SUPPORT, 'hello room', 'groupchat'), 'cancel', 'service-unavailable');
    await expectError(c1, msg(DOMAIN, 'hello domain'), 'cancel', 'service-unavailable');
    await expectError(alice, msg(DOMAIN, 'hello domain', 'normal'), 'cancel', 'service-unavailable');
    await alice.none(withBody(/hello room/), 'relayed groupchat', 300);
  });

  it('XEP-0030 disco and XEP-0199 ping', async () => {
    const info = async (to: string) => {
      const reply = await exchange(alice, iq(to, 'get', xml('query', { xmlns: NS_INFO })));
      expect(reply.attrs).toMatchObject({ type: 'result', from: to, to: alice.jid });
      const query = reply.getChild('query', NS_INFO)!;
      return { identity: query.getChild('identity')?.attrs, features: query.getChildren('feature').map((f) => f.attrs.var) };
    };
    const domain = await info(DOMAIN);
    expect(domain.identity).toMatchObject({ category: 'component' });
    expect(domain.features).toContain(NS_INFO);
    const desk = await info(SUPPORT);
    expect(desk.identity).toMatchObject({ category: 'collaboration', type: 'workgroup' });
    expect(desk.features).toEqual(expect.arrayContaining([NS_INFO, 'http://jabber.org/protocol/chatstates', 'urn:xmpp:ping']));
    const masked = await info(m1);
    expect(masked.identity?.category).toBeTruthy();
    expect(masked.features).toContain(NS_INFO);

    const items = await exchange(alice, iq(DOMAIN, 'get', xml('query', { xmlns: NS_ITEMS })));
    expect(items.attrs).toMatchObject({ type: 'result', from: DOMAIN });
    const jids = items
      .getChild('query', NS_ITEMS)!
      .getChildren('item')
      .map((i) => i.attrs.jid);
    expect(jids.sort()).toEqual([SALES, SUPPORT].sort());

    const pong = await exchange(c1, iq(SUPPORT, 'get', xml('ping', { xmlns: 'urn:xmpp:ping' })));
    expect(pong.attrs).toMatchObject({ type: 'result', from: SUPPORT, to: c1.jid });
    expect(pong.getChild('error')).toBeUndefined();
  });

  it('writing to an ended chat → cancel/item-not-found saying it has ended', async () => {
    await alice.say(m1, '!end');
    await alice.message(m1, /Chat #\d+ ended/);
    await c1.message(`${SUPPORT}/Alice`, 'Alice has ended the chat');
    const reply = await expectError(alice, msg(m1, 'one more thing'), 'cancel', 'item-not-found');
    expect(errorText(reply)).toMatch(/has ended/);
    await c1.none(withBody('one more thing'), 'message after the end', 500);
  });

  it('stayed healthy, with no unexpected failure logged', async () => {
    expect(await stack.health()).toMatchObject({ ok: true, redis: true, xmpp: true });
    const log = readFileSync(join(stack.dir, 'component.log'), 'utf8');
    expect(log).not.toMatch(/unexpected failure|internal-server-error|uncaught|unhandled/i);
  });
});

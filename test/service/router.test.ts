/**
 * The router and the services in-process (desk-harness.ts): one customer message and one
 * operator presence change through the rooms, and the error boundary, with a fake send.
 */
import { describe, expect, it } from 'vitest';
import { xml } from '../../component/protocol/xml.js';
import { ALICE, CUSTOMER, DOMAIN, SUPPORT, bodyOf, isTo, message, presence, useDesk } from './desk-harness.js';

const desks = useDesk();
const errorOf = (el: {
  getChild(n: string): { attrs: Record<string, string | undefined>; getChildElements(): { name: string }[] } | undefined;
}) => {
  const e = el.getChild('error');
  return e && { type: e.attrs.type, condition: e.getChildElements()[0]?.name };
};

describe('a customer message and an operator presence, in-process', () => {
  it('queue the customer, assign on presence, relay both ways under masked JIDs', async () => {
    const d = desks.open();
    d.receive(message(CUSTOMER, SUPPORT, 'My printer is on fire'));
    const queued = await d.next(isTo(CUSTOMER, /ticket is #1/), 'the queued reply');
    expect(queued.attrs.from).toBe(SUPPORT);
    expect(bodyOf(queued)).toMatch(/number 1 in line/);

    d.receive(presence(ALICE, SUPPORT)); // directed presence counts (DESIGN §2)
    const intro = await d.next(isTo('alice@localhost', /New chat — ticket #1 on Support/), 'the intro to Alice');
    const masked = String(intro.attrs.from);
    expect(masked).toMatch(new RegExp(`^t1-[a-z0-9]{4}@${DOMAIN.replace('.', '\\.')}$`));
    const first = await d.next(isTo('alice@localhost', /printer is on fire/), 'the buffered first message');
    expect(first.attrs.from).toBe(masked);
    const connected = await d.next(isTo(CUSTOMER, /Alice/), 'the customer told who answers');
    expect(connected.attrs.from).toMatch(/^support@support\.localhost\//);

    d.receive(message(CUSTOMER, SUPPORT, 'Still burning'));
    const relayed = await d.next(isTo('alice@localhost', /Still burning/), 'the relayed message');
    expect(relayed.attrs.from).toBe(masked);
    expect(relayed.attrs.type).toBe('chat');

    d.receive(message(ALICE, masked, 'Unplug it, please'));
    const answer = await d.next(isTo(CUSTOMER, /Unplug it/), 'the operator’s answer');
    expect(answer.attrs.from).toBe(`${SUPPORT}/Alice`);
    expect(JSON.stringify(d.sent.map(String))).not.toContain('alice@localhost/desk'); // never the operator's real JID to the customer
  });

  it('keeps a sender’s messages in order, and a message after !end opens a new ticket', async () => {
    const d = desks.open();
    d.receive(presence(ALICE, SUPPORT));
    d.receive(message(CUSTOMER, SUPPORT, 'one'));
    const intro = await d.next(isTo('alice@localhost', /New chat/), 'the intro');
    const masked = String(intro.attrs.from);
    for (const body of ['two', 'three', 'four']) d.receive(message(CUSTOMER, SUPPORT, body));
    const toAlice = [];
    for (let i = 0; i < 4; i++) toAlice.push(bodyOf(await d.next(isTo('alice@localhost', /^(one|two|three|four)$/), `message ${i + 1}`)));
    expect(toAlice).toEqual(['one', 'two', 'three', 'four']);
    d.receive(message(ALICE, masked, '!end'));
    await d.next(isTo(CUSTOMER, /ended/i), 'the end notice');
    d.receive(message(CUSTOMER, SUPPORT, 'five'));
    await d.next(isTo(CUSTOMER, /ticket is #2/), 'the second ticket');
  });
});

describe('the error boundary, in-process', () => {
  it('answers what it cannot do with RFC 6120 errors and never answers an error', async () => {
    const d = desks.open();
    d.receive(message(CUSTOMER, `nobody@${DOMAIN}`, 'hello'));
    expect(errorOf(await d.next((el) => el.attrs.to === CUSTOMER && el.attrs.type === 'error', 'an error'))).toEqual({
      type: 'cancel',
      condition: 'item-not-found',
    });

    d.receive(xml('iq', { from: CUSTOMER, to: SUPPORT, type: 'get', id: 'q1' }, xml('query', { xmlns: 'urn:example:unknown' })));
    const iqError = await d.next((el) => el.name === 'iq' && el.attrs.id === 'q1', 'the IQ error');
    expect(iqError.attrs.type).toBe('error');
    expect(errorOf(iqError)).toEqual({ type: 'cancel', condition: 'service-unavailable' });

    d.receive(message(CUSTOMER, `t1-abcd@${DOMAIN}`, 'let me in'));
    expect(errorOf(await d.next((el) => el.attrs.to === CUSTOMER && el.attrs.type === 'error', 'the masked-JID refusal'))).toEqual({
      type: 'auth',
      condition: 'forbidden',
    });

    d.receive(xml('message', { from: CUSTOMER, to: `nobody@${DOMAIN}`, type: 'error' }, xml('body', {}, 'bounce')));
    d.receive(xml('iq', { from: CUSTOMER, to: SUPPORT, type: 'get', id: 'p1' }, xml('ping', { xmlns: 'urn:xmpp:ping' })));
    const pong = await d.next((el) => el.attrs.id === 'p1', 'the ping result');
    expect(pong.attrs.type).toBe('result');
    expect(d.sent.filter((el) => el.attrs.to === CUSTOMER && el.attrs.type === 'error')).toEqual([]); // the error stanza got no answer
  });

  it('refuses a subscription from someone who is not an operator', async () => {
    const d = desks.open();
    d.receive(presence('mallory@localhost/x', SUPPORT, { type: 'subscribe' }));
    const refusal = await d.next((el) => el.name === 'presence' && el.attrs.to === 'mallory@localhost', 'the refusal');
    expect(refusal.attrs.type).toBe('unsubscribed');
  });
});

describe('an assignment announced, in-process', () => {
  it('keeps its crash-recovery mark and the buffered messages until the copies are on the socket', async () => {
    const held: (() => void)[] = [];
    const d = desks.open({}, { whenWritten: (fn) => held.push(fn) }); // a crash before the write: nothing reaches the socket
    d.receive(message(CUSTOMER, SUPPORT, 'Waiting with a question'));
    await d.next(isTo(CUSTOMER, /ticket is #1/), 'the queued reply');
    d.receive(presence(ALICE, SUPPORT));
    await d.next(isTo('alice@localhost', /New chat — ticket #1/), 'the intro');
    await d.next(isTo('alice@localhost', /Waiting with a question/), 'the buffered message');
    await new Promise((r) => setTimeout(r, 50));
    // Not written yet: a restart must announce again, with the customer's message.
    expect(await d.store.sessions.pendingAnnouncements()).toEqual([1]);
    expect((await d.store.sessions.buffered(1)).join('')).toContain('Waiting with a question');
    for (const fn of held.splice(0)) fn(); // the socket took it
    await new Promise((r) => setTimeout(r, 50));
    expect(await d.store.sessions.pendingAnnouncements()).toEqual([]);
    expect(await d.store.sessions.buffered(1)).toEqual([]);
  });
});

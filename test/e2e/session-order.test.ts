/**
 * Issue 14 item 7: after a reconnect, the widget's first chat message can reach the desk before
 * its `<session/>` (docs/widget-protocol.md §1). It must land in the customer's live chat, once,
 * and open no second ticket — also when the widget then resends it with the same origin-id.
 * Raw WebSocket customers (@xmpp/client) play the widget's part.
 */
import { xml } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isIntro, type TestClient } from '../support/clients.js';
import { startStack, SUPPORT, type Stack } from '../support/stack.js';

const NS = 'urn:madoguchi:desk:0';
const TOKEN = 'overtake-0123456789abcdefgh';
const session = (c: TestClient, token: string) => c.iq(SUPPORT, 'set', xml('session', { xmlns: NS, token }));
const widgetMessage = (id: string, body: string) =>
  xml('message', { to: SUPPORT, type: 'chat', id }, xml('body', {}, body), xml('origin-id', { xmlns: 'urn:xmpp:sid:0', id }));
const isAck = (id: string) => (el: Element) => el.name === 'message' && el.getChild('ack', NS)?.attrs.id === id;
const withBody = (text: string) => (el: Element) => el.name === 'message' && el.getChildText('body') === text;

describe('a message that overtakes its <session/>', () => {
  let stack: Stack;
  let alice: TestClient;
  beforeAll(async () => {
    stack = await startStack();
    alice = await stack.operator('alice');
    await alice.subscribeTo(SUPPORT);
  });
  afterAll(async () => stack?.stop());

  it('goes to the live chat once, opens no second ticket, and is acked', async () => {
    const first = await stack.customer();
    expect((await session(first, TOKEN)).attrs.type).toBe('result');
    await first.send(widgetMessage('o-1', 'my printer is on fire'));
    const intro = await alice.next(isIntro, 'intro');
    const masked = String(intro.attrs.from);
    await alice.message(masked, 'my printer is on fire');
    await alice.say(masked, 'hello, which model?');
    await first.message(`${SUPPORT}/Alice`, 'hello, which model?');

    // The page changes: a new connection whose message goes out before its <session/>.
    await first.stop();
    const next = await stack.customer();
    await next.send(widgetMessage('o-2', 'the LaserJet on floor 3'));
    const bound = await session(next, TOKEN);
    expect(bound.getChild('session', NS)?.getChild('status', NS)?.attrs).toMatchObject({ state: 'active', operator: 'Alice' });
    await next.next(isAck('o-2'), 'the ack of the overtaking message');
    // The widget resends what it had not seen acked after binding: same origin-id, relayed once.
    await next.send(widgetMessage('o-2', 'the LaserJet on floor 3'));
    await next.next(isAck('o-2'), 'the ack of the resend');

    const relayed = await alice.message(masked, 'the LaserJet on floor 3');
    expect(relayed.attrs.from).toBe(masked);
    await alice.none((el) => isIntro(el) || withBody('the LaserJet on floor 3')(el), 'a second ticket or a second copy', 1_500);
    const support = (await stack.status()).desks.find((d) => d.desk === 'support');
    expect(support?.waiting).toBe(0);
    await next.none((el) => el.name === 'message' && /Your ticket is/.test(el.getChildText('body') ?? ''), 'a new ticket', 0);

    // The chat goes on with the new connection.
    await alice.say(masked, 'thanks, looking');
    await next.message(`${SUPPORT}/Alice`, 'thanks, looking');
  });
});

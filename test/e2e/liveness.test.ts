/**
 * Issue 14 item 7: the desk's liveness pings (XEP-0199) must not drop a customer whose client
 * answers them with service-unavailable itself (no ping support: alive, XEP-0199 §4.1), yet
 * must still notice a customer whose session is gone (the server answers service-unavailable
 * for it, RFC 6121 §8.5.3.2.3). The stack pings every second.
 */
import type { Element } from '@xmpp/xml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isIntro } from '../support/clients.js';
import { startStack, SUPPORT, type Stack } from '../support/stack.js';

const isPing = (el: Element) => el.name === 'iq' && el.attrs.type === 'get' && el.getChild('ping', 'urn:xmpp:ping') !== undefined;
const waitingAt = async (stack: Stack) => (await stack.status()).desks.find((d) => d.desk === 'support')?.waiting;

describe('liveness pings and clients without ping support', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => stack?.stop());

  it('keeps a client that answers ping with service-unavailable across rounds, and still drops one that is gone', async () => {
    // Both clients answer disco#info but not ping; the desk has no operator, so they wait.
    const leaving = await stack.customer({ ping: false, disco: true });
    await leaving.say(SUPPORT, 'first in line, about to vanish');
    await leaving.message(SUPPORT, 'You are number 1');
    const staying = await stack.customer({ ping: false, disco: true });
    await staying.say(SUPPORT, 'no ping support here, but I am here');
    await staying.message(SUPPORT, 'You are number 2');

    // Several liveness rounds (one a second; slower on a busy machine): each ping is answered with
    // the client's own service-unavailable.
    const deadline = Date.now() + 10_000;
    while (staying.inbox.filter(isPing).length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    const pings = staying.inbox.filter(isPing);
    expect(pings.length).toBeGreaterThanOrEqual(3);
    expect(pings.every((p) => p.attrs.from === SUPPORT)).toBe(true);
    expect(await waitingAt(stack)).toBe(2);
    await staying.none((el) => el.name === 'message' && /left|ended/i.test(el.getChildText('body') ?? ''), 'a goodbye', 0);

    // The first one's session ends without a word to the desk (it never sent the desk presence):
    // the server now answers for it, and the desk lets the second move up.
    await leaving.stop();
    await staying.message(SUPPORT, 'now number 1', 6_000);
    expect(await waitingAt(stack)).toBe(1);

    // It is still in line: the first operator to come gets it, with its first message.
    const alice = await stack.operator('alice');
    await alice.subscribeTo(SUPPORT);
    const intro = await alice.next(isIntro, 'intro');
    expect(intro.getChildText('body')).toContain('no ping support here, but I am here');
    const masked = String(intro.attrs.from);
    await alice.say(masked, 'hello, still there?');
    await staying.message(`${SUPPORT}/Alice`, 'hello, still there?');
  });
});

/**
 * Issue 14 item 2: a plain XMPP customer asking for XEP-0184 receipts gets exactly one
 * <received/>, from the desk JID, only once the message is stored (waiting) or relayed; the
 * operator's copy carries no request, so the operator's client never answers as well; a
 * message the desk could not take (component down) gets no receipt.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { xml } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import { isIntro, type TestClient } from '../support/clients.js';
import { COMPONENT_DOWN_ERROR, startStack, SUPPORT, type Stack } from '../support/stack.js';

const NS_RECEIPTS = 'urn:xmpp:receipts';
const receiptFor = (id: string) => (el: Element) => el.name === 'message' && el.getChild('received', NS_RECEIPTS)?.attrs.id === id;
const withReceipt = (to: string, id: string, body: string) =>
  xml('message', { to, type: 'chat', id }, xml('body', {}, body), xml('request', { xmlns: NS_RECEIPTS }));

async function healthy(stack: Stack): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await stack.health().catch(() => ({ ok: false }))).ok) {
    if (Date.now() > deadline) throw new Error('component not healthy again');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('XEP-0184 receipts from the desk', () => {
  let stack: Stack;
  let alice: TestClient;
  beforeAll(async () => {
    stack = await startStack({ operators: [{ user: 'alice', name: 'Alice', maxChats: 1 }] });
    alice = await stack.operator('alice');
  });
  afterAll(async () => stack?.stop());

  it('answers once the message is queued, then once it is relayed; the operator sees no request', async () => {
    const customer = await stack.customer();
    // No operator online yet: the first message queues the customer, the second is buffered.
    await customer.send(withReceipt(SUPPORT, 'r1', 'first, while nobody is on'));
    const r1 = await customer.next(receiptFor('r1'), 'receipt for the queued first message');
    expect(r1.attrs.from).toBe(SUPPORT);
    expect(r1.getChildElements().map((c) => c.name)).toEqual(['received']); // XEP-0184 §7: only the receipt
    await customer.send(withReceipt(SUPPORT, 'r2', 'second, buffered'));
    expect((await customer.next(receiptFor('r2'), 'receipt for the buffered message')).attrs.from).toBe(SUPPORT);

    // Alice comes: the buffered messages are handed over without the request.
    await alice.subscribeTo(SUPPORT);
    const intro = await alice.next(isIntro, 'intro');
    const masked = String(intro.attrs.from);
    const handed = await alice.message(masked, 'second, buffered');
    expect(handed.getChild('request', NS_RECEIPTS)).toBeUndefined();

    // Active chat: relayed at once, answered by the desk, request stripped from Alice's copy.
    await customer.send(withReceipt(SUPPORT, 'r3', 'while chatting'));
    const relayed = await alice.message(masked, 'while chatting');
    expect(relayed.attrs.id).toBe('r3'); // the id still names the message (markers, corrections)
    expect(relayed.getChild('request', NS_RECEIPTS)).toBeUndefined();
    expect((await customer.next(receiptFor('r3'), 'receipt for the relayed message')).attrs.from).toBe(SUPPORT);
    // One receipt per message: nothing more for r1..r3, from the desk or through the operator.
    await customer.none((el) => ['r1', 'r2', 'r3'].some((id) => receiptFor(id)(el)), 'a second receipt', 700);
    // A message without a request gets none.
    await customer.send(xml('message', { to: SUPPORT, type: 'chat', id: 'r4' }, xml('body', {}, 'no request')));
    await alice.message(masked, 'no request');
    await customer.none((el) => el.getChild('received', NS_RECEIPTS) !== undefined, 'an unrequested receipt', 500);
    await alice.say(masked, '!end');
  });

  it('gives no receipt for a message the desk never took (component down)', async () => {
    const customer = await stack.customer();
    await stack.killComponent();
    await customer.send(withReceipt(SUPPORT, 'down1', 'while the desk is down'));
    const bounce = await customer.next((el) => el.attrs.type === 'error' && el.attrs.id === 'down1', 'bounce');
    expect(bounce.getChild('error')?.attrs.type).toBe(COMPONENT_DOWN_ERROR.type);
    await stack.startComponent();
    await healthy(stack);
    await customer.none(receiptFor('down1'), 'a receipt for a lost message', 500);
    // The client resends (same id) and now gets its receipt.
    await customer.send(withReceipt(SUPPORT, 'down1', 'while the desk is down'));
    expect((await customer.next(receiptFor('down1'), 'receipt after the resend')).attrs.from).toBe(SUPPORT);
  });
});

/**
 * Bursts: a sender's messages are looked up concurrently (component/services/fair-scheduler.ts,
 * pipelined tasks) yet arrive in the order they were written, and an operator's
 * command in the middle of a burst takes effect before the messages after it are looked up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, SUPPORT, type Stack } from '../support/stack.js';
import { errorConditionOf, isIntro, type TestClient } from '../support/clients.js';
import type { Element } from '@xmpp/xml';
import { xml } from '@xmpp/client';

const bodies = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix} ${i + 1}`);
/** Sends without waiting in between, so the stanzas reach the component together. */
const burst = (client: TestClient, to: string, texts: readonly string[]) =>
  Promise.all(texts.map((b) => client.send(xml('message', { to, type: 'chat', id: idOf(b) }, xml('body', {}, b)))));
const idOf = (text: string) => `burst-${text.replace(/\W+/g, '-')}`;

/** The next `n` chat bodies from `from` (skipping desk notices that match `skip`). */
async function received(client: TestClient, from: string, n: number, skip = /^$/): Promise<string[]> {
  const got: string[] = [];
  while (got.length < n) {
    const el = await client.next(
      (e: Element) =>
        e.name === 'message' &&
        e.attrs.from === from &&
        e.attrs.type !== 'error' &&
        e.getChildText('body') !== null &&
        !skip.test(e.getChildText('body') ?? ''),
      `message ${got.length + 1} of ${n} from ${from}`,
    );
    got.push(el.getChildText('body') ?? '');
  }
  return got;
}

describe('relay bursts keep their order', () => {
  let stack: Stack;
  let alice: TestClient;
  let customer: TestClient;
  let masked = '';

  beforeAll(async () => {
    stack = await startStack({ operators: [{ user: 'alice', name: 'Alice', desks: ['support'], maxChats: 3 }] });
    alice = await stack.operator('alice');
    await alice.subscribeTo(SUPPORT);
    customer = await stack.customer();
  });
  afterAll(async () => stack?.stop());

  it('a burst that opens a chat: the first is the question, the rest follow in order', async () => {
    const texts = bodies('opening', 12);
    await burst(customer, SUPPORT, texts);
    const intro = await alice.next(isIntro, 'intro');
    expect(intro.getChildText('body')).toContain('First message: “opening 1”');
    masked = String(intro.attrs.from);
    // The question (stored while the chat was being set up), then every other message once, in order.
    expect(await received(alice, masked, 12, /New chat/)).toEqual(texts);
    await alice.none(
      (e) => e.name === 'message' && e.attrs.from === masked && /opening/.test(e.getChildText('body') ?? ''),
      'a message twice',
      300,
    );
  });

  it('bursts both ways during the chat arrive complete and in order', async () => {
    const fromCustomer = bodies('customer says', 40);
    const fromOperator = bodies('operator says', 40);
    await Promise.all([burst(customer, SUPPORT, fromCustomer), burst(alice, masked, fromOperator)]);
    const [atOperator, atCustomer] = await Promise.all([
      received(alice, masked, 40),
      received(customer, `${SUPPORT}/Alice`, 40, /has joined/),
    ]);
    expect(atOperator).toEqual(fromCustomer);
    expect(atCustomer).toEqual(fromOperator);
  });

  it('`!end` inside a burst ends the chat before the messages after it are looked up', async () => {
    await burst(alice, masked, ['before 1', 'before 2', '!end', 'after 1', 'after 2']);
    expect(await received(customer, `${SUPPORT}/Alice`, 3, /has joined/)).toEqual([
      'before 1',
      'before 2',
      expect.stringMatching(/Alice has ended the chat/),
    ]);
    // The two after the command are refused with an error each, and never relayed.
    const errors = [
      await alice.next((e) => e.name === 'message' && e.attrs.type === 'error' && e.attrs.id === idOf('after 1'), 'error for after 1'),
      await alice.next((e) => e.name === 'message' && e.attrs.type === 'error' && e.attrs.id === idOf('after 2'), 'error for after 2'),
    ];
    for (const e of errors) expect(e.attrs.from).toBe(masked);
    expect(errors.map(errorConditionOf)).toEqual(['item-not-found', 'item-not-found']);
    await customer.none((e) => e.name === 'message' && /after/.test(e.getChildText('body') ?? ''), 'a message sent after !end', 300);
  });
});

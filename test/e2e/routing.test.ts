/**
 * Issue #2 end to end: FCFS order, least-loaded assignment, buffered messages, relay both
 * ways under masked JIDs, !end frees the slot for the next customer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, SUPPORT, DOMAIN, type Stack } from '../support/stack.js';
import type { TestClient } from '../support/clients.js';
import { xml } from '@xmpp/client';

const MASKED = new RegExp(`^t(\\d+)-[0-9a-z]{4}@${DOMAIN.replace('.', '\\.')}$`);

describe('routing: two operators, five customers, capacity 2', () => {
  let stack: Stack;
  let alice: TestClient;
  let bob: TestClient;
  const customers: TestClient[] = [];
  const masked: string[] = [];

  beforeAll(async () => {
    stack = await startStack();
    alice = await stack.operator('alice');
    await alice.subscribeTo(SUPPORT);
    await new Promise((r) => setTimeout(r, 50)); // alice is idle longer than bob
    bob = await stack.operator('bob');
    await bob.subscribeTo(SUPPORT);
    for (let i = 0; i < 5; i++) customers.push(await stack.customer());
  });
  afterAll(async () => stack?.stop());

  it('connects customers first come first served to the least-loaded operator', async () => {
    const expected = [alice, bob, alice, bob]; // tie on load → the one idle longest
    for (let i = 0; i < 4; i++) {
      const c = customers[i]!;
      await c.say(SUPPORT, `hello from customer ${i + 1}`);
      const queued = await c.message(SUPPORT, /Your ticket is #\d+/);
      expect(queued.getChildText('body')).toMatch(/You are number 1 in line/);
      const op = expected[i]!;
      const intro = await op.next(
        (el) => el.name === 'message' && MASKED.test(el.attrs.from ?? '') && /New chat/.test(el.getChildText('body') ?? ''),
        `intro ${i + 1}`,
      );
      expect(intro.getChildText('body')).toContain(`First message: “hello from customer ${i + 1}”`);
      expect(intro.getChildText('nick', 'http://jabber.org/protocol/nick')).toMatch(/^Customer #\d+$/);
      const first = await op.message(intro.attrs.from!, `hello from customer ${i + 1}`);
      expect(first.getChild('delay', 'urn:xmpp:delay')).toBeDefined();
      const name = op === alice ? 'Alice' : 'Bob';
      await c.message(`${SUPPORT}/${name}`, `${name} has joined`);
      masked.push(intro.attrs.from!);
    }
    expect(new Set(masked).size).toBe(4);

    // Fifth customer waits: both operators are at capacity 2.
    const fifth = customers[4]!;
    await fifth.say(SUPPORT, 'anyone there?');
    const queued = await fifth.message(SUPPORT, /Your ticket is #\d+/);
    expect(queued.getChildText('body')).toContain('You are number 1 in line');
    await fifth.say(SUPPORT, 'second waiting message');
    await fifth.say(SUPPORT, 'third waiting message');
    expect((await stack.status()).desks.find((d) => d.desk === 'support')).toMatchObject({ mode: 'busy', waiting: 1, show: 'away' });

    // Relay both ways under the masked JIDs; the customer never sees the operator's real JID.
    const c1 = customers[0]!;
    await c1.say(SUPPORT, 'my printer is on fire');
    await alice.message(masked[0]!, 'my printer is on fire');
    await alice.say(masked[0]!, 'Please step away from the printer');
    const reply = await c1.message(`${SUPPORT}/Alice`, 'Please step away from the printer');
    expect(reply.toString()).not.toContain('alice@localhost');

    // !end frees Alice's slot: the fifth customer is connected to her at once, with the waiting messages in order.
    await alice.say(masked[0]!, '!end');
    await c1.message(`${SUPPORT}/Alice`, 'Alice has ended the chat');
    await alice.message(masked[0]!, /Chat #\d+ ended/);
    const intro5 = await alice.next((el) => el.name === 'message' && /New chat/.test(el.getChildText('body') ?? ''), 'intro of the fifth');
    expect(intro5.getChildText('body')).toContain('First message: “anyone there?”');
    const m5 = intro5.attrs.from!;
    for (const body of ['anyone there?', 'second waiting message', 'third waiting message']) {
      const got = await alice.next(
        (el) =>
          el.name === 'message' &&
          el.attrs.from === m5 &&
          el.getChildText('body') !== null &&
          !/New chat/.test(el.getChildText('body') ?? ''),
        body,
      );
      expect(got.getChildText('body')).toBe(body);
    }
    await fifth.message(`${SUPPORT}/Alice`, 'Alice has joined');
  });

  it('relays allowlisted payloads and strips everything else', async () => {
    const c2 = customers[1]!;
    await c2.send(
      xml(
        'message',
        { to: SUPPORT, type: 'chat', id: 'x1' },
        xml('body', {}, 'with payloads'),
        xml('active', { xmlns: 'http://jabber.org/protocol/chatstates' }),
        xml('request', { xmlns: 'urn:xmpp:receipts' }),
        xml('x', { xmlns: 'jabber:x:oob' }, xml('url', {}, 'https://example.com/f.png')),
        xml('addresses', { xmlns: 'http://jabber.org/protocol/address' }, xml('address', { type: 'to', jid: 'evil@example.com' })),
        xml('secret', { xmlns: 'urn:example:private' }, 'do not pass'),
      ),
    );
    const got = await bob.message(masked[1]!, 'with payloads');
    expect(got.attrs.id).toBe('x1');
    expect(got.getChild('active', 'http://jabber.org/protocol/chatstates')).toBeDefined();
    expect(got.getChild('request', 'urn:xmpp:receipts')).toBeUndefined(); // the desk answers receipts itself (README)
    expect(got.getChild('x', 'jabber:x:oob')?.getChildText('url')).toBe('https://example.com/f.png');
    expect(got.getChild('addresses', 'http://jabber.org/protocol/address')).toBeUndefined();
    expect(got.getChild('secret', 'urn:example:private')).toBeUndefined();
    // A chat state alone is relayed too (typing indicator), both ways.
    await bob.send(
      xml('message', { to: got.attrs.from, type: 'chat' }, xml('composing', { xmlns: 'http://jabber.org/protocol/chatstates' })),
    );
    const typing = await c2.next(
      (el) => el.name === 'message' && el.getChild('composing', 'http://jabber.org/protocol/chatstates') !== undefined,
      'typing',
    );
    expect(typing.attrs.from).toBe(`${SUPPORT}/Bob`);
  });

  it('`!!` sends a literal exclamation mark; unknown commands get a hint and reach nobody', async () => {
    const c2 = customers[1]!;
    await bob.say(masked[1]!, '!!important: reboot first');
    const literal = await c2.message(`${SUPPORT}/Bob`);
    expect(literal.getChildText('body')).toBe('!important: reboot first');
    await bob.say(masked[1]!, '!frobnicate now');
    const hint = await bob.message(masked[1]!, 'Unknown command !frobnicate');
    expect(hint.getChildText('body')).toContain('!!');
    await c2.none((el) => el.name === 'message' && /frobnicate/.test(el.getChildText('body') ?? ''), 'leaked command', 500);
  });
});

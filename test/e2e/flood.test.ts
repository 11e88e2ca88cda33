/**
 * Issue 14 item 5: one customer flooding an active chat. The excess is refused with
 * modify/policy-violation and a plain-language text (as many errors as the sender may send
 * messages; the rest of a flood is dropped), nothing of it is relayed, the operator is told
 * once, another customer's chat keeps flowing in order meanwhile, and after a pause the flooder
 * can write again. Operators have a (more generous) limit of their own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Element } from '@xmpp/xml';
import { xml } from '@xmpp/client';
import { startStack, SUPPORT, type Stack } from '../support/stack.js';
import { errorConditionOf, isIntro, isMessageFrom, type TestClient } from '../support/clients.js';

const TOO_FAST = 'You are sending messages too fast; please slow down';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const send = (c: TestClient, to: string, id: string, body: string) =>
  c.send(xml('message', { to, type: 'chat', id }, xml('body', {}, body)));
const errorText = (el: Element) => el.getChild('error')?.getChildText('text');
const isError = (el: Element) => el.name === 'message' && el.attrs.type === 'error';

/** Everything matching that arrives within `ms`, taken from the inbox in arrival order. */
async function collect(c: TestClient, match: (el: Element) => boolean, ms: number): Promise<Element[]> {
  await sleep(ms);
  const got = c.inbox.filter(match);
  for (const el of got) c.inbox.splice(c.inbox.indexOf(el), 1);
  return got;
}

describe('a flooding customer', () => {
  let stack: Stack;
  let alice: TestClient;
  let flooder: TestClient;
  let quiet: TestClient;
  let floodMasked = '';
  let quietMasked = '';

  beforeAll(async () => {
    stack = await startStack({
      operators: [{ user: 'alice', name: 'Alice', desks: ['support'], maxChats: 2 }],
      // Small buckets so that the test is quick: 5 at once, 2 per second (defaults: 20 and 5).
      // And a short backlog per sender (default 256), for the last test.
      limits: { customerRate: { perSecond: 2, burst: 5 }, operatorRate: { perSecond: 4, burst: 8 }, senderBacklog: 4 },
    });
    alice = await stack.operator('alice');
    await alice.subscribeTo(SUPPORT);
    flooder = await stack.customer();
    await flooder.say(SUPPORT, 'I am the flooder');
    floodMasked = String((await alice.next(isIntro, 'intro of the flooder')).attrs.from);
    await alice.message(floodMasked, 'I am the flooder');
    quiet = await stack.customer();
    await quiet.say(SUPPORT, 'I am the quiet one');
    quietMasked = String((await alice.next(isIntro, 'intro of the quiet customer')).attrs.from);
    await alice.message(quietMasked, 'I am the quiet one');
    await sleep(2500); // both buckets full again after the joins
  });
  afterAll(async () => stack?.stop());

  it('is refused with policy-violation beyond its rate; the operator is told once; the other chat flows in order', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => `flood-${i + 1}`);
    const quietTexts = ['quiet 1', 'quiet 2', 'quiet 3', 'quiet 4'];
    await Promise.all([
      Promise.all(ids.map((id) => send(flooder, SUPPORT, id, `flood text ${id}`))),
      (async () => {
        for (const text of quietTexts) {
          await send(quiet, SUPPORT, text.replace(' ', '-'), text);
          await sleep(100);
        }
      })(),
    ]);
    const errors = await collect(flooder, isError, 1500);
    const relayed = await collect(alice, isMessageFrom(floodMasked, /^flood text/), 0);
    const notices = await collect(alice, isMessageFrom(floodMasked, /too fast/), 0);
    const quietRelayed = await collect(alice, isMessageFrom(quietMasked), 0);

    // The first refusals get an error each (as many as the bucket holds), from the desk, with the plain-language text.
    expect(errors.length).toBeGreaterThanOrEqual(5);
    expect(errors.length).toBeLessThanOrEqual(8); // 5 at once, 2 per second: a flood does not come back as a flood of errors
    for (const e of errors) {
      expect(e.attrs.from).toBe(SUPPORT);
      expect(errorConditionOf(e)).toBe('policy-violation');
      expect(e.getChild('error')?.attrs.type).toBe('modify');
      expect(errorText(e)).toBe(TOO_FAST);
    }
    // What is relayed is the first messages, in order (the bucket's 5, and at most what 2 per second earned meanwhile);
    // the errors name the messages right after them.
    const relayedIds = relayed.map((m) => (m.getChildText('body') ?? '').replace('flood text ', ''));
    expect(relayedIds.length).toBeGreaterThanOrEqual(5);
    expect(relayedIds.length).toBeLessThanOrEqual(8);
    expect(relayedIds).toEqual(ids.slice(0, relayedIds.length));
    const refusedIds = errors.map((e) => String(e.attrs.id));
    expect(refusedIds.slice(0, 5)).toEqual(ids.slice(relayedIds.length, relayedIds.length + 5));
    // The operator hears about it once, in that chat.
    expect(notices).toHaveLength(1);
    expect(notices[0]?.getChildText('body')).toMatch(/customer of chat #\d+ is sending messages too fast/);
    // The other customer is not affected.
    expect(quietRelayed.map((m) => m.getChildText('body'))).toEqual(quietTexts);
    await quiet.none(isError, 'an error for the quiet customer', 100);
  });

  it('can write again after a pause; a new flood is announced once more', async () => {
    await sleep(2600); // the bucket refills (5 tokens at 2 per second)
    await send(flooder, SUPPORT, 'after-pause', 'after the pause');
    expect((await alice.message(floodMasked, 'after the pause')).getChildText('body')).toBe('after the pause');
    await flooder.none(isError, 'an error after the pause', 300);
    await sleep(2600);
    // A person's overflow, not a flood: 8 at once with room for 5. Each of the 3 over gets its error;
    // the episode ended with the refill, so the operator is told again, once.
    const ids = Array.from({ length: 8 }, (_, i) => `again-${i + 1}`);
    await Promise.all(ids.map((id) => send(flooder, SUPPORT, id, `again ${id}`)));
    const errors = await collect(flooder, isError, 1000);
    expect(errors.map((e) => e.attrs.id)).toEqual(ids.slice(5));
    for (const e of errors) expect(errorText(e)).toBe(TOO_FAST);
    expect((await collect(alice, isMessageFrom(floodMasked, /^again/), 0)).map((m) => m.getChildText('body'))).toEqual(
      ids.slice(0, 5).map((id) => `again ${id}`),
    );
    expect(await collect(alice, isMessageFrom(floodMasked, /too fast/), 0)).toHaveLength(1);
  });

  it('an operator has a limit too', async () => {
    await Promise.all(Array.from({ length: 30 }, (_, i) => send(alice, quietMasked, `op-${i}`, `operator says ${i}`)));
    const errors = await collect(alice, (el) => isError(el) && String(el.attrs.id).startsWith('op-'), 1500);
    const delivered = await collect(quiet, isMessageFrom(`${SUPPORT}/Alice`, /^operator says/), 0);
    // 8 at once, 4 per second: the first 8 or so reach the customer, in order; the next ones get errors.
    expect(delivered.length).toBeGreaterThanOrEqual(8);
    expect(delivered.length).toBeLessThanOrEqual(10);
    expect(delivered.map((m) => m.getChildText('body'))).toEqual(Array.from({ length: delivered.length }, (_, i) => `operator says ${i}`));
    expect(errors.length).toBeGreaterThanOrEqual(8);
    for (const e of errors) {
      expect(e.attrs.from).toBe(quietMasked);
      expect(errorConditionOf(e)).toBe('policy-violation');
      expect(errorText(e)).toBe(TOO_FAST);
    }
    expect(errors[0]?.attrs.id).toBe(`op-${delivered.length}`);
  });

  it('a sender whose backlog is full gets wait/resource-constraint; every request is answered once, in order', async () => {
    // IQs to a desk run one at a time per sender: 30 at once leave a backlog beyond the 4 allowed.
    const ids = Array.from({ length: 30 }, (_, i) => `ping-${i + 1}`);
    await Promise.all(ids.map((id) => quiet.send(xml('iq', { to: SUPPORT, type: 'get', id }, xml('ping', { xmlns: 'urn:xmpp:ping' })))));
    const answers = await collect(quiet, (el) => el.name === 'iq' && String(el.attrs.id).startsWith('ping-'), 1500);
    expect(answers.map((a) => a.attrs.id).sort()).toEqual([...ids].sort());
    const refused = answers.filter((a) => a.attrs.type === 'error');
    expect(refused.length).toBeGreaterThan(0);
    for (const e of refused) {
      expect(errorConditionOf(e)).toBe('resource-constraint');
      expect(e.getChild('error')?.attrs.type).toBe('wait');
    }
    const served = answers.filter((a) => a.attrs.type === 'result').map((a) => String(a.attrs.id));
    expect(served.length).toBeGreaterThanOrEqual(5);
    expect(served).toEqual(ids.filter((id) => served.includes(id))); // in the order sent
    // Drained: the next request is served.
    const after = await quiet.iq(SUPPORT, 'get', xml('ping', { xmlns: 'urn:xmpp:ping' }));
    expect(after.attrs.type).toBe('result');
  });
});

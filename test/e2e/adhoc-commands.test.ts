/**
 * Issue #4: every operator command as an XEP-0050 ad-hoc command — the same answer as the `!`
 * text command, forms for the ones that take input, and the same refusals (role, ownership).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { xml } from '@xmpp/client';
import { startStack, SUPPORT, type Stack } from '../support/stack.js';
import { errorConditionOf, isIntro, isMessageFrom, type TestClient } from '../support/clients.js';
import { adhoc, adhocFields, adhocNote, NS_COMMANDS } from '../support/adhoc.js';

const bodyOf = (el: { getChildText(name: string): string | null }) => el.getChildText('body') ?? '';
const ticketOf = (masked: string) => Number(/^t(\d+)-/.exec(masked)?.[1]);

describe('every command as an ad-hoc command', () => {
  let stack: Stack;
  let alice: TestClient; // admin
  let bob: TestClient; // operator
  beforeAll(async () => {
    stack = await startStack();
    alice = await stack.operator('alice');
    await alice.subscribeTo(SUPPORT);
    bob = await stack.operator('bob', 'desk', 'away'); // takes no new customers until told
    await bob.subscribeTo(SUPPORT);
  });
  afterAll(async () => stack?.stop());

  it('answers the desk-wide commands exactly as their text form does', async () => {
    for (const name of ['help', 'queue', 'staff', 'stats', 'tickets']) {
      await alice.say(SUPPORT, `!${name}`);
      const text = bodyOf(await alice.next(isMessageFrom(SUPPORT), `!${name} in text`));
      const done = await adhoc(alice, SUPPORT, name, name === 'stats' ? { period: '' } : undefined);
      expect(done.getChild('command', NS_COMMANDS)?.attrs.status).toBe('completed');
      expect(adhocNote(done)).toBe(text);
    }
    // !stats takes a period: the ad-hoc form asks for it, and answers as the text form does.
    expect(adhocFields(await adhoc(alice, SUPPORT, 'stats'))).toContain('period');
    await alice.say(SUPPORT, '!stats 7d');
    const week = bodyOf(await alice.next(isMessageFrom(SUPPORT), '!stats 7d in text'));
    expect(week).toMatch(/^You \(\d{4}-\d\d-\d\d\.\.\d{4}-\d\d-\d\d\): /);
    expect(adhocNote(await adhoc(alice, SUPPORT, 'stats', { period: '7d' }))).toBe(week);
    expect(errorConditionOf(await adhoc(alice, SUPPORT, 'frobnicate'))).toBe('item-not-found');
  });

  it("in a chat: note and canned ask with a form; peek, info and ban run; the chat is the operator's own", async () => {
    const c = await stack.customer();
    await c.say(SUPPORT, 'ad-hoc please');
    const masked = String((await alice.next(isIntro, 'intro')).attrs.from);
    const ticket = ticketOf(masked);

    expect(adhocFields(await adhoc(alice, masked, 'note'))).toEqual(['text']);
    expect(adhocNote(await adhoc(alice, masked, 'note', { text: 'likes green tea' }))).toBe(`Note added to Customer #${ticket}.`);

    const cannedForm = await adhoc(alice, masked, 'canned');
    const choices = cannedForm
      .getChild('command', NS_COMMANDS)
      ?.getChild('x', 'jabber:x:data')
      ?.getChild('field')
      ?.getChildren('option')
      .map((o) => o.getChildText('value'));
    expect(choices).toEqual(expect.arrayContaining(['hello', 'restart']));
    await adhoc(alice, masked, 'canned', { name: 'hello' });
    await c.message(`${SUPPORT}/Alice`, `Hello Customer #${ticket}, this is Alice from Support.`);

    expect(adhocNote(await adhoc(alice, masked, 'peek'))).toBe(
      `Customer #${ticket} has no draft right now (sneak peek works when the site turned it on in the widget).`,
    );
    expect(adhocNote(await adhoc(alice, masked, 'info'))).toMatch(/\n- \S+ \S+ Alice: likes green tea$/);

    // Not bob's chat: every per-chat command is refused, as in text.
    for (const name of ['info', 'peek', 'end']) expect(errorConditionOf(await adhoc(bob, masked, name))).toBe('forbidden');

    expect(adhocFields(await adhoc(alice, masked, 'ban'))).toEqual(['reason']);
    const banned = await adhoc(alice, masked, 'ban', { reason: 'test ban' });
    expect(adhocNote(banned)).toBe(`Customer of ticket #${ticket} is blacklisted (test ban). !unban ${ticket} lifts it.`);
    await c.message(SUPPORT, 'This chat has ended.');
    expect(adhocNote(await adhoc(alice, SUPPORT, 'unban', { ticket: String(ticket) }))).toBe(
      `The customer of ticket #${ticket} may write again.`,
    );
    expect(errorConditionOf(await adhoc(alice, SUPPORT, 'unban', { ticket: String(ticket) }))).toBe('item-not-found');
    await c.stop();
  });

  it('supervisor tools as ad-hoc: monitor, whisper, takeover; an operator is refused', async () => {
    await alice.send(xml('presence', {}, xml('show', {}, 'away')));
    await bob.send(xml('presence'));
    const c = await stack.customer();
    await c.say(SUPPORT, 'who will help me?');
    const masked = String((await bob.next(isIntro, 'intro for bob')).attrs.from);
    const ticket = String(ticketOf(masked));

    for (const name of ['monitor', 'whisper', 'takeover']) expect(errorConditionOf(await adhoc(bob, SUPPORT, name))).toBe('forbidden');

    expect(adhocFields(await adhoc(alice, SUPPORT, 'whisper'))).toEqual(['ticket', 'text']);
    await adhoc(alice, SUPPORT, 'monitor', { ticket });
    await c.say(SUPPORT, 'hello?');
    await alice.message(masked, `[#${ticket} customer] hello?`);
    await adhoc(alice, SUPPORT, 'whisper', { ticket, text: 'ask for the order number' });
    await bob.message(masked, '[whisper from Alice] ask for the order number');
    await c.none((el) => bodyOf(el).includes('order number'), 'the whisper at the customer', 300);

    await adhoc(alice, SUPPORT, 'takeover', { ticket });
    await bob.message(masked, `Alice took over chat #${ticket}.`);
    await alice.message(masked, 'Transferred to you by Bob');
    await c.message(`${SUPPORT}/Alice`, 'Alice has taken over from Bob');
    await adhoc(alice, masked, 'end');
    await c.message(`${SUPPORT}/Alice`, 'Alice has ended the chat.');
    await c.stop();
  });
});

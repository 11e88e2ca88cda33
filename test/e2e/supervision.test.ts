/**
 * Issue #4 end to end: blacklist (!ban / !unban) and the supervisor's tools
 * (!monitor, !whisper, !takeover), with role checks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { xml } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import { isIntroOrHandover as isIntro } from '../support/clients.js';
import { startStack, SUPPORT, type Stack } from '../support/stack.js';
import type { TestClient } from '../support/clients.js';

const bodyOf = (el: Element) => el.getChildText('body') ?? '';

describe('blacklist and supervision', () => {
  let stack: Stack;
  let alice: TestClient;
  let carol: TestClient;
  beforeAll(async () => {
    stack = await startStack({
      operators: [
        { user: 'alice', name: 'Alice', maxChats: 3 },
        { user: 'carol', name: 'Carol', maxChats: 1, role: 'supervisor' },
      ],
    });
    alice = await stack.operator('alice');
    await alice.subscribeTo(SUPPORT);
    carol = await stack.operator('carol', 'desk', 'dnd'); // on duty, but takes no customers
    await carol.subscribeTo(SUPPORT);
  });
  afterAll(async () => stack?.stop());

  it('!ban ends the chat; from then on the desk looks closed to that customer; !unban lifts it', async () => {
    // An account customer (mallory), so the ban holds across visits.
    const mallory = await stack.operator('mallory', 'phone');
    await mallory.send(xml('presence', { to: SUPPORT }));
    await mallory.next((el) => el.name === 'presence' && el.attrs.from === SUPPORT && el.getChildText('show') === 'chat', 'open desk');
    await mallory.say(SUPPORT, 'buy my crypto');
    const intro = await alice.next(isIntro, 'intro');
    await alice.say(intro.attrs.from!, '!ban spam');
    expect(bodyOf(await alice.message(intro.attrs.from!, 'is blacklisted'))).toMatch(
      /^Customer of ticket #(\d+) is blacklisted \(spam\)\. !unban \1 lifts it\.$/,
    );
    await mallory.message(SUPPORT, 'This chat has ended.');
    const ticket = /#(\d+)/.exec(bodyOf(intro))![1]!;

    await mallory.send(xml('presence', { to: SUPPORT, type: 'probe' }));
    const seen = await mallory.next(
      (el) => el.name === 'presence' && el.attrs.from === SUPPORT && el.getChildText('show') === 'xa',
      'closed desk',
    );
    expect(seen.getChildText('status')).toBe('Closed');
    await mallory.say(SUPPORT, 'hello again');
    await mallory.message(SUPPORT, 'Sorry, this desk is closed right now.');
    await alice.none(isIntro, 'a banned customer queued', 600);
    expect((await stack.status()).desks.find((d) => d.desk === 'support')?.waiting).toBe(0);

    await alice.say(SUPPORT, `!unban ${ticket}`);
    await alice.message(SUPPORT, `The customer of ticket #${ticket} may write again.`);
    await mallory.say(SUPPORT, 'I promise to behave');
    const back = await alice.next(isIntro, 'unbanned customer queued again');
    expect(bodyOf(back)).toContain('I promise to behave');
    await alice.say(back.attrs.from!, '!end');
    await mallory.stop();
  });

  it('supervisor tools need the role; !monitor copies both sides, !whisper reaches the operator only, !takeover moves the chat', async () => {
    const c = await stack.customer();
    await c.say(SUPPORT, 'my order never arrived');
    const intro = await alice.next(isIntro, 'intro');
    const m = intro.attrs.from!;
    const ticket = /#(\d+)/.exec(bodyOf(intro))![1]!;

    await alice.say(SUPPORT, `!monitor ${ticket}`);
    expect(bodyOf(await alice.message(SUPPORT, '⚠'))).toBe('⚠ !monitor needs the supervisor role');
    await alice.say(SUPPORT, '!help');
    expect(bodyOf(await alice.message(SUPPORT, '!queue'))).not.toContain('!monitor');

    await carol.say(SUPPORT, `!monitor ${ticket}`);
    await carol.message(SUPPORT, `Monitoring ticket #${ticket}`);
    await c.say(SUPPORT, 'it was order 1234');
    await alice.message(m, 'it was order 1234');
    expect(bodyOf(await carol.message(m, 'order 1234'))).toBe(`[#${ticket} customer] it was order 1234`);
    await alice.say(m, 'Let me check that');
    await c.message(`${SUPPORT}/Alice`, 'Let me check that');
    expect(bodyOf(await carol.message(m, 'Let me check'))).toBe(`[#${ticket} Alice] Let me check that`);

    await carol.say(SUPPORT, `!whisper ${ticket} offer a refund`);
    expect(bodyOf(await alice.message(m, 'whisper'))).toBe('[whisper from Carol] offer a refund');
    await c.none((el) => /refund/.test(bodyOf(el)), 'whisper leaked to the customer', 500);

    // Carol is dnd and full-capacity rules do not apply to a takeover.
    await carol.say(SUPPORT, `!takeover ${ticket}`);
    await alice.message(m, `Carol took over chat #${ticket}.`);
    const handed = await carol.next(isIntro, 'takeover intro');
    expect(handed.attrs.from).toBe(m);
    await c.message(`${SUPPORT}/Carol`, 'Carol has taken over from Alice');
    await carol.say(m, 'Refund approved');
    await c.message(`${SUPPORT}/Carol`, 'Refund approved');
    await alice.say(m, 'am I still here?');
    const refused = await alice.next((el) => el.attrs.type === 'error' && el.attrs.from === m, 'forbidden for the old operator');
    expect(refused.getChild('error')?.getChild('forbidden', 'urn:ietf:params:xml:ns:xmpp-stanzas')).toBeDefined();
  });
});

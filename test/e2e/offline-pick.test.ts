/**
 * Operators online while the desk is closed by its schedule (issue 17) take no new customers but
 * can `!pick` and `!reply` left messages: `!pick` claims one (others see it taken in `!tickets`
 * and cannot pick it), `!reply` reaches the customer. Real Prosody and Redis.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { xml } from '@xmpp/client';
import { startStack, SUPPORT, type Stack } from '../support/stack.js';
import type { TestClient } from '../support/clients.js';
import { joinForm as form } from '../support/join-form.js';

const NS = 'urn:madoguchi:desk:0';
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
// Open only tomorrow 09:00–10:00 UTC: closed all of today, whenever the test runs.
const tomorrow = new Date(Date.now() + 86_400_000);
const hours = { timeZone: 'UTC', weekly: { [DAYS[tomorrow.getUTCDay()] as string]: [{ start: '09:00', end: '10:00' }] } };

describe('!pick and !reply of left messages while closed by schedule', () => {
  let stack: Stack;
  let alice: TestClient;
  let bob: TestClient;
  beforeAll(async () => {
    stack = await startStack({
      operators: [
        { user: 'alice', name: 'Alice', desks: ['support'], maxChats: 2, role: 'operator' },
        { user: 'bob', name: 'Bob', desks: ['support'], maxChats: 2, role: 'operator' },
      ],
      deskExtras: { support: { hours } },
    });
    [alice, bob] = await Promise.all([stack.operator('alice'), stack.operator('bob')]);
    await Promise.all([alice.subscribeTo(SUPPORT), bob.subscribeTo(SUPPORT)]);
  });
  afterAll(async () => stack?.stop());

  it('Alice picks a left message (Bob sees it taken and cannot pick it) and answers it; the customer gets the reply', async () => {
    expect((await stack.status()).desks.find((d) => d.desk === 'support')?.mode).toBe('closed'); // operators on, desk closed
    const c = await stack.customer();
    await c.iq(SUPPORT, 'set', xml('session', { xmlns: NS, token: 'pickTokenA-0123456789abcdef' }));
    const left = await c.iq(
      SUPPORT,
      'set',
      xml('leave-message', { xmlns: NS }, form({ name: 'Kenji', question: 'Can I change my order?' })),
    );
    const ticket = Number(left.getChild('offline', NS)?.attrs.ticket);
    expect(ticket).toBeGreaterThan(0);

    await alice.say(SUPPORT, `!pick ${ticket}`);
    await alice.message(SUPPORT, `#${ticket} is yours: answer it with !reply ${ticket} <text>.`);
    await bob.say(SUPPORT, '!tickets');
    const list = await bob.message(SUPPORT, /Open offline messages/);
    expect(list.getChildText('body')).toMatch(
      new RegExp(`#${ticket} Kenji — Support — .* ago — taken by Alice: “Can I change my order\\?”`),
    );
    await bob.say(SUPPORT, `!pick ${ticket}`);
    await bob.message(SUPPORT, `Cannot pick #${ticket}: Alice has taken it`);
    await alice.say(SUPPORT, `!pick ${ticket}`); // picking again is fine
    await alice.message(SUPPORT, `#${ticket} is yours`);

    await alice.say(SUPPORT, `!reply ${ticket} Yes, until it ships.`);
    await alice.message(SUPPORT, `Reply to #${ticket} sent`);
    const reply = await c.message(SUPPORT, `Reply to your message #${ticket} from Alice`);
    expect(reply.getChild('reply', NS)?.text()).toBe('Yes, until it ships.');
    await bob.say(SUPPORT, '!tickets');
    await bob.message(SUPPORT, 'No open offline messages.');
    // Still no new customers for the operators online: the desk stays closed.
    expect((await stack.status()).desks.find((d) => d.desk === 'support')?.mode).toBe('closed');
    await c.stop();
  });
});

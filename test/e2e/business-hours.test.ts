/**
 * Issue 17, the real stack: a desk closed by its business hours refuses new customers while an
 * operator is online (the closed reply, the message kept for !reply), says when it opens in its
 * presence and /api/status; `!closed on|off` and the ad-hoc `closed` switch a desk closed and back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Element } from '@xmpp/xml';
import { startStack, SALES, SUPPORT, XMPP_SERVER, type Stack } from '../support/stack.js';
import { xml } from '@xmpp/client';
import { errorConditionOf, isIntro, isMessageFrom, type TestClient } from '../support/clients.js';
import { adhoc, adhocNote } from '../support/adhoc.js';
import { joinForm as form } from '../support/join-form.js';

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
// Open only tomorrow 09:00–10:00 UTC: closed all of today, whenever the test runs.
const tomorrow = new Date(Date.now() + 86_400_000);
const opening = `${tomorrow.toISOString().slice(0, 10)}T09:00:00.000Z`;
const hours = { timeZone: 'UTC', weekly: { [DAYS[tomorrow.getUTCDay()] as string]: [{ start: '09:00', end: '10:00' }] } };
const bodyOf = (el: Element) => el.getChildText('body') ?? '';
const deskPresence = (from: string, show: string) => (el: Element) =>
  el.name === 'presence' && el.attrs.from === from && el.getChildText('show') === show;

describe('business hours on the real stack', () => {
  let stack: Stack;
  let alice: TestClient; // admin of both desks
  let subscribedPresence: Element; // the desk's presence that came with its approval
  beforeAll(async () => {
    stack = await startStack({
      operators: [{ user: 'alice', name: 'Alice', desks: ['support', 'sales'], maxChats: 2, role: 'admin' }],
      deskExtras: { support: { hours } },
    });
    alice = await stack.operator('alice');
    subscribedPresence = await alice.subscribeTo(SUPPORT);
    await alice.subscribeTo(SALES);
  });
  afterAll(async () => stack?.stop());

  it('closed by schedule with Alice online: presence and status say when it opens; a customer gets the closed reply, Alice no customer', async () => {
    // Prosody probes the desk once Alice approves its subscription, and the answer counts her. ejabberd
    // sends no such probe: the presence that came with the approval (before her own presence) is the newest.
    const p = XMPP_SERVER === 'prosody' ? await alice.next(deskPresence(SUPPORT, 'xa'), 'the desk presence, closed') : subscribedPresence;
    const status = `Closed — opens ${NAMES[tomorrow.getUTCDay()]} 09:00 (UTC)`;
    expect(p.getChildText('show')).toBe('xa');
    expect(p.getChildText('status')).toBe(status);
    expect(p.getChild('queue', 'urn:madoguchi:desk:0')?.attrs).toMatchObject({
      mode: 'closed',
      operators: XMPP_SERVER === 'prosody' ? '1' : '0',
      opens: opening,
    });
    const support = (await stack.status()).desks.find((d) => d.desk === 'support');
    expect(support).toMatchObject({ mode: 'closed', show: 'xa', status, opensAt: opening });

    const c = await stack.customer();
    await c.say(SUPPORT, 'Are you there?');
    const reply = await c.next(isMessageFrom(SUPPORT), 'the closed reply');
    expect(bodyOf(reply)).toMatch(
      /^Sorry, Support is closed right now \(Closed — opens \w+ 09:00 \(UTC\)\)\. Your message is kept as #(\d+); an operator will answer it here\.$/,
    );
    const ticket = /#(\d+)/.exec(bodyOf(reply))?.[1];
    await alice.none(isIntro, 'no new customer while closed', 1000);

    // Offline tickets stay workable: !reply reaches the customer over XMPP.
    await alice.say(SUPPORT, `!reply ${ticket} We open tomorrow at nine.`);
    expect(bodyOf(await c.next(isMessageFrom(SUPPORT, /We open tomorrow at nine/), 'the !reply'))).toContain(`#${ticket}`);
  });

  it('a widget join is refused with service-unavailable and the reason; leaving a message works', async () => {
    const NS = 'urn:madoguchi:desk:0';
    const c = await stack.customer();
    await c.iq(SUPPORT, 'set', xml('session', { xmlns: NS, token: 'hoursA-0123456789abcdefghij' }));
    const refused = await c.iq(SUPPORT, 'set', xml('join', { xmlns: NS }, form({ name: 'Yuki', question: 'Open?' })));
    expect(errorConditionOf(refused)).toBe('service-unavailable');
    expect(refused.getChild('error')?.getChildText('text', 'urn:ietf:params:xml:ns:xmpp-stanzas')).toMatch(
      /^Sorry, Support is closed right now \(Closed — opens \w+ 09:00 \(UTC\)\)\. Please leave a message\.$/,
    );
    const left = await c.iq(SUPPORT, 'set', xml('leave-message', { xmlns: NS }, form({ name: 'Yuki', question: 'Call me back' })));
    expect(left.attrs.type).toBe('result');
    await alice.none(isIntro, 'no new customer from the widget either', 500);
  });

  it('!closed on closes a desk without hours, the ad-hoc command opens it again', async () => {
    await alice.next(deskPresence(SALES, 'chat'), 'sales open');
    await alice.say(SALES, '!closed on');
    expect(bodyOf(await alice.next(isMessageFrom(SALES, /closed now/), 'the switch reply'))).toBe(
      'Sales is closed now: new customers leave a message; waiting ones are still served.',
    );
    expect((await alice.next(deskPresence(SALES, 'xa'), 'sales closed')).getChildText('status')).toBe('Closed');
    const c = await stack.customer();
    await c.say(SALES, 'Prices?');
    expect(bodyOf(await c.next(isMessageFrom(SALES), 'the closed reply'))).toMatch(/^Sorry, Sales is closed right now \(Closed\)\./);
    await alice.none(isIntro, 'no customer while switched closed', 500);

    // The switch is kept in Redis: after a kill -9 and a restart the desk is still closed.
    await stack.killComponent();
    await stack.startComponent();
    const sales = async () => (await stack.status()).desks.find((d) => d.desk === 'sales');
    await expect.poll(sales, { timeout: 10_000 }).toMatchObject({ mode: 'closed', status: 'Closed' });
    await alice.next(deskPresence(SALES, 'xa'), 'sales still closed after the restart');

    expect(adhocNote(await adhoc(alice, SALES, 'closed', { state: 'off' }))).toBe('Sales is open again.');
    await alice.next(deskPresence(SALES, 'chat'), 'sales open again');
    await c.say(SALES, 'Prices, please?');
    await alice.next(isIntro, 'the customer reaches Alice');
  });
});

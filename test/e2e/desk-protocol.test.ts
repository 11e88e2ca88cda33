/**
 * The widget's desk protocol (docs/widget-protocol.md) end to end, spoken by @xmpp/client
 * customers over WebSocket: session, join with a form, status pushes, acks and exactly-once
 * resends, sneak peek, reattach after a page load, grace expiry, end, rating, offline messages
 * and their replies — and the operator's side of each (!info, !peek, !tickets, !reply, !stats).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { xml } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import { startStack, SUPPORT, SALES, DOMAIN, XMPP_SERVER, type Stack } from '../support/stack.js';
import { errorConditionOf, isIntro, type TestClient } from '../support/clients.js';
import { adhoc, adhocFields, adhocNote } from '../support/adhoc.js';
import { joinForm as form } from '../support/join-form.js';

const NS = 'urn:madoguchi:desk:0';
const tokenA = 'tokenA-0123456789abcdefghij';
const tokenB = 'tokenB-0123456789abcdefghij';
const tokenC = 'tokenC-0123456789abcdefghij';
const tokenD = 'tokenD-0123456789abcdefghij';
const tokenE = 'tokenE-0123456789abcdefghij';
const tokenF = 'tokenF-0123456789abcdefghij';
const tokenG = 'tokenG-0123456789abcdefghij';
const tokenH = 'tokenH-0123456789abcdefghij';
const MASKED = new RegExp(`^t\\d+-[0-9a-z]{4}@${DOMAIN.replace('.', '\\.')}$`);

const session = (c: TestClient, token: string) => c.iq(SUPPORT, 'set', xml('session', { xmlns: NS, token }));
const statusOf = (el: Element) => el.getChild('status', NS);
const withOriginId = (id: string) => xml('origin-id', { xmlns: 'urn:xmpp:sid:0', id });
const presenceFrom = (jid: string) => (el: Element) => el.name === 'presence' && el.attrs.from === jid;
const isAck = (id: string) => (el: Element) => el.name === 'message' && el.getChild('ack', NS)?.attrs.id === id;

// A KNOWN FAILURE on ejabberd 23.01 (issue 19 §2 is open): run after the file's earlier tests, the desk's intro to
// the operator's bare JID reached only one of two devices (alone it reaches both). Not yet explained.
const BARE_JID_FANOUT_OPEN = XMPP_SERVER === 'ejabberd';
if (BARE_JID_FANOUT_OPEN) console.log('skipped on ejabberd: "a new chat on every device" is a known, unexplained failure there (issue 19)');

describe('desk protocol for widgets', () => {
  let stack: Stack;
  let alice: TestClient;
  let masked = '';
  let ticket = 0;

  beforeAll(async () => {
    stack = await startStack({ routing: { customerGraceSeconds: 2 } });
    alice = await stack.operator('alice');
    await alice.subscribeTo(SUPPORT);
  });
  afterAll(async () => stack?.stop());

  it('refuses requests without a session, and malformed tokens', async () => {
    const c = await stack.customer();
    const noSession = await c.iq(SUPPORT, 'set', xml('join', { xmlns: NS }, form({ name: 'Yuki', question: 'hi' })));
    expect(noSession.attrs.type).toBe('error');
    expect(errorConditionOf(noSession)).toBe('not-authorized');
    const badToken = await session(c, 'short');
    expect(errorConditionOf(badToken)).toBe('bad-request');
    const unknown = await c.iq(SUPPORT, 'get', xml('frobnicate', { xmlns: NS }));
    expect(errorConditionOf(unknown)).toBe('feature-not-implemented');
    await c.stop();
  });

  let c1: TestClient;
  it('joins with a pre-chat form: status pushes, the question first, the form in !info', async () => {
    c1 = await stack.customer();
    const s = await session(c1, tokenA);
    expect(s.attrs.type).toBe('result');
    expect(s.getChild('session', NS)?.getChildElements()).toEqual([]); // no live ticket, no replies

    const missing = await c1.iq(SUPPORT, 'set', xml('join', { xmlns: NS }, form({ name: 'Yuki' })));
    expect(errorConditionOf(missing)).toBe('not-acceptable');
    expect(missing.getChild('error')?.getChildText('text', 'urn:ietf:params:xml:ns:xmpp-stanzas')).toContain(
      '"Your question" (question) is required',
    );

    const joined = await c1.iq(
      SUPPORT,
      'set',
      xml(
        'join',
        { xmlns: NS, id: 'q-first' },
        form({
          name: 'Yuki',
          email: 'yuki@example.com',
          question: 'My printer is on fire',
          order: 'A-1234',
          language: 'ja',
          page_url: 'https://shop.example/cart',
        }),
        xml(
          'pages',
          {},
          xml('page', { url: 'https://shop.example/', title: 'Shop', at: new Date(Date.now() - 60_000).toISOString() }),
          xml('page', { url: 'https://shop.example/cart', title: 'Your cart', at: new Date().toISOString() }),
        ),
      ),
    );
    const st = statusOf(joined);
    expect(st?.attrs).toMatchObject({ state: 'waiting', position: '1' });
    ticket = Number(st?.attrs.ticket);
    expect(ticket).toBeGreaterThan(0);

    const queued = await c1.message(SUPPORT, `Your ticket is #${ticket}`);
    expect(statusOf(queued)?.attrs).toMatchObject({ ticket: String(ticket), state: 'waiting', position: '1' });
    const joinedMsg = await c1.message(`${SUPPORT}/Alice`, 'Alice has joined');
    expect(statusOf(joinedMsg)?.attrs).toMatchObject({ ticket: String(ticket), state: 'active', operator: 'Alice' });

    const intro = await alice.next(isIntro, 'intro');
    masked = String(intro.attrs.from);
    expect(masked).toMatch(MASKED);
    expect(intro.getChildText('body')).toContain(`ticket #${ticket} on Support from Yuki`);
    expect(intro.getChildText('body')).toContain('email: yuki@example.com · order: A-1234');
    await alice.message(masked, 'My printer is on fire');
    const here = await alice.next(presenceFrom(masked), 'the customer as a contact');
    expect(here.attrs.type).toBeUndefined();
    expect(here.getChildText('status')).toBe(`Ticket #${ticket} — Support`);
    expect(here.getChildText('nick', 'http://jabber.org/protocol/nick')).toBe('Yuki');

    await alice.say(masked, '!info');
    const info = (await alice.message(masked, `Ticket #${ticket}`)).getChildText('body') ?? '';
    expect(info).toContain('email: yuki@example.com');
    expect(info).toContain('order: A-1234');
    expect(info).toContain('Language: ja');
    expect(info).toMatch(/Pages viewed:\n.*Shop — https:\/\/shop\.example\/\n.*Your cart — https:\/\/shop\.example\/cart/);
    expect(info).toContain('Address: web widget (recognised by its token)');
    expect(info).not.toContain(c1.jid.split('/')[0]);

    // Joining again while live is idempotent: the same ticket, now active.
    const again = await c1.iq(SUPPORT, 'set', xml('join', { xmlns: NS }, form({ name: 'Yuki', question: 'again?' })));
    expect(statusOf(again)?.attrs).toMatchObject({ ticket: String(ticket), state: 'active', operator: 'Alice' });
    await alice.none((el) => el.name === 'message' && el.getChildText('body') === 'again?', 'a second question', 300);
  });

  it('acknowledges a message with its origin-id and relays a resend only once', async () => {
    await c1.say(SUPPORT, 'first try', [withOriginId('o-1')]);
    await c1.next(isAck('o-1'), 'ack of o-1');
    await alice.message(masked, 'first try');
    await c1.say(SUPPORT, 'first try', [withOriginId('o-1')]); // as after a reconnect
    await c1.next(isAck('o-1'), 'second ack of o-1');
    await c1.say(SUPPORT, 'next one', [withOriginId('o-2')]);
    const next = await alice.message(masked, 'next one');
    expect(alice.inbox.filter((el) => el.getChildText('body') === 'first try')).toEqual([]);
    expect(next.getChild('origin-id', 'urn:xmpp:sid:0')?.attrs.id).toBe('o-2');
  });

  it('relays the sneak peek (XEP-0301) and !peek shows the draft', async () => {
    await c1.send(
      xml(
        'message',
        { to: SUPPORT, type: 'chat' },
        xml('rtt', { xmlns: 'urn:xmpp:rtt:0', seq: '1', event: 'reset' }, xml('t', {}, 'my toner is emp')),
      ),
    );
    const rtt = await alice.next(
      (el) => el.name === 'message' && el.attrs.from === masked && el.getChild('rtt', 'urn:xmpp:rtt:0') !== undefined,
      'rtt',
    );
    expect(rtt.getChild('rtt', 'urn:xmpp:rtt:0')?.getChildText('t')).toBe('my toner is emp');
    await c1.send(xml('message', { to: SUPPORT, type: 'chat' }, xml('rtt', { xmlns: 'urn:xmpp:rtt:0', seq: '2' }, xml('t', {}, 'ty'))));
    await alice.next((el) => el.name === 'message' && el.getChild('rtt', 'urn:xmpp:rtt:0') !== undefined, 'second rtt');
    await alice.say(masked, '!peek');
    await alice.message(masked, 'Yuki is typing: “my toner is empty”');
  });

  let c1b: TestClient;
  it('keeps the chat across a page load: the new JID reattaches with the token', async () => {
    await c1.stop(); // the page navigates away
    const away = await alice.next(presenceFrom(masked), 'the customer reconnecting');
    expect(away.getChildText('show')).toBe('away');
    await alice.none((el) => /left|ended/.test(el.getChildText('body') ?? ''), '"customer left" during a page load', 500);
    c1b = await stack.customer();
    const s = await session(c1b, tokenA);
    expect(statusOf(s.getChild('session', NS) as Element)?.attrs).toMatchObject({
      ticket: String(ticket),
      state: 'active',
      operator: 'Alice',
    });
    expect((await alice.next(presenceFrom(masked), 'the customer back')).getChildText('show')).toBeNull();
    await alice.say(masked, 'still there?');
    await c1b.message(`${SUPPORT}/Alice`, 'still there?');
    await c1b.say(SUPPORT, 'yes, new page');
    await alice.message(masked, 'yes, new page');
  });

  it('lets the customer end the chat and rate it; ratings and first response count in !stats', async () => {
    const ended = await c1b.iq(SUPPORT, 'set', xml('end', { xmlns: NS }));
    expect(statusOf(ended)?.attrs).toMatchObject({ ticket: String(ticket), state: 'ended', reason: 'customer' });
    await alice.message(masked, `The customer ended the chat. Chat #${ticket} ended.`);
    expect((await alice.next(presenceFrom(masked), 'the customer gone')).attrs.type).toBe('unavailable');

    expect(errorConditionOf(await c1b.iq(SUPPORT, 'set', xml('rate', { xmlns: NS, ticket: String(ticket), score: '9' })))).toBe(
      'bad-request',
    );
    expect(errorConditionOf(await c1b.iq(SUPPORT, 'set', xml('rate', { xmlns: NS, ticket: String(ticket + 1000), score: '4' })))).toBe(
      'item-not-found',
    );
    const rated = await c1b.iq(SUPPORT, 'set', xml('rate', { xmlns: NS, ticket: String(ticket), score: '4' }, 'Quick and kind'));
    expect(rated.attrs.type).toBe('result');

    // The customer's transcript, from the evidence log: what they wrote and were told, each once.
    const tr = await c1b.iq(SUPPORT, 'get', xml('transcript', { xmlns: NS, ticket: String(ticket) }));
    const lines =
      tr
        .getChild('transcript', NS)
        ?.getChildren('line')
        .map((l) => `${l.attrs.from}${l.attrs.name ? `/${l.attrs.name}` : ''}: ${l.getText()}`) ?? [];
    expect(tr.getChild('transcript', NS)?.getChildren('line')[0]?.attrs.id).toBe('q-first'); // the widget's id of the question
    expect(lines).toEqual([
      'customer: My printer is on fire',
      expect.stringMatching(/^desk: Welcome to Support\. Your ticket is #\d+/),
      'desk: Alice has joined',
      'customer: first try',
      'customer: next one',
      'operator/Alice: still there?',
      'customer: yes, new page',
    ]);
    const other = await c1b.iq(SUPPORT, 'get', xml('transcript', { xmlns: NS, ticket: String(ticket + 1) }));
    expect(errorConditionOf(other)).toBe('item-not-found');

    await alice.say(SUPPORT, '!stats');
    const stats = (await alice.message(SUPPORT, /You \(/)).getChildText('body') ?? '';
    expect(stats).toMatch(/You \([^)]*\): 1 chats, .*first response \d+ s.*rating 4\.0 \(1\)/);
    await c1b.stop();
  });

  it('ends a detached chat when the customer does not come back within the grace period', async () => {
    const c2 = await stack.customer();
    await session(c2, tokenB);
    const joined = await c2.iq(SUPPORT, 'set', xml('join', { xmlns: NS }, form({ name: 'Ken', question: 'quick one' })));
    const t2 = statusOf(joined)?.attrs.ticket;
    const intro = await alice.next(isIntro, 'intro of Ken');
    await c2.stop();
    await alice.message(String(intro.attrs.from), `The customer left. Chat #${t2} ended.`, 8000);
  });

  it('takes a message while closed; !tickets lists it; !reply reaches the customer now and on the next visit', async () => {
    const c3 = await stack.customer();
    await session(c3, tokenC);
    const left = await c3.iq(
      SUPPORT,
      'set',
      xml('leave-message', { xmlns: NS }, form({ name: 'Mei', email: 'mei@example.com', question: 'Please call me back' })),
    );
    const offline = Number(left.getChild('offline', NS)?.attrs.ticket);
    expect(offline).toBeGreaterThan(ticket);
    await alice.none(isIntro, 'an intro for an offline message', 300);

    await alice.say(SUPPORT, '!tickets');
    const list = (await alice.message(SUPPORT, `#${offline}`)).getChildText('body') ?? '';
    expect(list).toContain('Mei');
    expect(list).toContain('mei@example.com');
    expect(list).toContain('Please call me back');

    await alice.say(SUPPORT, `!reply ${offline} We will call you at 5`);
    await alice.message(SUPPORT, `Reply to #${offline} sent`);
    const now = await c3.message(SUPPORT, `Reply to your message #${offline} from Alice: We will call you at 5`);
    expect(now.getChild('reply', NS)?.attrs).toMatchObject({ ticket: String(offline), operator: 'Alice' });

    await alice.say(SUPPORT, '!tickets');
    expect((await alice.message(SUPPORT, /offline messages|No open/)).getChildText('body')).not.toContain(`#${offline}`);
    await c3.stop();

    const nextVisit = await stack.customer();
    const s = await session(nextVisit, tokenC);
    const replies = s.getChild('session', NS)?.getChildren('reply') ?? [];
    expect(replies.map((r) => [r.attrs.ticket, r.attrs.operator, r.getText()])).toEqual([
      [String(offline), 'Alice', 'We will call you at 5'],
    ]);
    await nextVisit.stop();
  });

  it('offers !tickets and !reply as ad-hoc commands with a form, and refuses what is not yours', async () => {
    const bob = await stack.operator('bob'); // serves support only
    const c4 = await stack.customer();
    await session(c4, tokenD);
    const left = await c4.iq(SALES, 'set', xml('leave-message', { xmlns: NS }, form({ name: 'Sora', question: 'Do you ship to Osaka?' })));
    const offline = left.getChild('offline', NS)?.attrs.ticket as string;

    expect(adhocNote(await adhoc(alice, SUPPORT, 'tickets'))).toContain(`#${offline} Sora — Sales`);
    await bob.say(SUPPORT, '!tickets');
    expect((await bob.message(SUPPORT, /offline messages/)).getChildText('body')).toBe('No open offline messages.');
    await bob.say(SUPPORT, `!reply ${offline} hello`);
    expect((await bob.message(SUPPORT, '⚠')).getChildText('body')).toBe(`⚠ Ticket #${offline} is at Sales, not one of your desks`);
    await alice.say(SUPPORT, '!reply soon');
    expect((await alice.message(SUPPORT, '⚠')).getChildText('body')).toBe('⚠ Usage: !reply <ticket> <text>');

    expect(adhocFields(await adhoc(alice, SUPPORT, 'reply'))).toEqual(['ticket', 'text']);
    const unknown = await adhoc(alice, SUPPORT, 'reply', { ticket: '99999', text: 'hi' });
    expect(errorConditionOf(unknown)).toBe('item-not-found');
    const done = await adhoc(alice, SUPPORT, 'reply', { ticket: offline, text: 'Yes, in two days.' });
    expect(adhocNote(done)).toContain(`Reply to #${offline} sent`);
    await c4.message(SALES, `Reply to your message #${offline} from Alice: Yes, in two days.`);
    await Promise.all([c4.stop(), bob.stop()]);
  });

  it('!ban on a widget customer follows the token: the next visit sees the desk closed and cannot join', async () => {
    const c5 = await stack.customer();
    await session(c5, tokenE);
    await c5.iq(SUPPORT, 'set', xml('join', { xmlns: NS }, form({ name: 'Troll', question: 'spam spam' })));
    const intro = await alice.next(isIntro, 'intro of the troll');
    await alice.say(String(intro.attrs.from), '!ban spam');
    const ended = await c5.message(SUPPORT, 'This chat has ended.');
    expect(statusOf(ended)?.attrs).toMatchObject({ state: 'ended', reason: 'banned' });
    await c5.stop();

    const again = await stack.customer(); // a new anonymous JID, the same browser
    await session(again, tokenE);
    await again.send(xml('presence', { to: SUPPORT }));
    const seen = await again.next((el) => el.name === 'presence' && el.attrs.from === SUPPORT, 'desk presence');
    expect(seen.getChildText('show')).toBe('xa');
    const refused = await again.iq(SUPPORT, 'set', xml('join', { xmlns: NS }, form({ name: 'Troll', question: 'let me in' })));
    expect(errorConditionOf(refused)).toBe('service-unavailable');
    const message = await again.iq(SUPPORT, 'set', xml('leave-message', { xmlns: NS }, form({ name: 'Troll', question: 'let me in' })));
    expect(errorConditionOf(message)).toBe('service-unavailable');
    await again.stop();
  });

  it.skipIf(BARE_JID_FANOUT_OPEN)('shows a new chat on every device of the operator (messages to the bare JID)', async () => {
    const phone = await stack.operator('alice', 'phone');
    const c6 = await stack.customer();
    await session(c6, tokenF);
    await c6.iq(SUPPORT, 'set', xml('join', { xmlns: NS }, form({ name: 'Aoi', question: 'two devices?' })));
    const onDesk = await alice.next(isIntro, 'intro on the desktop');
    const onPhone = await phone.next(isIntro, 'intro on the phone');
    expect(onPhone.attrs.from).toBe(onDesk.attrs.from);
    expect(onPhone.getChildText('body')).toBe(onDesk.getChildText('body'));
    await Promise.all([c6.stop(), phone.stop()]);
  });

  it('bounds the messages one customer may leave', async () => {
    const c7 = await stack.customer();
    await session(c7, tokenG);
    for (let i = 0; i < 20; i++) {
      const ok = await c7.iq(SALES, 'set', xml('leave-message', { xmlns: NS }, form({ name: 'Loop', question: `message ${i}` })));
      expect(ok.attrs.type).toBe('result');
    }
    const refused = await c7.iq(SALES, 'set', xml('leave-message', { xmlns: NS }, form({ name: 'Loop', question: 'one more' })));
    expect(errorConditionOf(refused)).toBe('policy-violation');
    expect(refused.getChild('error')?.attrs.type).toBe('wait');
    await c7.stop();
  });

  it('keeps the chat in another tab of the same browser when one tab closes', async () => {
    const tab1 = await stack.customer();
    await session(tab1, tokenH);
    await tab1.send(xml('presence', { to: SUPPORT })); // as the widget does: the desk learns when a tab closes
    await tab1.iq(SUPPORT, 'set', xml('join', { xmlns: NS }, form({ name: 'Rin', question: 'two tabs' })));
    const m = String((await alice.next(isIntro, 'intro of Rin')).attrs.from);
    const tab2 = await stack.customer(); // the shop opened in a second tab: the chat follows it
    expect(statusOf((await session(tab2, tokenH)).getChild('session', NS) as Element)?.attrs).toMatchObject({
      state: 'active',
      operator: 'Alice',
    });
    await tab2.send(xml('presence', { to: SUPPORT }));
    await tab2.stop();
    await alice.none(
      (el) => el.name === 'presence' && el.attrs.from === m && el.getChildText('show') === 'away',
      'a "reconnecting" customer',
      500,
    );
    await alice.say(m, 'are you still there?');
    await tab1.message(`${SUPPORT}/Alice`, 'are you still there?');
    await tab1.say(SUPPORT, 'yes, in the first tab');
    await alice.message(m, 'yes, in the first tab');
    await tab1.stop();
    await alice.message(m, 'The customer left. Chat #', 8000); // no tab left: the grace period runs out
  });
});

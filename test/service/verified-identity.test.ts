/**
 * Issue 20, verified identity, in-process (desk-harness.ts, real Redis): a session with an
 * identity the site signed binds the user id's key, so earlier visits, notes and a ban follow
 * the person to another device; a wrong or missing signature leaves the visitor anonymous, shown
 * as unverified, and never hands it the verified customer's history. And the stanza of `!sticker`.
 */
import { describe, expect, it } from 'vitest';
import { xml, type Element } from '../../component/protocol/xml.js';
import { signIdentity } from '../../src/customer/identity.js';
import { ALICE, SUPPORT, bodyOf, isTo, message, presence, useDesk, type DeskUnderTest } from './desk-harness.js';

const NS_DESK = 'urn:madoguchi:desk:0';
const SECRET = 'test-identity-secret-0123456789';
const desks = useDesk();
let ids = 0;

const identityEl = (claim: { userId: string; name?: string; email?: string; signature?: string }) =>
  xml('identity', {
    'user-id': claim.userId,
    ...(claim.name ? { name: claim.name } : {}),
    ...(claim.email ? { email: claim.email } : {}),
    ...(claim.signature ? { signature: claim.signature } : {}),
  });

async function iq(d: DeskUnderTest, from: string, payload: Element, type = 'set'): Promise<Element> {
  const id = `iq${++ids}`;
  d.receive(xml('iq', { from, to: SUPPORT, type, id }, payload));
  return d.next((el) => el.name === 'iq' && el.attrs.id === id, `the answer to ${payload.name}`);
}
const session = (d: DeskUnderTest, from: string, token: string, claim?: Parameters<typeof identityEl>[0]) =>
  iq(d, from, xml('session', { xmlns: NS_DESK, token }, ...(claim ? [identityEl(claim)] : [])));
function join(d: DeskUnderTest, from: string, fields: Record<string, string>, claim?: Parameters<typeof identityEl>[0]) {
  const form = xml(
    'x',
    { xmlns: 'jabber:x:data', type: 'submit' },
    xml('field', { var: 'FORM_TYPE', type: 'hidden' }, xml('value', {}, 'urn:madoguchi:desk:0#join')),
    ...Object.entries(fields).map(([k, v]) => xml('field', { var: k }, xml('value', {}, v))),
  );
  return iq(d, from, xml('join', { xmlns: NS_DESK }, ...(claim ? [identityEl(claim)] : []), form));
}
const conditionOf = (el: Element) => el.getChild('error')?.getChildElements()[0]?.name;

/** Alice takes the chat; returns its masked JID. */
async function taken(d: DeskUnderTest, ticket: number): Promise<string> {
  const intro = await d.next(isTo('alice@localhost', new RegExp(`New chat — ticket #${ticket}\\b`)), `the intro of #${ticket}`);
  return String(intro.attrs.from);
}
async function command(d: DeskUnderTest, masked: string, body: string, reply: RegExp): Promise<string> {
  d.receive(message(ALICE, masked, body));
  return bodyOf(await d.next((el) => el.attrs.from === masked && el.attrs.to === ALICE && reply.test(bodyOf(el)), body));
}

const yuki = { userId: 'u-42', name: 'Yuki', email: 'yuki@example.com' };
const signed = { ...yuki, signature: signIdentity(SECRET, yuki.userId, yuki.email) };
const token = (c: string) => c.repeat(24);

describe('verified identity (issue 20)', () => {
  it('follows a signed user id across devices; a wrong or missing signature is an anonymous visitor', async () => {
    const d = desks.open({ identity: { secret: SECRET } });
    d.receive(presence(ALICE, SUPPORT));

    // Device A: signed; the form is skipped (no name given, none required of a verified customer).
    const A = 'a1@guest.localhost/web';
    expect((await session(d, A, token('a'), signed)).getChild('session', NS_DESK)?.attrs.identity).toBe('verified');
    expect((await join(d, A, { question: 'Where is my order?' }, signed)).attrs.type).toBe('result');
    const first = await taken(d, 1);
    expect(await command(d, first, '!info', /^Ticket #1/)).toMatch(
      /^Ticket #1 — Yuki \(verified\) — desk Support[\s\S]*Identity: verified — user id u-42 \(“Yuki”, yuki@example\.com\), signed by the site/,
    );
    await command(d, first, '!note prefers email', /Note added/);
    d.receive(message(ALICE, first, '!end'));
    await d.next(isTo(A, /ended/i), 'the end of #1');

    // Device B, another token: the same signed id is the same customer.
    const B = 'b2@guest.localhost/web';
    await session(d, B, token('b'), signed);
    await join(d, B, { question: 'Me again' }, signed);
    const second = await taken(d, 2);
    const info = await command(d, second, '!info', /^Ticket #2/);
    expect(info).toMatch(/Previous visits:\n- #1 \d{4}-\d\d-\d\d Support: “Where is my order\?”/);
    expect(info).toMatch(/Notes:\n- .*Alice: prefers email/);
    expect(info).toContain('Address: web widget, a user of the site verified by its signature');
    d.receive(message(ALICE, second, '!end'));
    await d.next(isTo(B, /ended/i), 'the end of #2');

    // Device C claims the same user id with a wrong signature, device D with none.
    for (const [jid, claim, why, n] of [
      [
        'c3@guest.localhost/web',
        { ...yuki, signature: signIdentity('not-the-desk-secret-0000', yuki.userId, yuki.email) },
        'wrong signature',
        3,
      ],
      ['d4@guest.localhost/web', yuki, 'no signature', 4],
    ] as const) {
      const res = await session(d, jid, token(String(n)), claim);
      expect(res.getChild('session', NS_DESK)?.attrs.identity).toBe('unverified');
      expect(res.getChild('session', NS_DESK)?.getChild('status')).toBeUndefined(); // no live ticket of Yuki's
      // Not verified: the form's required fields stand (the claimed name fills the name).
      expect(conditionOf(await join(d, jid, {}, claim))).toBe('not-acceptable');
      await join(d, jid, { question: 'Give me her orders' }, claim);
      const masked = await taken(d, n);
      const text = await command(d, masked, '!info', new RegExp(`^Ticket #${n}`));
      expect(text).toMatch(new RegExp(`^Ticket #${n} — Yuki \\(unverified\\) — desk Support`));
      expect(text).toContain(
        `Identity: unverified — claims user id u-42 (“Yuki”, yuki@example.com); ${why}, treated as an anonymous visitor`,
      );
      expect(text).toContain('Address: web widget (recognised by its token)');
      expect(text).toContain('Previous visits: none');
      expect(text).toContain('Notes: none');
      expect(text).not.toContain('prefers email');
      // Nor Yuki's transcripts (item-not-found, as for any ticket not one's own).
      const tr = await iq(d, jid, xml('transcript', { xmlns: NS_DESK, ticket: '1' }), 'get');
      expect(conditionOf(tr)).toBe('item-not-found');
      d.receive(message(ALICE, masked, '!end'));
      await d.next(isTo(jid, /ended/i), `the end of #${n}`);
    }
  });

  it('!ban follows the verified id to a new device; a malformed identity is a bad request', async () => {
    const d = desks.open({ identity: { secret: SECRET } });
    d.receive(presence(ALICE, SUPPORT));
    const A = 'a1@guest.localhost/web';
    await session(d, A, token('a'), signed);
    await join(d, A, { question: 'Hello' }, signed);
    const masked = await taken(d, 1);
    await command(d, masked, '!ban spam', /blacklisted/);

    const B = 'b2@guest.localhost/web';
    await session(d, B, token('b'), signed);
    const refused = await join(d, B, { question: 'Let me in' }, signed);
    expect(conditionOf(refused)).toBe('service-unavailable');
    // The same person without the identity is a new anonymous visitor (as with a cleared browser).
    const C = 'c3@guest.localhost/web';
    await session(d, C, token('c'));
    expect((await join(d, C, { name: 'Anon', question: 'Hi' })).attrs.type).toBe('result');

    expect(conditionOf(await session(d, 'e5@guest.localhost/web', token('e'), { userId: '' }))).toBe('bad-request');
    expect(conditionOf(await session(d, 'e5@guest.localhost/web', token('e'), { userId: 'x'.repeat(300) }))).toBe('bad-request');
  });

  it('a desk with its own secret: the shared secret does not verify there, and its user ids are its own', async () => {
    const d = desks.open({ identity: { secret: SECRET, desks: { sales: 'sales-own-secret-0123456789' } } });
    const SALES = SUPPORT.replace('support@', 'sales@');
    const id = `iq${++ids}`;
    d.receive(
      xml(
        'iq',
        { from: 'f6@guest.localhost/web', to: SALES, type: 'set', id },
        xml('session', { xmlns: NS_DESK, token: token('f') }, identityEl(signed)),
      ),
    );
    const res = await d.next((el) => el.attrs.id === id, 'the sales session');
    expect(res.getChild('session', NS_DESK)?.attrs.identity).toBe('unverified');
  });

  it('!sticker sends the URL as body and as an XEP-0066 link with the alt text, from the operator’s name at the desk', async () => {
    const d = desks.open({
      stickers: {
        baseUrl: 'https://desk.example/portal',
        packs: [{ id: 'dev', name: 'Dev', stickers: [{ name: 'thanks', file: 'thanks.svg', alt: 'Thank you!' }] }],
      },
    });
    d.receive(presence(ALICE, SUPPORT));
    const A = 'a1@guest.localhost/web';
    await session(d, A, token('a'));
    await join(d, A, { name: 'Kim', question: 'Hi' });
    const masked = await taken(d, 1);
    expect(await command(d, masked, '!sticker', /^Dev:/)).toBe('Dev: thanks (Thank you!)\nSend one with !sticker <name>.');
    d.receive(message(ALICE, masked, '!sticker thanks'));
    const url = 'https://desk.example/portal/stickers/dev/thanks.svg';
    const sticker = await d.next((el) => el.attrs.to === A && el.getChild('x', 'jabber:x:oob') !== undefined, 'the sticker');
    expect(sticker.attrs.from).toBe(`${SUPPORT}/Alice`);
    expect(bodyOf(sticker)).toBe(url);
    expect(sticker.getChild('x', 'jabber:x:oob')?.getChildText('url')).toBe(url);
    expect(sticker.getChild('x', 'jabber:x:oob')?.getChildText('desc')).toBe('Thank you!');
    expect(await command(d, masked, '!sticker nope', /^⚠/)).toMatch(/No sticker "nope"/);
  });

  it('an identity given only with the join (identified after the session) binds the user id there', async () => {
    const d = desks.open({ identity: { secret: SECRET } });
    d.receive(presence(ALICE, SUPPORT));
    const A = 'a1@guest.localhost/web';
    expect((await session(d, A, token('a'))).getChild('session', NS_DESK)?.attrs.identity).toBeUndefined();
    await join(d, A, { question: 'Logged in just now' }, signed);
    const first = await taken(d, 1);
    expect(await command(d, first, '!info', /^Ticket #1/)).toContain('Identity: verified — user id u-42');
    d.receive(message(A, SUPPORT, 'still me')); // the JID now speaks for the user id
    await d.next(isTo('alice@localhost', /^still me$/), 'the next message relayed');
    d.receive(message(ALICE, first, '!end'));
    await d.next(isTo(A, /ended/i), 'the end of #1');
    const B = 'b2@guest.localhost/web';
    await session(d, B, token('b'), signed);
    await join(d, B, { question: 'From the other device' }, signed);
    expect(await command(d, await taken(d, 2), '!info', /^Ticket #2/)).toMatch(/Previous visits:\n- #1 .*Logged in just now/);
  });
});

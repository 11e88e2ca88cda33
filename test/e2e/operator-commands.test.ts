/**
 * Issue #4 end to end (first part): the operator's commands as `!` chat messages and as
 * XEP-0050 ad-hoc commands, with their refusals.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { xml } from '@xmpp/client';
import { isIntroOrHandover as isIntro } from '../support/clients.js';
import { startStack, SUPPORT, SALES, type Stack } from '../support/stack.js';
import type { TestClient } from '../support/clients.js';
import { adhoc, adhocNote, NS_COMMANDS } from '../support/adhoc.js';

const note = adhocNote;

describe('operator commands', () => {
  let stack: Stack;
  let alice: TestClient;
  let bob: TestClient;
  let carol: TestClient;
  beforeAll(async () => {
    stack = await startStack({
      operators: [
        { user: 'alice', name: 'Alice', desks: ['support', 'sales'], maxChats: 1, maxChatsLimit: 2 },
        { user: 'bob', name: 'Bob', maxChats: 1 },
        { user: 'carol', name: 'Carol', maxChats: 1, role: 'supervisor' },
      ],
    });
    alice = await stack.operator('alice', 'desk', 'away'); // away: customers wait until picked
    await alice.subscribeTo(SUPPORT);
    bob = await stack.operator('bob', 'desk', 'dnd');
    await bob.subscribeTo(SUPPORT);
    carol = await stack.operator('carol', 'desk', 'xa');
    await carol.subscribeTo(SUPPORT);
  });
  afterAll(async () => stack?.stop());

  it('!queue lists waiting customers; !pick takes one out of order; ad-hoc lists commands', async () => {
    const c1 = await stack.customer();
    await c1.say(SUPPORT, 'printer jammed');
    await c1.message(SUPPORT, 'number 1 in line');
    const c2 = await stack.customer();
    await c2.say(SUPPORT, 'invoice question');
    await c2.message(SUPPORT, 'number 2 in line');

    await alice.say(SUPPORT, '!queue');
    const list = (await alice.message(SUPPORT, 'Take one with !pick')).getChildText('body') ?? '';
    expect(list).toMatch(/1\. #1 Customer #1 — support — waiting \d+ s — “printer jammed”/);
    expect(list).toMatch(/2\. #2 Customer #2 — support — waiting \d+ s — “invoice question”/);

    // Away: no automatic customers, but a manual pick works, out of order, within capacity.
    await alice.say(SUPPORT, '!pick 2');
    const picked = await alice.next(isIntro, 'picked customer');
    expect(picked.getChildText('body')).toContain('invoice question');
    await c2.message(`${SUPPORT}/Alice`, 'Alice has joined');
    await alice.say(SUPPORT, '!pick 1');
    expect((await alice.message(SUPPORT, '⚠')).getChildText('body')).toBe('⚠ Cannot pick #1: you are at your capacity');
    await alice.say(SUPPORT, '!pick 42');
    expect((await alice.message(SUPPORT, '⚠')).getChildText('body')).toBe('⚠ No ticket #42');
    await alice.say(picked.attrs.from!, '!end');
    await alice.send(xml('presence')); // available: the dispatcher connects the remaining customer
    const next = await alice.next(isIntro, 'first customer dispatched');
    expect(next.getChildText('body')).toContain('printer jammed');

    const items = await alice.iq(SUPPORT, 'get', xml('query', { xmlns: 'http://jabber.org/protocol/disco#items', node: NS_COMMANDS }));
    const nodes = items
      .getChild('query')
      ?.getChildren('item')
      .map((i) => i.attrs.node);
    expect(nodes).toEqual(expect.arrayContaining(['help', 'queue', 'pick', 'staff', 'max', 'stats', 'tickets', 'reply']));
    expect(nodes).not.toContain('end'); // per-chat commands live on the masked JID
    await alice.say(next.attrs.from!, '!end');
    await Promise.all([c1.stop(), c2.stop()]);
  });

  it('!staff and !max, as text and ad-hoc, with bad arguments refused', async () => {
    await alice.say(SUPPORT, '!staff');
    const staff = (await alice.message(SUPPORT, 'Alice —')).getChildText('body') ?? '';
    expect(staff).toContain('Alice — available — 0/1');
    expect(staff).toContain('Bob — dnd — 0/1');
    expect(staff).toContain('Carol — xa — 0/1');

    await alice.say(SUPPORT, '!max 12');
    expect((await alice.message(SUPPORT, '⚠')).getChildText('body')).toBe('⚠ Usage: !max <1-9>');
    await alice.say(SUPPORT, '!max 3');
    expect((await alice.message(SUPPORT, '⚠')).getChildText('body')).toBe('⚠ Your administrator allows at most 2 chats at once');
    const form = await adhoc(alice, SUPPORT, 'max');
    expect(form.getChild('command', NS_COMMANDS)?.attrs.status).toBe('executing');
    expect(
      form
        .getChild('command', NS_COMMANDS)
        ?.getChild('x', 'jabber:x:data')
        ?.getChildren('field')
        .map((f) => f.attrs.var),
    ).toEqual(['max']);
    const done = await adhoc(alice, SUPPORT, 'max', { max: '2' });
    expect(note(done)).toBe('You now take up to 2 chats at once.');
    await alice.say(SUPPORT, '!staff');
    expect((await alice.message(SUPPORT, 'Alice —')).getChildText('body')).toContain('Alice — available — 0/2');
  });

  it('in a chat: !info, !note, !canned; transfer to a full operator refused, to a free one accepted', async () => {
    const c = await stack.customer();
    await c.say(SUPPORT, 'my account is locked');
    const intro = await alice.next(isIntro, 'intro');
    const m = intro.attrs.from!;
    await alice.say(m, '!note VIP customer, be gentle');
    await alice.message(m, 'Note added to Customer #');
    const info = await adhoc(alice, m, 'info');
    expect(note(info)).toContain('First message: “my account is locked”');
    expect(note(info)).toContain('VIP customer, be gentle');
    expect(note(info)).not.toContain('@guest.localhost'); // never the real address

    await alice.say(m, '!canned hello');
    const canned = await c.message(`${SUPPORT}/Alice`, 'this is Alice from Support');
    expect(canned.getChildText('body')).toMatch(/^Hello Customer #\d+, this is Alice from Support\. How can I help\?$/);

    await alice.say(m, '!transfer bob');
    expect((await alice.message(m, '⚠')).getChildText('body')).toBe('⚠ Cannot transfer: Bob is not taking customers now');
    await bob.send(xml('presence'));
    const fill = await stack.customer(); // fills bob (capacity 1)
    await fill.say(SUPPORT, 'filler');
    await bob.next(isIntro, 'bob gets the filler');
    await alice.say(m, '!transfer Bob');
    expect((await alice.message(m, '⚠')).getChildText('body')).toBe('⚠ Cannot transfer: Bob has no free slot');

    await carol.send(xml('presence'));
    const done = await adhoc(alice, m, 'transfer', { target: 'Carol' });
    expect(note(done)).toMatch(/^Chat #\d+ transferred to Carol\.$/);
    const handed = await carol.next(isIntro, 'transfer intro');
    expect(handed.attrs.from).toBe(m); // same masked JID
    expect(handed.getChildText('body')).toContain('Transferred to you by Alice');
    expect(handed.getChildText('body')).toContain('VIP customer, be gentle');
    const context = (await carol.message(m, 'Last messages of chat #')).getChildText('body') ?? '';
    expect(
      context
        .split('\n')
        .slice(1)
        .map((l) => l.replace(/^\d\d:\d\d /, '')),
    ).toEqual([
      expect.stringMatching(/^Customer #\d+: my account is locked$/),
      expect.stringMatching(/^Alice: Hello Customer #\d+, this is Alice from Support\. How can I help\?$/),
    ]);
    await c.message(`${SUPPORT}/Carol`, 'Carol has taken over from Alice');
    await c.say(SUPPORT, 'hello Carol');
    await carol.message(m, 'hello Carol');
    // Alice no longer owns it.
    const refused = await adhoc(alice, m, 'info');
    expect(refused.attrs.type).toBe('error');
    expect(refused.getChild('error')?.getChild('forbidden', 'urn:ietf:params:xml:ns:xmpp-stanzas')).toBeDefined();

    // Back to a desk's queue, at its head.
    await carol.say(m, '!transfer sales');
    await carol.message(m, 'went back to the Sales queue');
    await c.message(SUPPORT, 'You have been transferred to Sales');
    const again = await alice.next(isIntro, 'alice serves sales');
    expect(again.attrs.from).toBe(m);
    expect(again.getChildText('body')).toContain('my account is locked');
    const history = (await alice.message(m, 'Last messages of chat #')).getChildText('body') ?? '';
    expect(history).toMatch(/\d\d:\d\d Customer #\d+: hello Carol$/);
    void SALES;
  });
});

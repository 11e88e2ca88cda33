/**
 * Issue 16: administering from an XMPP client. Real @xmpp/client accounts run the XEP-0050 admin
 * commands on the component's domain JID against the whole stack (Prosody, Redis, the compiled
 * component with its AdminService): an admin adds a desk and an operator through the forms, and
 * that operator serves the new desk; a supervisor gets read-only forms and cannot submit; an
 * operator sees no admin command and is refused; an anonymous widget customer sees no command, is
 * refused, and the portal's admin API answers it 401; a stale revision and a bad value are shown
 * again with a note, and nothing changes; a desk renamed through the form shows its new name to a
 * real client through Prosody (presence nick, vCard).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { xml } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import { DOMAIN, startStack, SUPPORT, type Stack } from '../support/stack.js';
import { errorConditionOf, isIntro, type TestClient } from '../support/clients.js';
import { answer, NS_COMMANDS, NS_DATA, readCommand, type CommandReply } from '../support/admin-commands.js';

const NS_ITEMS = 'http://jabber.org/protocol/disco#items';
const NS_NICK = 'http://jabber.org/protocol/nick'; // XEP-0172

describe('admin commands from XMPP clients (e2e)', () => {
  let stack: Stack;
  let alice: TestClient; // admin
  let bob: TestClient; // supervisor of support
  let carol: TestClient; // operator

  beforeAll(async () => {
    stack = await startStack({
      operators: [
        { user: 'alice', name: 'Alice', desks: ['support'], role: 'admin' },
        { user: 'bob', name: 'Bob', desks: ['support'], role: 'supervisor' },
        { user: 'carol', name: 'Carol', desks: ['support'], role: 'operator' },
      ],
    });
    [alice, bob, carol] = await Promise.all([stack.operator('alice', 'gajim'), stack.operator('bob', 'psi'), stack.operator('carol')]);
  }, 60_000);
  afterAll(async () => stack?.stop());

  async function command(c: TestClient, node: string, s: { sessionid?: string; action?: string; values?: Record<string, string[]> } = {}) {
    const form = s.values
      ? [
          xml(
            'x',
            { xmlns: NS_DATA, type: 'submit' },
            ...Object.entries(s.values).map(([v, vals]) => xml('field', { var: v }, ...vals.map((val) => xml('value', {}, val)))),
          ),
        ]
      : [];
    return c.iq(DOMAIN, 'set', xml('command', { xmlns: NS_COMMANDS, node, action: s.action, sessionid: s.sessionid }, ...form));
  }
  const submit = (c: TestClient, node: string, shown: CommandReply, changes: Record<string, string | string[]>) =>
    command(c, node, { sessionid: shown.sessionid, values: answer(shown, changes) });
  const listed = async (c: TestClient) =>
    (await c.iq(DOMAIN, 'get', xml('query', { xmlns: NS_ITEMS, node: NS_COMMANDS })))
      .getChild('query')
      ?.getChildren('item')
      .map((i) => i.attrs.node);
  /** Runs a command to its edit form for `entity` ('+new' for a new one). */
  async function editForm(c: TestClient, node: string, entity: string, action = 'edit'): Promise<CommandReply> {
    const first = readCommand(await command(c, node));
    expect(first.fields.get('entity')?.options).toContain(entity);
    return readCommand(await submit(c, node, first, { entity, action }));
  }
  const completed = (el: Element) => {
    const r = readCommand(el);
    expect(r.status, JSON.stringify(r.notes)).toBe('completed');
    return r;
  };

  it('an admin adds a desk and an operator through the forms; the operator then serves the new desk', async () => {
    expect(await listed(alice)).toEqual([
      ...['desks', 'operators', 'canned', 'forms', 'widget', 'routing', 'hours', 'bans', 'audit'].map((n) => `admin-${n}`),
      'console-session', // the web console's login, for every operator
    ]);
    const desk = await editForm(alice, 'admin-desks', '+new');
    expect(desk.fields.get('rev')?.values).toEqual(['0']);
    completed(
      await submit(alice, 'admin-desks', desk, { id: 'billing', name: 'Billing', timeZone: 'Europe/Berlin', 'texts.welcome.en': '' }),
    );

    const op = await editForm(alice, 'admin-operators', '+new');
    expect(op.fields.get('desks')?.options).toEqual(expect.arrayContaining(['support', 'sales', 'billing']));
    const done = completed(
      await submit(alice, 'admin-operators', op, { jid: 'mallory@localhost', name: 'Mallory', desks: ['billing'], role: 'operator' }),
    );
    expect(done.notes[0]?.text).toMatch(/^Saved: Mallory <mallory@localhost>/);

    // Live at once: the new operator subscribes to the new desk and gets its first customer.
    const mallory = await stack.operator('mallory');
    await mallory.subscribeTo(`billing@${DOMAIN}`);
    const customer = await stack.customer();
    await customer.say(`billing@${DOMAIN}`, 'a question about my invoice');
    const intro = await mallory.next(isIntro, 'intro at the new desk', 10_000);
    expect(intro.getChildText('body')).toMatch(/on Billing/);
    expect(await listed(mallory)).toEqual(['console-session']);
  });

  it('a supervisor gets read-only result forms and cannot submit; an operator sees nothing and is refused', async () => {
    expect(await listed(bob)).toEqual([
      'admin-desks',
      'admin-operators',
      'admin-canned',
      'admin-forms',
      'admin-hours',
      'admin-bans',
      'console-session',
    ]);
    const first = readCommand(await command(bob, 'admin-desks'));
    expect(first.fields.get('entity')?.options).toEqual(['support']);
    const view = completed(await submit(bob, 'admin-desks', first, { entity: 'support' }));
    expect(view.formType).toBe('result');
    expect(view.fields.get('name')?.values).toEqual(['Support']);
    // A forged edit stage with the current revision (read by an admin) is still refused.
    const current = await editForm(alice, 'admin-desks', 'support');
    await command(alice, 'admin-desks', { sessionid: current.sessionid, action: 'cancel' });
    const again = readCommand(await command(bob, 'admin-desks'));
    const forged = await submit(bob, 'admin-desks', again, {
      stage: 'edit',
      entity: 'support',
      rev: current.fields.get('rev')?.values[0] ?? '',
      name: 'Bob’s desk',
      timeZone: 'UTC',
      slaSeconds: '60',
    });
    expect(errorConditionOf(forged)).toBe('forbidden');
    expect(errorConditionOf(await command(bob, 'admin-widget'))).toBe('forbidden');

    expect(await listed(carol)).toEqual(['console-session']);
    for (const node of ['admin-desks', 'admin-hours', 'admin-audit'])
      expect(errorConditionOf(await command(carol, node))).toBe('forbidden');
    const audit = readCommand(await command(alice, 'admin-audit'));
    expect(audit.rows.some((r) => r.by === 'bob@localhost')).toBe(false);
    const deskView = readCommand(
      await submit(alice, 'admin-desks', readCommand(await command(alice, 'admin-desks')), { entity: 'support' }),
    );
    expect(deskView.fields.get('name')?.values).toEqual(['Support']);
  });

  it('an anonymous customer (SASL ANONYMOUS over WebSocket, as the widget) sees no command and is refused', async () => {
    const guest = await stack.customer();
    expect(guest.jid).toMatch(/@guest\.localhost\//);
    expect(await listed(guest)).toEqual([]);
    for (const node of ['admin-desks', 'admin-operators', 'admin-audit', 'console-session'])
      expect(errorConditionOf(await command(guest, node)), node).toBe('forbidden');
    // Nor at a desk JID: the admin commands live only at the domain JID.
    const atDesk = await guest.iq(SUPPORT, 'set', xml('command', { xmlns: NS_COMMANDS, node: 'admin-desks' }));
    expect(errorConditionOf(atDesk)).toBe('item-not-found');
    // The portal's admin API without a console session: 401, whatever the page.
    for (const path of ['live', 'org/desk', 'audit?limit=1']) {
      const res = await fetch(`${stack.httpUrl}/api/admin/${path}`);
      expect(res.status, path).toBe(401);
    }
    const put = await fetch(`${stack.httpUrl}/api/admin/org/desk/support`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ rev: 1, value: { id: 'support', name: 'Guest desk' } }),
    });
    expect(put.status).toBe(401);
    // Nothing changed: the admin still reads Support.
    const view = readCommand(await submit(alice, 'admin-desks', readCommand(await command(alice, 'admin-desks')), { entity: 'support' }));
    expect(view.fields.get('name')?.values).toEqual(['Support']);
  });

  it('a stale revision comes back with the other admin’s version; a bad value names the field; nothing changes', async () => {
    const mine = await editForm(alice, 'admin-desks', 'sales');
    const theirs = await editForm(alice, 'admin-desks', 'sales');
    completed(await submit(alice, 'admin-desks', theirs, { name: 'Sales (theirs)' }));
    const stale = readCommand(await submit(alice, 'admin-desks', mine, { name: 'Sales (mine)' }));
    expect(stale.status).toBe('executing');
    expect(stale.notes[0]).toEqual({ type: 'error', text: expect.stringMatching(/^Someone else changed this desk meanwhile/) });
    expect(stale.fields.get('name')?.values).toEqual(['Sales (theirs)']);

    const bad = readCommand(await submit(alice, 'admin-desks', stale, { name: 'Sales', slaSeconds: 'soon' }));
    expect(bad.notes[0]?.text).toBe(
      'First-response target (seconds) [slaSeconds]: expected a whole number from 1 to 86400. Nothing was saved.',
    );
    const hours = await editForm(alice, 'admin-hours', 'sales');
    const badHours = readCommand(await submit(alice, 'admin-hours', hours, { hours: 'mon 09:00-18:00\nfri 18:00-09:00' }));
    expect(badHours.notes[0]?.text).toMatch(
      /^Hours \(one line per day or date\) \[hours\]: line 2 \("fri 18:00-09:00"\): "18:00-09:00": the start must be before the end/,
    );

    const view = readCommand(await submit(alice, 'admin-desks', readCommand(await command(alice, 'admin-desks')), { entity: 'sales' }));
    expect(view.fields.get('name')?.values).toEqual(['Sales (theirs)']);
    expect(view.fields.get('slaSeconds')?.values).toEqual(['60']);
    const salesHours = await editForm(alice, 'admin-hours', 'sales');
    expect(salesHours.fields.get('hours')?.values).toEqual([]);
    expect(readCommand(await command(alice, 'admin-hours', { sessionid: salesHours.sessionid, action: 'cancel' })).status).toBe('canceled');
  });

  it('the chat-line admin commands agree with the forms: !hours set shows in admin-hours; others are refused', async () => {
    const reply = async (c: TestClient, body: string) => {
      await c.say(SUPPORT, body);
      return (await c.message(SUPPORT)).getChildText('body');
    };
    expect(await reply(carol, '!hours set mon 09:00-18:00')).toBe('⚠ Only admins may change settings');
    expect(await reply(bob, '!hours set mon 09:00-18:00')).toBe('⚠ Only admins may change settings');
    expect(await reply(alice, '!hours set mon 00:00-24:00; tue 00:00-24:00; 2026-12-24 closed')).toBe(
      "Support's hours are now:\nmon 00:00-24:00\ntue 00:00-24:00\n2026-12-24 closed",
    );
    const form = await editForm(alice, 'admin-hours', 'support');
    expect(form.fields.get('hours')?.values).toEqual(['mon 00:00-24:00', 'tue 00:00-24:00', '2026-12-24 closed']);
    expect(readCommand(await command(alice, 'admin-hours', { sessionid: form.sessionid, action: 'cancel' })).status).toBe('canceled');
    expect(await reply(alice, '!hours clear')).toBe('Support has no business hours now: open whenever an operator is on.');
    expect(await reply(carol, '!hours')).toBe('Support has no business hours: open whenever an operator is on.');
    expect(await reply(carol, '!bans')).toBe('⚠ !bans needs the supervisor role');
    expect(await reply(bob, '!bans')).toBe('Nobody is blacklisted.');
  });

  it('a desk renamed through the form says its new name through Prosody: presence nick and vCard', async () => {
    await carol.subscribeTo(SUPPORT);
    const form = await editForm(alice, 'admin-desks', 'support');
    completed(await submit(alice, 'admin-desks', form, { name: 'Helpdesk' }));
    const renamed = await carol.next(
      (el) => el.name === 'presence' && el.attrs.from === SUPPORT && el.getChildText('nick', NS_NICK) === 'Helpdesk',
      'the desk presence with its new name',
    );
    expect(renamed.attrs.type).toBeUndefined();
    const card = await carol.iq(SUPPORT, 'get', xml('vCard', { xmlns: 'vcard-temp' }));
    expect(card.attrs.type).toBe('result');
    expect(card.getChild('vCard', 'vcard-temp')?.getChildText('FN')).toBe('Helpdesk');
    const status = (await (await fetch(`${stack.httpUrl}/api/status`)).json()) as { desks: { desk: string; name: string }[] };
    expect(status.desks.find((d) => d.desk === 'support')?.name).toBe('Helpdesk');
  });
});

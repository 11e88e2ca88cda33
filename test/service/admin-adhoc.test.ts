/**
 * Issue 16: the admin commands on the domain JID, through the router (component/desk.ts) with the
 * real AdminService over a real Redis (test/service/desk-harness.ts), in-process: who sees and runs which command, the stages (choose → form → save), a
 * wrong value or a conflict shown again with a note and nothing saved, supervisors read-only, and
 * XEP-0050's session errors.
 */
import { describe, expect, it } from 'vitest';
import { xml, type Element } from '../../component/protocol/xml.js';
import { answer, NS_COMMANDS, readCommand, type CommandReply } from '../support/admin-commands.js';
import type { AdminService } from '../../component/services/admin/admin-types.js';
import { DOMAIN, useDesk, type DeskUnderTest } from './desk-harness.js';

const ADMIN = 'alice@localhost/gajim';
const SUPERVISOR = 'bob@localhost/psi';
const OPERATOR = 'carol@localhost/phone';
const STRANGER = 'mallory@localhost/x';
const STANZAS = 'urn:ietf:params:xml:ns:xmpp-stanzas';

const OPERATORS = [
  { jid: 'alice@localhost', name: 'Alice', desks: ['support'], role: 'admin' as const },
  { jid: 'bob@localhost', name: 'Bob', desks: ['support'], role: 'supervisor' as const },
  { jid: 'carol@localhost', name: 'Carol', desks: ['sales'], role: 'operator' as const },
];
let seq = 0;
interface Send {
  action?: string;
  sessionid?: string;
  values?: Record<string, string[]>;
}

describe('admin commands on the domain JID (in-process)', () => {
  const desks = useDesk();
  let d: DeskUnderTest;
  let admin: AdminService;
  const ALICE_ACTOR = { jid: 'alice@localhost' };
  /** A desk over the real AdminService (Redis), seeded from config, with one ban placed at support. */
  const open = async () => {
    d = desks.open({
      canned: { hello: 'Hello {customer}' },
      desks: [
        { id: 'support', name: 'Support', texts: { welcome: { en: 'Welcome!' } } },
        { id: 'sales', name: 'Sales', timeZone: 'Asia/Tokyo', slaSeconds: 90, canned: { price: 'See the price list' } },
      ],
      operators: OPERATORS.map((o) => ({ ...o, maxChats: 3 })),
    });
    admin = d.desk.admin;
    await d.store.customers.ban('spam@example.org', {
      by: 'bob@localhost',
      reason: 'spam',
      at: Date.parse('2026-12-01T10:00:00Z'),
      ticket: 7,
      desk: 'support',
    });
  };

  async function iq(from: string, payload: Element, type = 'set'): Promise<Element> {
    const id = `a${++seq}`;
    d.receive(xml('iq', { from, to: DOMAIN, type, id }, payload));
    return d.next((el) => el.name === 'iq' && el.attrs.id === id, `reply to ${id}`);
  }
  async function command(from: string, node: string, s: Send = {}): Promise<Element> {
    const x = s.values
      ? [
          xml(
            'x',
            { xmlns: 'jabber:x:data', type: 'submit' },
            ...Object.entries(s.values).map(([v, vals]) => xml('field', { var: v }, ...vals.map((val) => xml('value', {}, val)))),
          ),
        ]
      : [];
    return iq(from, xml('command', { xmlns: NS_COMMANDS, node, action: s.action, sessionid: s.sessionid }, ...x));
  }
  /** Submit the shown form with changes, in the same session. */
  const submit = (from: string, node: string, shown: CommandReply, changes: Record<string, string | string[]>, action?: string) =>
    command(from, node, { sessionid: shown.sessionid, action, values: answer(shown, changes) });
  const errorOf = (el: Element) => {
    const e = el.getChild('error');
    return {
      type: e?.attrs.type,
      condition: e?.children.find((c) => typeof c !== 'string' && c.attrs.xmlns === STANZAS && c.name !== 'text')?.toString(),
      app: e?.children.find((c) => typeof c !== 'string' && c.attrs.xmlns === NS_COMMANDS)?.toString(),
    };
  };
  const commandsFor = async (from: string) =>
    (await iq(from, xml('query', { xmlns: 'http://jabber.org/protocol/disco#items', node: NS_COMMANDS }), 'get'))
      .getChild('query')
      ?.getChildren('item')
      .map((i) => `${i.attrs.jid} ${i.attrs.node}`);

  it('lists every command to admins, the read-only views to supervisors, nothing to operators and strangers', async () => {
    await open();
    // console-session (the web console's login, commands/console-commands.ts) is there for every operator.
    expect(await commandsFor(ADMIN)).toEqual([
      ...['desks', 'operators', 'canned', 'forms', 'widget', 'routing', 'hours', 'bans', 'audit'].map((n) => `${DOMAIN} admin-${n}`),
      `${DOMAIN} console-session`,
    ]);
    expect(await commandsFor(SUPERVISOR)).toEqual([
      ...['desks', 'operators', 'canned', 'forms', 'hours', 'bans'].map((n) => `${DOMAIN} admin-${n}`),
      `${DOMAIN} console-session`,
    ]);
    expect(await commandsFor(OPERATOR)).toEqual([`${DOMAIN} console-session`]);
    expect(await commandsFor(STRANGER)).toEqual([]);
    for (const who of [OPERATOR, STRANGER]) {
      for (const node of ['admin-desks', 'admin-audit']) {
        const reply = await command(who, node);
        expect(reply.attrs.type).toBe('error');
        expect(errorOf(reply).condition).toContain('<forbidden');
      }
    }
    const disco = await iq(ADMIN, xml('query', { xmlns: 'http://jabber.org/protocol/disco#info' }), 'get');
    expect(
      disco
        .getChild('query')
        ?.getChildren('feature')
        .map((f) => f.attrs.var),
    ).toContain(NS_COMMANDS);
    expect(errorOf(await command(ADMIN, 'admin-nothing')).condition).toContain('<item-not-found');
    const nodeInfo = (from: string) =>
      iq(from, xml('query', { xmlns: 'http://jabber.org/protocol/disco#info', node: 'admin-hours' }), 'get');
    expect((await nodeInfo(SUPERVISOR)).getChild('query')?.getChild('identity')?.attrs).toMatchObject({
      category: 'automation',
      type: 'command-node',
    });
    expect(errorOf(await nodeInfo(OPERATOR)).condition).toContain('<item-not-found');
  });

  it('an admin creates a desk: choose "new", fill the form, complete; the service has it', async () => {
    await open();
    const first = readCommand(await command(ADMIN, 'admin-desks'));
    expect(first.status).toBe('executing');
    expect(first.actions).toEqual(['next']);
    expect(first.fields.get('entity')?.options).toEqual(['support', 'sales', '+new']);
    expect(first.fields.get('action')?.options).toEqual(['edit', 'delete']);
    const form = readCommand(await submit(ADMIN, 'admin-desks', first, { entity: '+new' }, 'next'));
    expect(form.sessionid).toBe(first.sessionid);
    expect(form.actions).toEqual(['prev', 'complete']);
    expect(form.fields.get('rev')).toMatchObject({ type: 'hidden', values: ['0'] });
    expect(form.fields.get('id')?.values).toEqual([]);
    const done = readCommand(
      await submit(
        ADMIN,
        'admin-desks',
        form,
        { id: 'billing', name: 'Billing', timeZone: 'Europe/Berlin', 'texts.welcome.en': 'Hi\nthere' },
        'complete',
      ),
    );
    expect(done.status).toBe('completed');
    expect(done.notes).toEqual([{ type: 'info', text: expect.stringMatching(/^Saved: Billing \(billing\) \(revision \d+\)\.$/) }]);
    expect(admin.snapshot().desks.find((x) => x.id === 'billing')).toMatchObject({
      id: 'billing',
      name: 'Billing',
      timeZone: 'Europe/Berlin',
      slaSeconds: 60,
      texts: { welcome: { en: 'Hi\nthere' } },
    });
    // The session is over: its id no longer works (XEP-0050: completed → session-expired).
    const again = await submit(ADMIN, 'admin-desks', form, { id: 'billing2', name: 'B2' }, 'complete');
    expect(errorOf(again)).toMatchObject({
      type: 'cancel',
      condition: expect.stringContaining('<not-allowed'),
      app: expect.stringContaining('<session-expired'),
    });
  });

  it('the edit form is pre-filled; a bad value shows it again naming the field, and nothing is saved', async () => {
    await open();
    const first = readCommand(await command(ADMIN, 'admin-desks'));
    const form = readCommand(await submit(ADMIN, 'admin-desks', first, { entity: 'support', action: 'edit' }));
    expect(form.fields.get('name')?.values).toEqual(['Support']);
    expect(form.fields.get('texts.welcome.en')).toMatchObject({ type: 'text-multi', values: ['Welcome!'] });
    const rev = admin.snapshot().entityRev('desk', 'support');
    expect(form.fields.get('rev')?.values).toEqual([String(rev)]);
    const bad = readCommand(await submit(ADMIN, 'admin-desks', form, { name: 'Help desk', timeZone: 'Mars/Olympus' }));
    expect(bad.status).toBe('executing');
    expect(bad.notes).toEqual([{ type: 'error', text: expect.stringContaining('[timeZone]: "Mars/Olympus" is not an IANA time zone') }]);
    expect(bad.fields.get('name')?.values).toEqual(['Help desk']); // what was typed stays
    expect(admin.snapshot().entityRev('desk', 'support')).toBe(rev);
    expect(admin.snapshot().desks.find((x) => x.id === 'support')?.name).toBe('Support');
    // The service's own refusal is mapped to the field it names, too.
    const first2 = readCommand(await command(ADMIN, 'admin-operators'));
    const newOp = readCommand(await submit(ADMIN, 'admin-operators', first2, { entity: '+new' }));
    expect(newOp.fields.get('desks')).toMatchObject({ type: 'list-multi', options: ['support', 'sales'] });
    const refused = readCommand(
      await submit(ADMIN, 'admin-operators', newOp, {
        jid: 'Dave@localhost',
        name: 'Dave',
        desks: ['sales'],
        maxChats: '5',
        maxChatsLimit: '2',
      }),
    );
    expect(refused.notes[0]?.text).toMatch(
      /^Max chats at once \(1-9\) \[maxChats\]: 5 is above this operator's limit of 2 \(maxChatsLimit\)\. Nothing was saved\.$/,
    );
    const saved = readCommand(await submit(ADMIN, 'admin-operators', refused, { maxChats: '2' }));
    expect(saved.status).toBe('completed');
    expect(admin.snapshot().operators.find((o) => o.jid === 'dave@localhost')).toEqual({
      jid: 'dave@localhost',
      name: 'Dave',
      desks: ['sales'],
      role: 'operator',
      maxChats: 2,
      maxChatsLimit: 2,
    });
  });

  it('a stale revision is refused: the form comes back with their version and a note', async () => {
    await open();
    const first = readCommand(await command(ADMIN, 'admin-desks'));
    const form = readCommand(await submit(ADMIN, 'admin-desks', first, { entity: 'sales' }));
    const other = await admin.get({ jid: 'alice@localhost' }, 'desk', 'sales');
    await admin.put({ jid: 'alice@localhost' }, 'desk', 'sales', { ...other?.value, name: 'Sales (theirs)' }, other?.rev ?? 0);
    const stale = readCommand(await submit(ADMIN, 'admin-desks', form, { name: 'Sales (mine)' }));
    expect(stale.status).toBe('executing');
    expect(stale.notes[0]).toEqual({
      type: 'error',
      text: expect.stringMatching(/^Someone else changed this desk meanwhile \(now revision \d+\)/),
    });
    expect(stale.fields.get('name')?.values).toEqual(['Sales (theirs)']);
    expect(admin.snapshot().desks.find((x) => x.id === 'sales')?.name).toBe('Sales (theirs)');
    const fresh = String(admin.snapshot().entityRev('desk', 'sales'));
    expect(stale.fields.get('rev')?.values).toEqual([fresh]);
    expect(readCommand(await submit(ADMIN, 'admin-desks', stale, { name: 'Sales (mine)' })).status).toBe('completed');
    expect(admin.snapshot().desks.find((x) => x.id === 'sales')?.name).toBe('Sales (mine)');
  });

  it('supervisors get read-only result forms of their desks and cannot submit', async () => {
    await open();
    const first = readCommand(await command(SUPERVISOR, 'admin-desks'));
    expect(first.fields.get('entity')?.options).toEqual(['support']);
    expect(first.fields.has('action')).toBe(false);
    const view = readCommand(await submit(SUPERVISOR, 'admin-desks', first, { entity: 'support' }));
    expect(view).toMatchObject({ status: 'completed', formType: 'result', title: 'Desks: Support (support) (read-only)' });
    expect(view.fields.get('name')?.values).toEqual(['Support']);
    expect(view.fields.has('rev')).toBe(false);
    // A forged edit stage is refused, and nothing changes.
    const again = readCommand(await command(SUPERVISOR, 'admin-desks'));
    const rev = String(admin.snapshot().entityRev('desk', 'support'));
    const forged = await submit(SUPERVISOR, 'admin-desks', again, {
      stage: 'edit',
      entity: 'support',
      rev,
      name: 'Mine',
      timeZone: 'UTC',
      slaSeconds: '60',
    });
    expect(errorOf(forged).condition).toContain('<forbidden');
    expect(admin.snapshot().desks.find((x) => x.id === 'support')?.name).toBe('Support');
    // Another desk's hours, the widget: not theirs.
    expect(errorOf(await command(SUPERVISOR, 'admin-widget')).condition).toContain('<forbidden');
    const staff = readCommand(await command(SUPERVISOR, 'admin-operators'));
    expect(staff.fields.get('entity')?.options).toEqual(['alice@localhost', 'bob@localhost']); // their desks' staff
    const hours = readCommand(await command(SUPERVISOR, 'admin-hours'));
    expect(hours.fields.get('entity')?.options).toEqual(['support']);
  });

  it('answers session misuse as XEP-0050 says: bad-sessionid, session-expired, bad-action, malformed-action; prev and cancel work', async () => {
    await open();
    const first = readCommand(await command(ADMIN, 'admin-canned'));
    const forged = `${first.sessionid?.slice(0, -2)}xx`;
    const cases: [Send & { from?: string }, string, string, string][] = [
      [{ sessionid: forged, values: answer(first, {}) }, 'modify', 'bad-request', 'bad-sessionid'],
      [{ from: SUPERVISOR, sessionid: first.sessionid, values: answer(first, {}) }, 'modify', 'bad-request', 'bad-sessionid'],
      [{ action: 'complete', values: answer(first, {}) }, 'modify', 'bad-request', 'bad-sessionid'],
      [{ action: 'jump', sessionid: first.sessionid }, 'modify', 'bad-request', 'malformed-action'],
      [{ action: 'complete', sessionid: first.sessionid, values: answer(first, {}) }, 'modify', 'bad-request', 'bad-action'],
      [{ action: 'next', sessionid: first.sessionid }, 'modify', 'bad-request', 'bad-payload'],
    ];
    for (const [send, type, condition, app] of cases) {
      const reply = await command(send.from ?? ADMIN, 'admin-canned', send);
      expect(errorOf(reply), JSON.stringify(send)).toEqual({
        type,
        condition: expect.stringContaining(`<${condition}`),
        app: expect.stringContaining(`<${app}`),
      });
    }
    // A session of another command is not this one's.
    const other = readCommand(await command(ADMIN, 'admin-forms'));
    expect(errorOf(await command(ADMIN, 'admin-canned', { sessionid: other.sessionid, values: answer(first, {}) })).app).toContain(
      'bad-sessionid',
    );
    // prev from the form goes back to the choice; cancel ends the session.
    const form = readCommand(await submit(ADMIN, 'admin-canned', first, { entity: 'sales' }));
    expect(form.fields.get('replies')).toMatchObject({ type: 'text-multi', values: ['price: See the price list'] });
    const back = readCommand(await command(ADMIN, 'admin-canned', { action: 'prev', sessionid: form.sessionid }));
    expect(back.fields.get('stage')?.values).toEqual(['choose']);
    expect(readCommand(await command(ADMIN, 'admin-canned', { action: 'cancel', sessionid: form.sessionid })).status).toBe('canceled');
    expect(errorOf(await submit(ADMIN, 'admin-canned', form, {})).app).toContain('session-expired');
  });

  it('edits canned replies, a pre-chat form and a desk’s hours as lines; a bad line names the field and the line', async () => {
    await open();
    const actor = { jid: 'alice@localhost' };
    let c = readCommand(await command(ADMIN, 'admin-canned'));
    c = readCommand(await submit(ADMIN, 'admin-canned', c, { entity: 'support' }));
    expect(c.fields.get('rev')?.values).toEqual([String(admin.snapshot().entityRev('canned', 'support'))]);
    const bad = readCommand(await submit(ADMIN, 'admin-canned', c, { replies: 'bye: Goodbye {customer}\nno colon here' }));
    expect(bad.notes[0]?.text).toBe(
      'Canned replies (name: text) [replies]: line 2 ("no colon here"): expected name: text. Nothing was saved.',
    );
    expect((await admin.get(actor, 'canned', 'support'))?.value ?? {}).toEqual({});
    expect(readCommand(await submit(ADMIN, 'admin-canned', bad, { replies: 'bye: Goodbye {customer}' })).status).toBe('completed');
    expect((await admin.get(actor, 'canned', 'support'))?.value).toEqual({ bye: 'Goodbye {customer}' });

    let f = readCommand(await command(ADMIN, 'admin-forms'));
    f = readCommand(await submit(ADMIN, 'admin-forms', f, { entity: 'default' }));
    const lines = [
      'name | text | required | Name | お名前',
      'topic | select | optional | Topic | 件名 | billing=Billing/請求; tech=Technical',
    ];
    expect(readCommand(await submit(ADMIN, 'admin-forms', f, { fields: lines })).status).toBe('completed');
    expect(admin.snapshot().forms.default).toEqual([
      { var: 'name', type: 'text', required: true, label: 'Name', labelJa: 'お名前' },
      {
        var: 'topic',
        type: 'select',
        required: false,
        label: 'Topic',
        labelJa: '件名',
        options: [
          { value: 'billing', label: 'Billing', labelJa: '請求' },
          { value: 'tech', label: 'Technical' },
        ],
      },
    ]);

    let h = readCommand(await command(ADMIN, 'admin-hours'));
    expect(h.fields.has('action')).toBe(false); // hours are edited, never deleted
    h = readCommand(await submit(ADMIN, 'admin-hours', h, { entity: 'sales' }));
    expect(h.fields.get('timeZone')?.values).toEqual(['Asia/Tokyo']);
    const badHours = readCommand(await submit(ADMIN, 'admin-hours', h, { hours: 'mon 09:00-18:00\ntue 9-5' }));
    expect(badHours.notes[0]?.text).toMatch(/\[hours\]: line 2 \("tue 9-5"\): "9-5" is not a period/);
    expect(admin.snapshot().desks.find((x) => x.id === 'sales')?.hours).toBeUndefined();
    await submit(ADMIN, 'admin-hours', badHours, { hours: 'mon 09:00-18:00\n2026-12-31 closed', zoneLabel: 'JST' });
    expect(admin.snapshot().desks.find((x) => x.id === 'sales')?.hours).toEqual({
      timeZone: 'Asia/Tokyo',
      zoneLabel: 'JST',
      weekly: { mon: [{ start: '09:00', end: '18:00' }] },
      exceptions: [{ date: '2026-12-31', periods: [] }],
      atClosing: 'serve',
    });
    const shown = readCommand(await submit(ADMIN, 'admin-hours', readCommand(await command(ADMIN, 'admin-hours')), { entity: 'sales' }));
    expect(shown.fields.get('hours')?.values).toEqual(['mon 09:00-18:00', '2026-12-31 closed']);
  });

  it('deletes after confirmation; singletons open their form at once; bans are lifted; the audit lists the changes', async () => {
    await open();
    let del = readCommand(await command(ADMIN, 'admin-operators'));
    del = readCommand(await submit(ADMIN, 'admin-operators', del, { entity: 'carol@localhost', action: 'delete' }));
    expect(del.fields.get('confirm')).toMatchObject({ type: 'boolean', values: ['0'] });
    const unconfirmed = readCommand(await submit(ADMIN, 'admin-operators', del, {}));
    expect(unconfirmed.notes[0]?.text).toContain('[confirm]');
    expect(admin.roleOf({ jid: 'carol@localhost' })).toBe('operator');
    expect(readCommand(await submit(ADMIN, 'admin-operators', unconfirmed, { confirm: '1' })).notes[0]?.text).toBe(
      'Deleted the operator carol@localhost.',
    );
    expect(admin.roleOf({ jid: 'carol@localhost' })).toBeUndefined();

    const routing = readCommand(await command(ADMIN, 'admin-routing'));
    expect(routing.actions).toEqual(['complete']);
    expect(routing.fields.get('graceSeconds')?.values).toEqual(['60']);
    const badRouting = readCommand(await submit(ADMIN, 'admin-routing', routing, { defaultMaxChats: '12' }));
    expect(badRouting.notes[0]?.text).toContain('[defaultMaxChats]: expected a whole number from 1 to 9');
    await submit(ADMIN, 'admin-routing', badRouting, { defaultMaxChats: '4', reassignUnansweredSeconds: '90' });
    expect(admin.snapshot().routing).toMatchObject({ defaultMaxChats: 4, reassignUnansweredSeconds: 90 });

    const widget = readCommand(await command(ADMIN, 'admin-widget'));
    const badColour = readCommand(await submit(ADMIN, 'admin-widget', widget, { 'colors.primary': 'blue' }));
    expect(badColour.notes[0]?.text).toContain('[colors.primary]: "blue" is not a colour');
    await submit(ADMIN, 'admin-widget', badColour, { 'colors.primary': '#ff0000', 'button.closed.imageUrl': '/assets/closed.png' });
    expect(admin.snapshot().widget).toMatchObject({
      colors: { primary: '#ff0000' },
      button: { closed: { imageUrl: '/assets/closed.png' } },
    });

    const supervisorBans = readCommand(await command(SUPERVISOR, 'admin-bans'));
    expect(supervisorBans).toMatchObject({ status: 'completed', formType: 'result' });
    expect(supervisorBans.rows).toEqual([{ ticket: '#7', reason: 'spam', by: 'bob@localhost', at: '2026-12-01T10:00:00.000Z' }]);
    const bans = readCommand(await command(ADMIN, 'admin-bans'));
    expect(bans.fields.get('unban')?.options).toEqual(['ticket-7']); // never the customer's address
    expect(JSON.stringify([...bans.fields.values()])).not.toContain('spam@example.org');
    expect(readCommand(await submit(ADMIN, 'admin-bans', bans, { unban: ['ticket-7'] })).notes[0]?.text).toBe('Lifted 1 ban.');
    expect(await admin.bans(ALICE_ACTOR)).toEqual([]);

    const audit = readCommand(await command(ADMIN, 'admin-audit'));
    expect(audit.status).toBe('completed');
    expect(JSON.stringify(audit.rows)).not.toContain('spam@example.org'); // the ban's customer key is an address
    expect(audit.rows.slice(0, 4).map((r) => `${r.by} ${r.what} ${r.change}`)).toEqual([
      'alice@localhost ban/#7 deleted',
      'alice@localhost widget/default colors; button',
      'alice@localhost routing/default defaultMaxChats: 3 → 4; reassignUnansweredSeconds: 0 → 90',
      'alice@localhost operator/carol@localhost deleted',
    ]);
  });
});

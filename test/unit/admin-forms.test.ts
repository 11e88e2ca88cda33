/** The admin commands' pure parts: XEP-0004 forms, sealed session ids, the editors' parsers. */
import { describe, expect, it } from 'vitest';
import { xml } from '../../component/protocol/xml.js';
import { createAdhocSessions } from '../../component/xmpp/handlers/adhoc-sessions.js';
import { deskEditor, fieldOfRefusal, operatorEditor } from '../../component/xmpp/handlers/admin-editor.js';
import { cannedEditor, formatFormField, formEditor } from '../../component/xmpp/handlers/admin-editors-content.js';
import { hoursEditor } from '../../component/xmpp/handlers/admin-editors-settings.js';
import { auditTable, banRef } from '../../component/xmpp/handlers/admin-lists.js';
import { renderForm, submittedValues, withSubmitted, type Values } from '../../component/xmpp/handlers/data-form.js';
import type { FormFieldSettings, OrgSnapshot } from '../../component/services/admin/admin-types.js';

const vals = (o: Record<string, string | string[]>): Values => new Map(Object.entries(o).map(([k, v]) => [k, Array.isArray(v) ? v : [v]]));
const SNAP = { desks: [{ id: 'support', name: 'Support', texts: {}, timeZone: 'UTC', slaSeconds: 60 }] } as unknown as OrgSnapshot;

describe('XEP-0004 forms', () => {
  it('renders fields, options and a multi-item table; reads a submitted form back', () => {
    const x = renderForm({
      type: 'form',
      title: 'T',
      instructions: ['one', 'two'],
      fields: [
        { var: 'desks', type: 'list-multi', label: 'Desks', required: true, values: ['a', 'b'], options: [{ value: 'a', label: 'A' }] },
        { var: 'rev', type: 'hidden', values: ['3'] },
      ],
    });
    expect(x.toString()).toBe(
      '<x xmlns="jabber:x:data" type="form"><title>T</title><instructions>one</instructions><instructions>two</instructions>' +
        '<field var="desks" type="list-multi" label="Desks"><required/><value>a</value><value>b</value><option label="A"><value>a</value></option></field>' +
        '<field var="rev" type="hidden"><value>3</value></field></x>',
    );
    const result = renderForm({ type: 'result', fields: [], table: { columns: [{ var: 'n', label: 'N' }], rows: [{ n: '1' }, {}] } });
    expect(result.toString()).toBe(
      '<x xmlns="jabber:x:data" type="result"><reported><field var="n" label="N"/></reported>' +
        '<item><field var="n"><value>1</value></field></item><item><field var="n"><value/></field></item></x>',
    );
    const cmd = xml(
      'command',
      {},
      xml(
        'x',
        { xmlns: 'jabber:x:data', type: 'submit' },
        xml('field', { var: 'a' }, xml('value', {}, '1'), xml('value', {}, '2')),
        xml('field', {}),
      ),
    );
    expect(submittedValues(cmd)).toEqual(new Map([['a', ['1', '2']]]));
    expect(submittedValues(xml('command', {}, xml('x', { xmlns: 'jabber:x:data', type: 'form' })))).toBeUndefined();
    expect(
      withSubmitted(
        [
          { var: 'a', type: 'text-single', values: ['old'] },
          { type: 'fixed', values: ['f'] },
        ],
        vals({ a: 'new' }),
      ),
    ).toEqual([
      { var: 'a', type: 'text-single', values: ['new'] },
      { type: 'fixed', values: ['f'] },
    ]);
  });
});

describe('admin command session ids', () => {
  it('are bound to the command and the requester, expire, end when finished, and cannot be forged', () => {
    let now = 1_000_000;
    const s = createAdhocSessions({ secret: 'k', now: () => now, ttlMs: 60_000 });
    const id = s.issue('admin-desks', 'alice@localhost/gajim');
    expect(s.check(id, 'admin-desks', 'alice@localhost/gajim')).toBe('ok');
    expect(s.check(id, 'admin-forms', 'alice@localhost/gajim')).toBe('bad-sessionid');
    expect(s.check(id, 'admin-desks', 'alice@localhost/other')).toBe('bad-sessionid');
    expect(createAdhocSessions({ secret: 'other', now: () => now }).check(id, 'admin-desks', 'alice@localhost/gajim')).toBe(
      'bad-sessionid',
    );
    const [body] = id.split('.');
    const forged = Buffer.from(
      Buffer.from(body as string, 'base64url')
        .toString()
        .replace('admin-desks', 'admin-forms'),
    ).toString('base64url');
    expect(s.check(`${forged}.${id.split('.')[1]}`, 'admin-forms', 'alice@localhost/gajim')).toBe('bad-sessionid');
    expect(s.check('garbage', 'admin-desks', 'alice@localhost/gajim')).toBe('bad-sessionid');
    now += 60_001;
    expect(s.check(id, 'admin-desks', 'alice@localhost/gajim')).toBe('session-expired');
    const next = s.issue('admin-desks', 'alice@localhost/gajim');
    s.finish(next);
    expect(s.check(next, 'admin-desks', 'alice@localhost/gajim')).toBe('session-expired');
  });
});

describe('editors', () => {
  it('a desk keeps what the form does not show (its hours) and drops empty texts', () => {
    const hours = { timeZone: 'UTC', weekly: {}, exceptions: [], atClosing: 'serve' as const };
    const current = { id: 'support', name: 'Support', texts: { busy: { en: 'x' } }, timeZone: 'UTC', slaSeconds: 60, hours };
    const parsed = deskEditor.parse(
      vals({ name: 'Help', timeZone: 'Asia/Tokyo', slaSeconds: '30', 'texts.busy.en': '', 'texts.ended.ja': ['さようなら', '又どうぞ'] }),
      'support',
      current,
      SNAP,
    );
    expect(parsed).toEqual({
      ok: true,
      value: {
        id: 'support',
        value: {
          id: 'support',
          name: 'Help',
          timeZone: 'Asia/Tokyo',
          slaSeconds: 30,
          hours,
          texts: { ended: { ja: 'さようなら\n又どうぞ' } },
        },
      },
    });
    expect(deskEditor.parse(vals({ id: 'Bad Id', name: 'x' }), undefined, undefined, SNAP)).toMatchObject({
      ok: false,
      error: { field: 'id' },
    });
    expect(deskEditor.parse(vals({ name: 'x', timeZone: 'UTC', slaSeconds: '0' }), 'support', current, SNAP)).toMatchObject({
      ok: false,
      error: { field: 'slaSeconds' },
    });
  });

  it('an operator: lower-case JID, known desks, role, optional caps', () => {
    const ok = operatorEditor.parse(
      vals({ jid: 'Dave@Localhost', name: 'Dave', desks: ['support', 'support'], role: 'supervisor', maxChats: '' }),
      undefined,
      undefined,
      SNAP,
    );
    expect(ok).toEqual({
      ok: true,
      value: { id: 'dave@localhost', value: { jid: 'dave@localhost', name: 'Dave', desks: ['support'], role: 'supervisor' } },
    });
    const cases: [Record<string, string | string[]>, string, string][] = [
      [{ jid: 'dave', name: 'D', desks: ['support'], role: 'operator' }, 'jid', 'expected a bare JID'],
      [{ jid: 'd@l', name: 'D', desks: [], role: 'operator' }, 'desks', 'choose at least one desk'],
      [{ jid: 'd@l', name: 'D', desks: ['nope'], role: 'operator' }, 'desks', 'unknown desk "nope"'],
      [{ jid: 'd@l', name: 'D', desks: ['support'], role: 'boss' }, 'role', 'expected operator'],
      [{ jid: 'd@l', name: 'D', desks: ['support'], role: 'operator', maxChats: '10' }, 'maxChats', 'from 1 to 9'],
    ];
    for (const [v, field, msg] of cases) {
      const r = operatorEditor.parse(vals(v), undefined, undefined, SNAP);
      expect(r.ok).toBe(false);
      expect(!r.ok && r.error.field).toBe(field);
      expect(!r.ok && r.error.message).toContain(msg);
    }
  });

  it('canned replies and pre-chat forms round-trip through their lines', () => {
    const set = { hello: 'Hello {customer}', bye: 'Bye' };
    const shown = cannedEditor.fields(set, SNAP)[0]?.values ?? [];
    expect(cannedEditor.parse(vals({ replies: shown }), 'support', set, SNAP)).toEqual({ ok: true, value: { id: 'support', value: set } });
    const form: FormFieldSettings[] = [
      { var: 'email', label: 'Email', type: 'email', required: false },
      {
        var: 'plan',
        label: 'Plan',
        labelJa: 'プラン',
        type: 'select',
        required: true,
        options: [
          { value: 'a', label: 'A', labelJa: 'エー' },
          { value: 'b', label: 'B' },
        ],
      },
    ];
    expect(form.map(formatFormField)).toEqual([
      'email | email | optional | Email',
      'plan | select | required | Plan | プラン | a=A/エー; b=B',
    ]);
    expect(formEditor.parse(vals({ fields: form.map(formatFormField) }), 'default', form, SNAP)).toEqual({
      ok: true,
      value: { id: 'default', value: form },
    });
    for (const [line, msg] of [
      ['x | radio | required | X', 'type "radio" is not one of'],
      ['x | text | maybe | X', 'expected "required" or "optional"'],
      ['x | text | required', 'the English label is missing'],
      ['x | select | required | X', 'a select needs options'],
      ['x | text | required | X | | a=A', 'only a select has options'],
    ]) {
      const r = formEditor.parse(vals({ fields: ['ok | text | optional | OK', line as string] }), 'default', [], SNAP);
      expect(r.ok ? '' : r.error.message).toContain(`line 2 ("${line}"): ${msg}`);
    }
  });

  it('hours: empty text removes them; the zone is checked', () => {
    const desk = {
      id: 'support',
      name: 'Support',
      texts: {},
      timeZone: 'UTC',
      slaSeconds: 60,
      hours: { timeZone: 'UTC', weekly: {}, exceptions: [], atClosing: 'serve' as const },
    };
    expect(hoursEditor.parse(vals({ hours: '', timeZone: 'UTC' }), 'support', desk, SNAP)).toMatchObject({
      ok: true,
      value: { value: { id: 'support' } },
    });
    expect(hoursEditor.parse(vals({ hours: '', timeZone: 'UTC' }), 'support', desk, SNAP)).not.toHaveProperty('value.value.hours');
    expect(hoursEditor.parse(vals({ hours: 'mon 09:00-10:00', timeZone: 'Nowhere' }), 'support', desk, SNAP)).toMatchObject({
      ok: false,
      error: { field: 'timeZone' },
    });
  });

  it("maps the service's refusal path to the form's field, else to the main field", () => {
    const fields = deskEditor.fields(undefined, SNAP);
    expect(fieldOfRefusal('desk/x: texts.welcome.en: too long', fields)).toEqual({ field: 'texts.welcome.en', message: 'too long' });
    expect(fieldOfRefusal('operator/carol@localhost: desks.0: unknown desk "x"', operatorEditor.fields(undefined, SNAP))).toEqual({
      field: 'desks',
      message: 'unknown desk "x"',
    });
    expect(fieldOfRefusal('canned/support: hello: too long', cannedEditor.fields({}, SNAP), 'replies')).toEqual({
      field: 'replies',
      message: 'hello: too long',
    });
    expect(fieldOfRefusal('desk/x: weird', fields)).toBeUndefined();
  });
});

describe('lists', () => {
  it('a ban is named by its ticket, or by a digest: never by the customer key', () => {
    expect(banRef({ ticket: 4, customerKey: 'a@b', by: 'x', at: '' })).toBe('ticket-4');
    expect(banRef({ ticket: null, customerKey: 'a@b', by: 'x', at: '' })).toMatch(/^key-[0-9a-f]{16}$/);
  });
  it('the audit shows scalar changes old → new and larger ones by name', () => {
    const t = auditTable([
      {
        seq: 2,
        ts: 't',
        by: 'a',
        kind: 'desk',
        id: 'd',
        action: 'update',
        old: { name: 'A', texts: {} },
        new: { name: 'B', texts: { x: 1 } },
      },
      { seq: 1, ts: 't', by: 'seed', kind: 'desk', id: 'd', action: 'create', old: undefined, new: {} },
    ]);
    expect(t.table?.rows.map((r) => r.change)).toEqual(['name: "A" → "B"; texts', 'created']);
  });
});

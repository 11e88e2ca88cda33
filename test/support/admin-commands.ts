/**
 * Reading and answering the admin commands' XEP-0050 replies in tests (service and e2e): the
 * command's status, session id, notes and the XEP-0004 form's fields; a submit that echoes the
 * form's hidden fields as a client does.
 */
import type { Element } from '@xmpp/xml';

export const NS_COMMANDS = 'http://jabber.org/protocol/commands';
export const NS_DATA = 'jabber:x:data';

export interface ShownField {
  type: string;
  label?: string;
  values: string[];
  options: string[];
}

export interface CommandReply {
  status?: string;
  sessionid?: string;
  notes: { type: string; text: string }[];
  formType?: string;
  title?: string;
  fields: Map<string, ShownField>;
  /** A multi-item result's rows (XEP-0004 §3.4), by var. */
  rows: Record<string, string>[];
  actions: string[];
}

export function readCommand(iq: Element): CommandReply {
  const cmd = iq.getChild('command', NS_COMMANDS);
  const x = cmd?.getChild('x', NS_DATA);
  const fields = new Map<string, ShownField>();
  for (const f of x?.getChildren('field') ?? []) {
    fields.set(String(f.attrs.var ?? `fixed-${fields.size}`), {
      type: String(f.attrs.type ?? 'text-single'),
      label: f.attrs.label,
      values: f.getChildren('value').map((v) => v.text()),
      options: f.getChildren('option').map((o) => o.getChildText('value') ?? ''),
    });
  }
  const rows = (x?.getChildren('item') ?? []).map((item) =>
    Object.fromEntries(item.getChildren('field').map((f) => [String(f.attrs.var), f.getChildText('value') ?? ''])),
  );
  return {
    status: cmd?.attrs.status,
    sessionid: cmd?.attrs.sessionid,
    notes: (cmd?.getChildren('note') ?? []).map((n) => ({ type: String(n.attrs.type ?? 'info'), text: n.text() })),
    formType: x?.attrs.type,
    title: x?.getChildText('title') ?? undefined,
    fields,
    rows,
    actions: (cmd?.getChild('actions')?.children ?? []).flatMap((c) => (typeof c === 'string' ? [] : [c.name])),
  };
}

/** The values a client submits: every field of the shown form (hidden ones included), changed by `changes`. */
export function answer(shown: CommandReply, changes: Record<string, string | string[]>): Record<string, string[]> {
  const values: Record<string, string[]> = {};
  for (const [v, f] of shown.fields) if (f.type !== 'fixed') values[v] = f.values;
  for (const [v, value] of Object.entries(changes)) values[v] = Array.isArray(value) ? value : value.split('\n');
  return values;
}

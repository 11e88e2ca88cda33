/**
 * XEP-0050 ad-hoc commands: the same actions as the `!` commands, as dialogs for clients
 * that show commands (Gajim, Psi, Conversations…). Arguments are asked for with an
 * XEP-0004 form; the form carries everything, so no session state is kept between steps.
 * Commands at the component's domain JID (target `{ desk: '' }`, e.g. console-session) may answer
 * with data: a form of type `result` beside the note (XEP-0050 §4.4).
 * References: https://xmpp.org/extensions/xep-0050.html, https://xmpp.org/extensions/xep-0004.html
 */
import { randomBytes } from 'node:crypto';
import type { CommandName } from '../../../src/commands.js';
import { DomainError } from '../../../src/errors.js';
import type { CommandRegistry } from '../../services/commands/registry.js';
import type { CommandSpec, Invocation } from '../../services/commands/types.js';
import { NS_COMMANDS, NS_DATA, NS_DISCO_ITEMS } from '../../protocol/namespaces.js';
import { xml, type Element } from '../../protocol/xml.js';

export type Invoker = (from: string, target: { desk: string } | { masked: string }) => Promise<Omit<Invocation, 'args'>>;

function form(spec: CommandSpec, inv: Omit<Invocation, 'args'>, options: ({ label: string; value: string }[] | undefined)[]): Element {
  const x = xml('x', { xmlns: NS_DATA, type: 'form' }, xml('title', {}, spec.summary));
  spec.fields.forEach((f, i) => {
    const opts = options[i];
    const field = xml('field', { var: f.var, label: f.label, type: opts ? 'list-single' : 'text-single' });
    if (f.required) field.append(xml('required'));
    for (const o of opts ?? []) field.append(xml('option', { label: o.label }, xml('value', {}, o.value)));
    x.append(field);
  });
  void inv;
  return x;
}

export function createAdhoc(commands: CommandRegistry, invoke: Invoker) {
  return {
    /** disco#items on node http://jabber.org/protocol/commands: what this requester may run here. */
    async items(jid: string, from: string, target: { desk: string } | { masked: string }): Promise<Element> {
      const query = xml('query', { xmlns: NS_DISCO_ITEMS, node: NS_COMMANDS });
      const inv = await invoke(from, target).catch(() => undefined);
      for (const spec of inv ? commands.available(inv) : []) query.append(xml('item', { jid, node: spec.name, name: spec.summary }));
      return query;
    },

    async execute(request: Element, target: { desk: string } | { masked: string }): Promise<Element> {
      const cmd = request.getChild('command', NS_COMMANDS) as Element;
      const node = String(cmd.attrs.node ?? '');
      const spec = commands.spec(node);
      if (!spec) throw new DomainError('unknown-session', `No command ${node}`);
      const sessionid = cmd.attrs.sessionid || randomBytes(8).toString('hex');
      const reply = (status: string, ...children: Element[]) =>
        xml('command', { xmlns: NS_COMMANDS, node, sessionid, status }, ...children);
      if (cmd.attrs.action === 'cancel') return reply('canceled');
      const inv = await invoke(String(request.attrs.from), target);
      commands.authorize(spec.name, inv); // no form for a command this operator may not run
      const submitted = cmd.getChild('x', NS_DATA);
      if (spec.fields.length > 0 && submitted?.attrs.type !== 'submit') {
        const options = await Promise.all(spec.fields.map((f) => f.options?.(inv as Invocation)));
        return reply('executing', xml('actions', { execute: 'complete' }, xml('complete')), form(spec, inv, options));
      }
      if (spec.result) {
        const answer = await spec.result({ ...inv, args: '' });
        const data = xml('x', { xmlns: NS_DATA, type: 'result' });
        for (const f of answer.fields) data.append(xml('field', { var: f.var, label: f.label }, xml('value', {}, f.value)));
        return reply('completed', xml('note', { type: 'info' }, answer.note), data);
      }
      const values = spec.fields.map(
        (f) =>
          submitted
            ?.getChildren('field')
            .find((el) => el.attrs.var === f.var)
            ?.getChildText('value') ?? '',
      );
      const text = await commands.execute(spec.name as CommandName, { ...inv, args: values.join(' ').trim() });
      return reply('completed', xml('note', { type: 'info' }, text || 'Done.'));
    },
  };
}
export type Adhoc = ReturnType<typeof createAdhoc>;

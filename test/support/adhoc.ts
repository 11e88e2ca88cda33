/** XEP-0050 ad-hoc commands from a test client: execute (empty form) or complete (with values). */
import { xml } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import type { TestClient } from './clients.js';

export const NS_COMMANDS = 'http://jabber.org/protocol/commands';
let seq = 0;

export async function adhoc(c: TestClient, to: string, node: string, fields?: Record<string, string>): Promise<Element> {
  const id = `cmd-${++seq}`;
  const command = xml('command', { xmlns: NS_COMMANDS, node, action: fields ? 'complete' : 'execute' });
  if (fields) {
    command.append(
      xml(
        'x',
        { xmlns: 'jabber:x:data', type: 'submit' },
        ...Object.entries(fields).map(([k, v]) => xml('field', { var: k }, xml('value', {}, v))),
      ),
    );
  }
  await c.send(xml('iq', { to, type: 'set', id }, command));
  return c.next((el) => el.name === 'iq' && el.attrs.id === id, `ad-hoc reply ${node}`);
}

/** The text a completed command answered with. */
export const adhocNote = (iq: Element) => iq.getChild('command', NS_COMMANDS)?.getChildText('note') ?? '';
/** The fields an executing command asks for. */
export const adhocFields = (iq: Element) =>
  iq
    .getChild('command', NS_COMMANDS)
    ?.getChild('x', 'jabber:x:data')
    ?.getChildren('field')
    .map((f) => f.attrs.var) ?? [];

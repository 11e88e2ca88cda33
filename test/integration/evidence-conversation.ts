/**
 * Records a support conversation into an evidence log the way the services tag stanzas
 * (component/services: join, buffered message, welcome, assign + re-delivery, joined, live
 * messages both ways, a chat state, end), so transcript code can be tested without Prosody.
 */
import type { EvidenceLog } from '../../component/evidence/evidence-log.js';

export const DOMAIN = 'support.localhost';

export interface Conversation {
  ticket: number;
  masked: string;
  customer: string;
  operator: string;
}

const delay = (stamp: number) => `<delay xmlns="urn:xmpp:delay" from="${DOMAIN}" stamp="${new Date(stamp).toISOString()}"/>`;

export async function recordConversation(
  log: EvidenceLog,
  c: { ticket: number; customer?: string; operator?: string; desk?: string; words?: string; name?: string },
): Promise<Conversation> {
  const desk = c.desk ?? 'support';
  const customer = c.customer ?? `cust${c.ticket}@guest.localhost/web`;
  const operator = c.operator ?? 'alice@localhost';
  const opName = operator.startsWith('bob') ? 'Bob' : 'Alice';
  const masked = `t${c.ticket}-ab12@${DOMAIN}`;
  const w = c.words ?? `ticket ${c.ticket}`;
  const deskJid = `${desk}@${DOMAIN}`;
  const rec = (
    kind: string,
    direction: string | null,
    ticket: { masked?: string; operator?: string },
    stanza?: string,
    data?: Record<string, string | number>,
  ) =>
    log.append({
      kind,
      ticket: c.ticket,
      desk,
      direction: direction as never,
      parties: { customer, ...(ticket.masked ? { masked: ticket.masked } : {}), ...(ticket.operator ? { operator: ticket.operator } : {}) },
      stanza,
      data,
    });
  const first = `<message type="chat" id="c1"><body>${w}: first question</body><origin-id xmlns="urn:xmpp:sid:0" id="origin-c1"/>${delay(1000)}</message>`;
  const second = `<message type="chat" id="c2"><body>${w}: still waiting</body>${delay(2000)}</message>`;
  await rec('join', 'customer->desk', {}, first, { position: 1 });
  await rec(
    'system',
    'desk->customer',
    {},
    `<message from="${deskJid}" to="${customer}" type="chat"><body>Welcome to Support. Your ticket is #${c.ticket}.</body></message>`,
  );
  await rec('message', 'customer->desk', {}, second);
  const live = { masked, operator };
  await rec(
    'assign',
    'desk->operator',
    live,
    `<message from="${masked}" to="${operator}" type="chat"><body>New chat — ticket #${c.ticket}</body><nick xmlns="http://jabber.org/protocol/nick">${c.name ?? 'Yuki'}</nick></message>`,
    { waitedMs: 5 },
  );
  await rec('message', 'customer->operator', live, first.replace('<message ', `<message from="${masked}" to="${operator}" `));
  await rec('message', 'customer->operator', live, second.replace('<message ', `<message from="${masked}" to="${operator}" `));
  await rec(
    'system',
    'desk->customer',
    live,
    `<message from="${deskJid}/${opName}" to="${customer}" type="chat"><body>${opName} has joined</body></message>`,
  );
  await rec(
    'message',
    'operator->customer',
    live,
    `<message from="${deskJid}/${opName}" to="${customer}" type="chat" id="o1"><body>${w}: operator answer</body></message>`,
  );
  await rec(
    'message',
    'customer->operator',
    live,
    `<message from="${masked}" to="${operator}" type="chat" id="c3"><composing xmlns="http://jabber.org/protocol/chatstates"/></message>`,
  );
  await rec(
    'message',
    'customer->operator',
    live,
    `<message from="${masked}" to="${operator}" type="chat" id="c3"><body>${w}: thanks</body></message>`,
  );
  await rec('end', null, live, undefined, { reason: 'operator-ended' });
  await rec(
    'system',
    'desk->customer',
    live,
    `<message from="${deskJid}/${opName}" to="${customer}" type="chat"><body>${opName} ended the chat</body></message>`,
  );
  await rec(
    'system',
    'desk->operator',
    live,
    `<message from="${masked}" to="${operator}" type="chat"><body>Chat #${c.ticket} ended</body></message>`,
  );
  return { ticket: c.ticket, masked, customer, operator };
}

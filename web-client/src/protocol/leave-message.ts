/**
 * <leave-message/>: the pre-chat form as an offline ticket when nobody can chat; the result
 * is <offline ticket='12'/>. Operators answer with `!reply`; the answer comes back as
 * <reply/> in the next <session/> result, or at once in a chat message from the desk.
 * References: docs/widget-protocol.md §6.
 */
import type { Stanzas } from 'stanza';
import { JXT } from 'stanza';
import { NS_DESK } from './namespaces.js';
import type { DeskPage } from './page.js';

const { addAlias, attribute, dateAttribute, integerAttribute, splicePath, text } = JXT;

export interface DeskLeaveMessage {
  form?: Stanzas.DataForm;
  pages?: DeskPage[];
}
export interface DeskOffline {
  ticket?: number;
}
export interface DeskReply {
  ticket?: number;
  at?: Date;
  operator?: string;
  text?: string;
}

declare module 'stanza' {
  namespace Stanzas {
    interface IQPayload {
      deskLeaveMessage?: DeskLeaveMessage;
      deskOffline?: DeskOffline;
    }
    interface Message {
      deskReply?: DeskReply;
    }
  }
}

export const leaveMessageProtocol: JXT.DefinitionOptions[] = [
  addAlias('jabber:x:data', 'x', ['iq.deskLeaveMessage.form']),
  {
    element: 'leave-message',
    namespace: NS_DESK,
    path: 'iq.deskLeaveMessage',
    fields: { pages: splicePath(NS_DESK, 'pages', 'deskPageView', true) },
  },
  { element: 'offline', namespace: NS_DESK, path: 'iq.deskOffline', fields: { ticket: integerAttribute('ticket') } },
  {
    element: 'reply',
    namespace: NS_DESK,
    path: 'message.deskReply',
    aliases: [{ path: 'iq.deskSession.replies', multiple: true }],
    fields: { ticket: integerAttribute('ticket'), at: dateAttribute('at'), operator: attribute('operator'), text: text() },
  },
];

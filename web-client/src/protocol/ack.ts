/**
 * <ack id='ORIGIN-ID'/>: the desk stored or relayed the customer's message with that
 * origin-id (XEP-0359); until then the widget shows it as pending and resends it.
 * References: docs/widget-protocol.md §4; XEP-0359.
 */
import { JXT } from 'stanza';
import { NS_DESK } from './namespaces.js';

const { attribute } = JXT;

export interface DeskAck {
  id?: string;
}

declare module 'stanza' {
  namespace Stanzas {
    interface Message {
      deskAck?: DeskAck;
    }
  }
}

export const ackProtocol: JXT.DefinitionOptions[] = [
  { element: 'ack', namespace: NS_DESK, path: 'message.deskAck', fields: { id: attribute('id') } },
];

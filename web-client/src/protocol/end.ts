/**
 * <end/>: the customer ends the chat (or leaves the queue); the result is
 * <status state='ended' reason='customer'/>. Unavailable presence does not end it: for a
 * widget that is just the next page loading. References: docs/widget-protocol.md §3.
 */
import type { JXT } from 'stanza';
import { NS_DESK } from './namespaces.js';

export type DeskEnd = Record<string, never>;

declare module 'stanza' {
  namespace Stanzas {
    interface IQPayload {
      deskEnd?: DeskEnd;
    }
  }
}

export const endProtocol: JXT.DefinitionOptions[] = [{ element: 'end', namespace: NS_DESK, path: 'iq.deskEnd' }];

/**
 * <queue/>: the desk's state in numbers next to its presence's show/status, so the button
 * never reads digits out of English text. References: docs/widget-protocol.md §3.
 */
import { JXT } from 'stanza';
import { NS_DESK } from './namespaces.js';

const { attribute, integerAttribute } = JXT;

export interface DeskQueue {
  mode?: 'open' | 'busy' | 'closed';
  waiting?: number;
  operators?: number;
  free?: number;
  /** Estimated wait for a customer joining now, whole minutes; absent when closed. */
  waitMinutes?: number;
  /** Closed by business hours: the next opening, ISO 8601 (issue 17). */
  opens?: string;
}

declare module 'stanza' {
  namespace Stanzas {
    interface Presence {
      deskQueue?: DeskQueue;
    }
  }
}

export const queueProtocol: JXT.DefinitionOptions[] = [
  {
    element: 'queue',
    namespace: NS_DESK,
    path: 'presence.deskQueue',
    fields: {
      mode: attribute('mode'),
      waiting: integerAttribute('waiting'),
      operators: integerAttribute('operators'),
      free: integerAttribute('free'),
      waitMinutes: integerAttribute('wait-minutes'),
      opens: attribute('opens'),
    },
  },
];

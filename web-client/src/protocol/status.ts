/**
 * <status/>: the ticket's state, next to the body of every automatic desk message, as the
 * result of <join/> and <session/>, and answered to `<iq type='get'><status/></iq>`.
 * References: docs/widget-protocol.md §3; XEP-0142 §5 (queue status) for the idea.
 */
import { JXT } from 'stanza';
import { NS_DESK } from './namespaces.js';

const { attribute, integerAttribute } = JXT;

export interface DeskStatus {
  ticket?: number;
  state?: 'waiting' | 'active' | 'ended';
  /** Waiting: place in line. */
  position?: number;
  /** Waiting: estimated wait in seconds; absent when no operator is online. */
  wait?: number;
  /** Active: the operator's display name. */
  operator?: string;
  /** Ended: `operator`, `customer`, `banned`, `timeout` or `closed` (closing time: kept as an offline message). */
  reason?: string;
}

declare module 'stanza' {
  namespace Stanzas {
    interface Message {
      deskStatus?: DeskStatus;
    }
    interface IQPayload {
      deskStatus?: DeskStatus;
    }
  }
}

export const statusProtocol: JXT.DefinitionOptions[] = [
  {
    element: 'status',
    namespace: NS_DESK,
    path: 'message.deskStatus',
    aliases: ['iq.deskStatus', 'iq.deskSession.status'],
    fields: {
      ticket: integerAttribute('ticket'),
      state: attribute('state'),
      position: integerAttribute('position'),
      wait: integerAttribute('wait'),
      operator: attribute('operator'),
      reason: attribute('reason'),
    },
  },
];

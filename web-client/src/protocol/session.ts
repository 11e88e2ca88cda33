/**
 * <session token='…'/>: binds this connection's JID to the customer's token; the result
 * carries the live ticket's <status/> (reattach) and the replies to messages left earlier.
 * References: docs/widget-protocol.md §1.
 */
import { JXT } from 'stanza';
import { NS_DESK } from './namespaces.js';
import type { DeskIdentity } from './identity.js';
import type { DeskReply } from './leave-message.js';
import type { DeskStatus } from './status.js';

const { attribute } = JXT;

export interface DeskSession {
  token?: string;
  status?: DeskStatus;
  replies?: DeskReply[];
  /** Sent: who the site says this is (issue 20). */
  identity?: DeskIdentity;
  /** Answered: whether the desk could verify it. */
  verified?: 'verified' | 'unverified';
}

declare module 'stanza' {
  namespace Stanzas {
    interface IQPayload {
      deskSession?: DeskSession;
    }
  }
}

export const sessionProtocol: JXT.DefinitionOptions[] = [
  {
    element: 'session',
    namespace: NS_DESK,
    path: 'iq.deskSession',
    fields: { token: attribute('token'), verified: attribute('identity') },
  },
];

/**
 * <identity user-id name email signature/> inside <session/> and <join/>: who the host site says
 * the customer is, signed by its backend (issue 20); the session's result says
 * identity='verified' or 'unverified'. References: docs/widget-protocol.md §1.
 */
import { JXT } from 'stanza';
import { NS_DESK } from './namespaces.js';

const { attribute } = JXT;

export interface DeskIdentity {
  userId?: string;
  name?: string;
  email?: string;
  signature?: string;
}

export const identityProtocol: JXT.DefinitionOptions[] = [
  {
    element: 'identity',
    namespace: NS_DESK,
    path: 'iq.deskSession.identity',
    aliases: ['iq.deskJoin.identity'],
    fields: { userId: attribute('user-id'), name: attribute('name'), email: attribute('email'), signature: attribute('signature') },
  },
];

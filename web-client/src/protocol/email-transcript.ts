/**
 * <email-transcript ticket/>: mail the ended chat's transcript to the email the customer gave.
 * References: docs/widget-protocol.md §7.
 */
import { JXT } from 'stanza';
import { NS_DESK } from './namespaces.js';

const { integerAttribute } = JXT;

export interface DeskEmailTranscript {
  ticket?: number;
}

declare module 'stanza' {
  namespace Stanzas {
    interface IQPayload {
      deskEmailTranscript?: DeskEmailTranscript;
    }
  }
}

export const emailTranscriptProtocol: JXT.DefinitionOptions[] = [
  { element: 'email-transcript', namespace: NS_DESK, path: 'iq.deskEmailTranscript', fields: { ticket: integerAttribute('ticket') } },
];

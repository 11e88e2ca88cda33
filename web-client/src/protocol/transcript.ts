/**
 * <transcript ticket='7'/>: the customer's own ticket, read from the evidence log; lines from
 * `customer`, `desk` or `operator`, with the message id so a reattached widget fills its gaps.
 * References: docs/widget-protocol.md §7.
 */
import { JXT } from 'stanza';
import { NS_DESK } from './namespaces.js';

const { attribute, dateAttribute, integerAttribute, text } = JXT;

export interface DeskTranscriptLine {
  at?: Date;
  from?: 'customer' | 'desk' | 'operator';
  name?: string;
  id?: string;
  text?: string;
}
export interface DeskTranscript {
  ticket?: number;
  desk?: string;
  lines?: DeskTranscriptLine[];
}

declare module 'stanza' {
  namespace Stanzas {
    interface IQPayload {
      deskTranscript?: DeskTranscript;
    }
  }
}

export const transcriptProtocol: JXT.DefinitionOptions[] = [
  {
    element: 'transcript',
    namespace: NS_DESK,
    path: 'iq.deskTranscript',
    fields: { ticket: integerAttribute('ticket'), desk: attribute('desk') },
  },
  {
    element: 'line',
    namespace: NS_DESK,
    aliases: [{ path: 'iq.deskTranscript.lines', multiple: true }],
    fields: { at: dateAttribute('at'), from: attribute('from'), name: attribute('name'), id: attribute('id'), text: text() },
  },
];

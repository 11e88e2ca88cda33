/**
 * <rate ticket score>comment</rate>: the customer's 1–5 rating of an ended chat; a second
 * rating replaces the first. References: docs/widget-protocol.md §8.
 */
import { JXT } from 'stanza';
import { NS_DESK } from './namespaces.js';

const { integerAttribute, text } = JXT;

export interface DeskRate {
  ticket?: number;
  score?: number;
  comment?: string;
}

declare module 'stanza' {
  namespace Stanzas {
    interface IQPayload {
      deskRate?: DeskRate;
    }
  }
}

export const rateProtocol: JXT.DefinitionOptions[] = [
  {
    element: 'rate',
    namespace: NS_DESK,
    path: 'iq.deskRate',
    fields: { ticket: integerAttribute('ticket'), score: integerAttribute('score'), comment: text() },
  },
];

/**
 * <join/>: enter the desk's queue with the pre-chat form (XEP-0004, FORM_TYPE
 * urn:madoguchi:desk:0#join) and the visit's page views; the result is a <status/>.
 * References: docs/widget-protocol.md §2; XEP-0142 §5.1 (join-queue); XEP-0004.
 */
import type { Stanzas } from 'stanza';
import { JXT } from 'stanza';
import { NS_DESK } from './namespaces.js';
import type { DeskIdentity } from './identity.js';
import type { DeskPage } from './page.js';

const { addAlias, attribute, splicePath } = JXT;

export interface DeskJoin {
  /** The first question's message id: the desk uses it as its origin-id (transcripts match it). */
  id?: string;
  form?: Stanzas.DataForm;
  pages?: DeskPage[];
  identity?: DeskIdentity;
}

declare module 'stanza' {
  namespace Stanzas {
    interface IQPayload {
      deskJoin?: DeskJoin;
    }
  }
}

export const joinProtocol: JXT.DefinitionOptions[] = [
  addAlias('jabber:x:data', 'x', ['iq.deskJoin.form']),
  {
    element: 'join',
    namespace: NS_DESK,
    path: 'iq.deskJoin',
    fields: { id: attribute('id'), pages: splicePath(NS_DESK, 'pages', 'deskPageView', true) },
  },
];

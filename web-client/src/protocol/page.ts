/**
 * <page url title at/>: a page view. In <join><pages/> the visit's history (oldest first, at
 * most 50); alone in an IQ set, a navigation during a live chat.
 * References: docs/widget-protocol.md §2 and §5.
 */
import { JXT } from 'stanza';
import { NS_DESK } from './namespaces.js';

const { attribute, dateAttribute } = JXT;

export interface DeskPage {
  url: string;
  title?: string;
  at?: Date;
}

declare module 'stanza' {
  namespace Stanzas {
    interface IQPayload {
      deskPage?: DeskPage;
    }
  }
}

export const pageProtocol: JXT.DefinitionOptions[] = [
  {
    element: 'page',
    namespace: NS_DESK,
    path: 'deskPageView',
    aliases: ['iq.deskPage'],
    fields: { url: attribute('url'), title: attribute('title'), at: dateAttribute('at') },
  },
];

/** The widget's join form (docs/widget-protocol.md §2): an XEP-0004 submission of these fields. */
import { xml } from '@xmpp/client';
import type { Element } from '@xmpp/xml';

const NS_DESK = 'urn:madoguchi:desk:0';

export const joinForm = (fields: Record<string, string>): Element =>
  xml(
    'x',
    { xmlns: 'jabber:x:data', type: 'submit' },
    xml('field', { var: 'FORM_TYPE', type: 'hidden' }, xml('value', {}, `${NS_DESK}#join`)),
    ...Object.entries(fields).map(([k, v]) => xml('field', { var: k }, xml('value', {}, v))),
  );

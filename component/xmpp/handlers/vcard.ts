/**
 * vcard-temp (XEP-0054) for desks and masked customers, so clients show names, not ids.
 * Only the name: nothing here may reveal a real address.
 */
import { NS_VCARD } from '../../protocol/namespaces.js';
import { xml, type Element } from '../../protocol/xml.js';

export const vcard = (name: string): Element => xml('vCard', { xmlns: NS_VCARD }, xml('FN', {}, name), xml('NICKNAME', {}, name));

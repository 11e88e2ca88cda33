/**
 * Builds the proxied copy of a message: new addresses, the body and the allowlisted
 * payloads only (src/relay-policy.ts), the original id kept so receipts and markers
 * (XEP-0184/0333) still refer to the right message.
 */
import { isRelayedPayload } from '../../src/relay-policy.js';
import { xml, type Element } from './xml.js';

export function relayedPayload(stanza: Element): Element[] {
  return stanza.getChildElements().filter((child) => child.name === 'body' || isRelayedPayload(child.name, child.attrs.xmlns));
}

export function relayCopy(stanza: Element, from: string | undefined, to: string | undefined, extra: Element[] = []): Element {
  return xml('message', { from, to, type: 'chat', id: stanza.attrs.id }, ...relayedPayload(stanza), ...extra);
}

/** Re-address a stanza the component stored earlier (buffered while waiting). */
export function readdress(stanza: Element, from: string, to: string): Element {
  stanza.attrs.from = from;
  stanza.attrs.to = to;
  return stanza;
}

/**
 * What crosses the proxy (DESIGN §2 "What is relayed"): the body and an allowlist
 * of payload namespaces. Everything else is stripped, so no client can smuggle
 * addressing data (e.g. XEP-0033) or its own identity through the desk.
 */
import { DomainError } from './errors.js';

export const RELAYED_NAMESPACES: ReadonlySet<string> = new Set([
  'http://jabber.org/protocol/chatstates', // XEP-0085
  'urn:xmpp:receipts', // XEP-0184
  'urn:xmpp:chat-markers:0', // XEP-0333
  'urn:xmpp:message-correct:0', // XEP-0308
  'jabber:x:oob', // XEP-0066 (XEP-0363 uploads are shared as OOB links)
  'urn:xmpp:sid:0', // XEP-0359 origin-id
  'urn:xmpp:rtt:0', // XEP-0301
  'urn:xmpp:hints', // XEP-0334 (no-store etc. keep their meaning)
]);

/** XEP-0359 stanza-id is set by the receiving server; a client copy must never pass. */
export const isRelayedPayload = (name: string, xmlns: string | undefined): boolean =>
  xmlns !== undefined && RELAYED_NAMESPACES.has(xmlns) && !(xmlns === 'urn:xmpp:sid:0' && name === 'stanza-id');

export function checkBodyLength(body: string | undefined, maxChars: number): void {
  // Code units >= code points, so the cheap check clears almost every body.
  if (body !== undefined && body.length > maxChars && [...body].length > maxChars) {
    throw new DomainError('body-too-long', `Message too long: at most ${maxChars} characters`);
  }
}

/** XML namespaces used by the component (xmpp.js/StanzaJS style NS_* constants). */
export const NS_STANZAS = 'urn:ietf:params:xml:ns:xmpp-stanzas'; // RFC 6120 §8.3
export const NS_DISCO_INFO = 'http://jabber.org/protocol/disco#info'; // XEP-0030
export const NS_DISCO_ITEMS = 'http://jabber.org/protocol/disco#items';
export const NS_PING = 'urn:xmpp:ping'; // XEP-0199
export const NS_NICK = 'http://jabber.org/protocol/nick'; // XEP-0172
export const NS_DELAY = 'urn:xmpp:delay'; // XEP-0203
export const NS_CHATSTATES = 'http://jabber.org/protocol/chatstates'; // XEP-0085
export const NS_RECEIPTS = 'urn:xmpp:receipts';
export const NS_MARKERS = 'urn:xmpp:chat-markers:0';
export const NS_CORRECT = 'urn:xmpp:message-correct:0';
export const NS_OOB = 'jabber:x:oob';
export const NS_SID = 'urn:xmpp:sid:0';
export const NS_RTT = 'urn:xmpp:rtt:0';
export const NS_VERSION = 'jabber:iq:version';
export const NS_COMMANDS = 'http://jabber.org/protocol/commands'; // XEP-0050
export const NS_DATA = 'jabber:x:data'; // XEP-0004
export const NS_VCARD = 'vcard-temp'; // XEP-0054

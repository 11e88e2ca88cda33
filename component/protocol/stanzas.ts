/** Stanza builders: all outgoing XML is made here, through xml(). */
import { xml, type Element } from './xml.js';
import { NS_DELAY, NS_NICK, NS_STANZAS } from './namespaces.js';

export type ErrorType = 'auth' | 'cancel' | 'continue' | 'modify' | 'wait';

export interface StanzaError {
  type: ErrorType;
  condition: string;
  text?: string;
  /** An application-specific condition (RFC 6120 §8.3.2), e.g. XEP-0050's <bad-sessionid/>. */
  app?: { name: string; xmlns: string };
}

/** Thrown by a handler to answer with exactly this stanza error. */
export class StanzaFailure extends Error {
  constructor(readonly error: StanzaError) {
    super(error.text ?? error.condition);
  }
}

export function chat(from: string, to: string, body: string, extra: Element[] = []): Element {
  return xml('message', { from, to, type: 'chat' }, xml('body', {}, body), ...extra);
}

export const nick = (name: string): Element => xml('nick', { xmlns: NS_NICK }, name);

export const delay = (from: string, stampMs: number): Element =>
  xml('delay', { xmlns: NS_DELAY, from, stamp: new Date(stampMs).toISOString() });

export function presence(from: string, to: string, attrs: { type?: string; show?: string; status?: string } = {}): Element {
  const el = xml('presence', { from, to, type: attrs.type });
  if (attrs.show && attrs.show !== 'available') el.c('show').t(attrs.show);
  if (attrs.status) el.c('status').t(attrs.status);
  return el;
}

/**
 * RFC 6120 §8.3: an error reply swaps from/to, keeps id and type="error", and carries
 * the condition in the stanzas namespace (plus optional human-readable text).
 */
export function errorReply(stanza: Element, error: StanzaError): Element {
  const reply = xml(stanza.name, { from: stanza.attrs.to, to: stanza.attrs.from, id: stanza.attrs.id, type: 'error' });
  const err = xml('error', { type: error.type }, xml(error.condition, { xmlns: NS_STANZAS }));
  if (error.text) err.c('text', { xmlns: NS_STANZAS, 'xml:lang': 'en' }).t(error.text);
  if (error.app) err.append(xml(error.app.name, { xmlns: error.app.xmlns }));
  reply.append(err);
  return reply;
}

export function iqResult(iq: Element, payload?: Element): Element {
  const reply = xml('iq', { from: iq.attrs.to, to: iq.attrs.from, id: iq.attrs.id, type: 'result' });
  if (payload) reply.append(payload);
  return reply;
}

/** The defined condition of an error stanza (RFC 6120 §8.3.3), if any. */
export function errorCondition(stanza: Element): { type: string; condition: string } | undefined {
  const err = stanza.getChild('error');
  if (!err) return undefined;
  const cond = err.children.find((c): c is Element => typeof c !== 'string' && c.attrs.xmlns === NS_STANZAS && c.name !== 'text');
  return { type: String(err.attrs.type ?? ''), condition: cond?.name ?? 'undefined-condition' };
}

/**
 * What the bench's lean clients (TCP c2s and WebSocket) share: raw stanza strings in, a fast
 * path for bench-marked messages (no parsing), a slow path (ltx parse) for everything else,
 * with the replies a real client gives (approve the desk's subscription, answer pings and
 * roster pushes), bounded waiting and a bounded inbox.
 */
import { createRequire } from 'node:module';
import type { Element } from '@xmpp/xml';
import { readMark } from './marks.js';

const require = createRequire(import.meta.url);
const parse = require('ltx/lib/parse.js') as (text: string) => Element;

export const NS_SASL = 'urn:ietf:params:xml:ns:xmpp-sasl';
export const NS_BIND = 'urn:ietf:params:xml:ns:xmpp-bind';
const INBOX_MAX = 100;

export type Match = (el: Element) => boolean;

export interface BenchConn {
  jid: string;
  write(raw: string): void;
  /** Bench-marked messages (fast path): flow id, send and receive time in µs. */
  onMark: ((flow: number, sentUs: number, recvUs: number) => void) | undefined;
  /** Every other stanza, after the automatic replies. */
  onStanza: ((el: Element, recvUs: number) => void) | undefined;
  /** Sees each stanza string before anything else; returning true consumes it unparsed (the flood phase counts its bounces so). */
  onRaw?: (raw: string) => boolean;
  /** TCP only: writes and resolves once the socket can take more (backpressure, for a sender as fast as the path allows). */
  writeDrained?: (raw: string) => Promise<void>;
  next(match: Match, what: string, timeoutMs?: number): Promise<Element>;
  closed: boolean;
  close(): void;
  /** Stanzas counted per kind, for amplification reports. */
  counts: { marks: number; messages: number; presences: number; iqs: number; errors: number };
}

export const escapeXml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&apos;').replace(/"/g, '&quot;');
export const bareOf = (jid: string | undefined) => (jid ?? '').split('/')[0] ?? '';

/** The shared stanza handling; the transport calls `take` for each complete stanza string. */
export function createSink(write: (raw: string) => void, close: () => void, label: string) {
  const inbox: Element[] = [];
  const waiters = new Set<(el: Element) => boolean>();
  const mark = { flow: 0, sentUs: 0 };
  const conn: BenchConn = {
    jid: '',
    write,
    onMark: undefined,
    onStanza: undefined,
    closed: false,
    close,
    counts: { marks: 0, messages: 0, presences: 0, iqs: 0, errors: 0 },
    next(match, what, timeoutMs = 10_000) {
      const i = inbox.findIndex(match);
      if (i !== -1) return Promise.resolve(inbox.splice(i, 1)[0] as Element);
      return new Promise((resolve, reject) => {
        const waiter = (el: Element) => {
          if (!match(el)) return false;
          clearTimeout(timer);
          waiters.delete(waiter);
          resolve(el);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`${label} ${conn.jid}: timed out after ${timeoutMs} ms waiting for ${what}`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
  };

  function autoReply(el: Element): void {
    const { name, attrs } = el;
    if (name === 'presence' && attrs.type === 'subscribe' && attrs.from) {
      write(`<presence to='${escapeXml(bareOf(attrs.from))}' type='subscribed'/>`);
    } else if (name === 'iq' && (attrs.type === 'get' || attrs.type === 'set') && attrs.id) {
      const child = el.getChildElements()[0];
      const ns = child?.attrs.xmlns;
      const to = attrs.from ? ` to='${escapeXml(attrs.from)}'` : '';
      if (ns === 'urn:xmpp:ping' || ns === 'jabber:iq:roster') write(`<iq type='result' id='${escapeXml(attrs.id)}'${to}/>`);
      else
        write(
          `<iq type='error' id='${escapeXml(attrs.id)}'${to}><error type='cancel'><service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>`,
        );
    }
  }

  function take(raw: string, recvUs: number): void {
    if (conn.onRaw?.(raw)) return;
    if (raw.startsWith('<message') && conn.onMark && readMark(raw, mark)) {
      conn.counts.marks++;
      conn.onMark(mark.flow, mark.sentUs, recvUs);
      return;
    }
    let el: Element;
    try {
      el = parse(raw);
    } catch {
      return; // not for us to judge; the bench only counts what it understands
    }
    if (el.name === 'message') conn.counts.messages++;
    else if (el.name === 'presence') conn.counts.presences++;
    else if (el.name === 'iq') conn.counts.iqs++;
    if (el.attrs.type === 'error') conn.counts.errors++;
    autoReply(el);
    for (const w of waiters) if (w(el)) return;
    if (conn.onStanza) return conn.onStanza(el, recvUs);
    inbox.push(el);
    if (inbox.length > INBOX_MAX) inbox.shift();
  }

  return { conn, take };
}

export function bindRequest(resource: string | undefined, id: string): string {
  const res = resource ? `<resource>${escapeXml(resource)}</resource>` : '';
  return `<iq type='set' id='${id}'><bind xmlns='${NS_BIND}'>${res}</bind></iq>`;
}

export const isFeatures: Match = (el) => el.name === 'stream:features' || el.name === 'features';
export const isSaslOutcome: Match = (el) => el.name === 'success' || el.name === 'failure';
export const isResult =
  (id: string): Match =>
  (el) =>
    el.name === 'iq' && el.attrs.id === id;

export function boundJid(el: Element): string {
  if (el.attrs.type !== 'result') throw new Error(`bind failed: ${el.toString()}`);
  const jid = el.getChild('bind')?.getChildText('jid');
  if (!jid) throw new Error(`bind result without jid: ${el.toString()}`);
  return jid;
}

/**
 * Real XMPP clients for tests (@xmpp/client): every incoming stanza lands in an inbox;
 * `expect*` helpers take the next matching one (in arrival order) or fail after a timeout.
 */
import { client, xml } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import { decodeUtf8Incrementally } from '../../component/xmpp/utf8-decoding.js';

export interface TestClient {
  jid: string;
  inbox: Element[];
  send(el: Element): Promise<void>;
  say(to: string, body: string, extra?: Element[]): Promise<void>;
  /** Next stanza matching the predicate; removes it from the inbox. */
  next(match: (el: Element) => boolean, what: string, timeoutMs?: number): Promise<Element>;
  message(from: string, bodyIncludes?: string | RegExp, timeoutMs?: number): Promise<Element>;
  /** Fails if a matching stanza arrives within the window. */
  none(match: (el: Element) => boolean, what: string, windowMs?: number): Promise<void>;
  /** Subscribes to a desk; resolves to the desk's presence that came with its approval. */
  subscribeTo(deskJid: string): Promise<Element>;
  /** Sends an IQ; resolves to the result, or to the error stanza (never rejects on type='error'). */
  iq(to: string, type: 'get' | 'set', payload: Element): Promise<Element>;
  stop(): Promise<void>;
  /** Connected now (the client reconnects by itself after a server restart). */
  online(): boolean;
}

/** The defined condition of an error stanza, e.g. 'not-acceptable'. */
export const errorConditionOf = (el: Element) =>
  el
    .getChild('error')
    ?.getChildElements()
    .find((c) => c.attrs.xmlns === 'urn:ietf:params:xml:ns:xmpp-stanzas' && c.name !== 'text')?.name;

const bodyOf = (el: Element) => el.getChildText('body') ?? '';
export const isMessageFrom = (from: string, body?: string | RegExp) => (el: Element) =>
  el.name === 'message' &&
  el.attrs.type !== 'error' &&
  el.attrs.from === from &&
  (body === undefined || (typeof body === 'string' ? bodyOf(el).includes(body) : body.test(bodyOf(el))));
const bareOf = (jid: string | undefined) => (jid ?? '').split('/')[0];

/** What a client answers besides roster pushes: XEP-0199 ping (default on), XEP-0030 disco#info (default off). */
export interface Answers {
  ping?: boolean;
  disco?: boolean;
}

function wrap(xmpp: ReturnType<typeof client>, answers: Answers = {}): TestClient {
  decodeUtf8Incrementally(xmpp); // @xmpp/connection 0.13 decodes TCP chunk by chunk (issue 14)
  const inbox: Element[] = [];
  const waiters = new Set<() => void>();
  const t: TestClient = {
    jid: '',
    inbox,
    send: (el) => xmpp.send(el),
    say: (to, body, extra = []) =>
      xmpp.send(xml('message', { to, type: 'chat', id: `m${Math.random().toString(36).slice(2)}` }, xml('body', {}, body), ...extra)),
    next(match, what, timeoutMs = 8000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const i = inbox.findIndex(match);
          if (i === -1) return false;
          const [el] = inbox.splice(i, 1);
          waiters.delete(check);
          clearTimeout(timer);
          resolve(el as Element);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`${t.jid}: timed out waiting for ${what}; inbox:\n${inbox.map((e) => e.toString()).join('\n')}`));
        }, timeoutMs);
        if (!check()) waiters.add(check);
      });
    },
    message(from, body, timeoutMs) {
      return t.next(isMessageFrom(from, body), `message from ${from}${body ? ` with ${String(body)}` : ''}`, timeoutMs);
    },
    async none(match, what, windowMs = 1000) {
      await new Promise((r) => setTimeout(r, windowMs));
      const found = inbox.find(match);
      if (found) throw new Error(`${t.jid}: unexpected ${what}: ${found.toString()}`);
    },
    async subscribeTo(deskJid) {
      await xmpp.send(xml('presence', { to: deskJid, type: 'subscribe' }));
      // The desk approves and sends its presence. (An already-subscribed account sees no
      // second `subscribed`: its server absorbs it, RFC 6121 §3.1.6.)
      return t.next(
        (el) => el.name === 'presence' && el.attrs.type === undefined && el.attrs.from === deskJid,
        `presence of ${deskJid} after subscribing`,
      );
    },
    async iq(to, type, payload) {
      const id = `iq${Math.random().toString(36).slice(2)}`;
      await xmpp.send(xml('iq', { to, type, id }, payload));
      return t.next(
        (el) => el.name === 'iq' && el.attrs.id === id && (el.attrs.type === 'result' || el.attrs.type === 'error'),
        `IQ reply ${id}`,
      );
    },
    async stop() {
      await xmpp.stop();
    },
    online: () => (xmpp as unknown as { status: string }).status === 'online',
  };
  xmpp.on('stanza', (el: Element) => {
    // Approve the desk's own subscription request, as a client user would.
    if (el.name === 'presence' && el.attrs.type === 'subscribe')
      void xmpp.send(xml('presence', { to: bareOf(el.attrs.from), type: 'subscribed' }));
    inbox.push(el);
    for (const w of [...waiters]) w();
  });
  xmpp.on('error', () => undefined);
  // Like real clients: acknowledge roster pushes, answer XEP-0199 pings (unanswered IQs get service-unavailable).
  xmpp.iqCallee.set('jabber:iq:roster', 'query', () => true);
  if (answers.ping !== false) xmpp.iqCallee.get('urn:xmpp:ping', 'ping', () => true);
  if (answers.disco) {
    xmpp.iqCallee.get('http://jabber.org/protocol/disco#info', 'query', () =>
      xml(
        'query',
        { xmlns: 'http://jabber.org/protocol/disco#info' },
        xml('identity', { category: 'client', type: 'web', name: 'test client' }),
        xml('feature', { var: 'http://jabber.org/protocol/disco#info' }),
      ),
    );
  }
  return t;
}

export async function connectOperator(o: { port: number; user: string; resource: string; show?: string }): Promise<TestClient> {
  const xmpp = client({
    service: `xmpp://127.0.0.1:${o.port}`,
    domain: 'localhost',
    username: o.user,
    password: o.user,
    resource: o.resource,
  });
  const t = wrap(xmpp);
  const address = await xmpp.start();
  t.jid = address.toString();
  // RFC 6121 §2.1.6: fetch the roster before presence, or the server sends no roster pushes.
  await xmpp.iqCaller.request(xml('iq', { type: 'get' }, xml('query', { xmlns: 'jabber:iq:roster' })));
  await xmpp.send(o.show ? xml('presence', {}, xml('show', {}, o.show)) : xml('presence'));
  return t;
}

export async function connectCustomer(o: { port: number; answers?: Answers }): Promise<TestClient> {
  const xmpp = client({ service: `ws://127.0.0.1:${o.port}/xmpp-websocket`, domain: 'guest.localhost' });
  const t = wrap(xmpp, o.answers);
  const address = await xmpp.start();
  t.jid = address.toString();
  await xmpp.send(xml('presence'));
  return t;
}

/** The desk's first message to an operator about a newly assigned customer. */
export const isIntro = (el: Element) => el.name === 'message' && /New chat/.test(el.getChildText('body') ?? '');
/** An intro, or the hand-over message after a transfer or takeover. */
export const isIntroOrHandover = (el: Element) =>
  el.name === 'message' && /New chat|Transferred to you/.test(el.getChildText('body') ?? '');

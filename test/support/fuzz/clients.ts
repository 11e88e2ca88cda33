/**
 * Lean XMPP clients for the fuzzer: no inbox that grows for 100,000 stanzas, just a callback per
 * stanza. Operators and mallory log in over c2s TCP, customers anonymously over WebSocket or TCP.
 * A client the server disconnects reconnects (@xmpp/reconnect); `generation` counts the sessions,
 * so the oracle does not wait for answers that went to a closed stream.
 */
import { client, xml } from '@xmpp/client';
import type { Element } from '@xmpp/xml';

export interface FuzzClient {
  name: string;
  jid: string;
  generation: number;
  online: boolean;
  send(el: Element): Promise<boolean>;
  onStanza: (el: Element) => void;
  stop(): Promise<void>;
}

type Login =
  | { kind: 'account'; port: number; user: string; presenceTo?: string[]; show?: string }
  | { kind: 'guest-ws'; port: number }
  | { kind: 'guest-tcp'; port: number };

export async function connectFuzzClient(name: string, login: Login): Promise<FuzzClient> {
  const xmpp =
    login.kind === 'account'
      ? client({
          service: `xmpp://127.0.0.1:${login.port}`,
          domain: 'localhost',
          username: login.user,
          password: login.user,
          resource: 'fuzz',
        })
      : client({
          service: login.kind === 'guest-ws' ? `ws://127.0.0.1:${login.port}/xmpp-websocket` : `xmpp://127.0.0.1:${login.port}`,
          domain: 'guest.localhost',
        });
  const c: FuzzClient = {
    name,
    jid: '',
    generation: 0,
    online: false,
    onStanza: () => undefined,
    async send(el) {
      if (!c.online) return false;
      try {
        await xmpp.send(el);
        return true;
      } catch {
        return false;
      }
    },
    async stop() {
      (xmpp as unknown as { reconnect?: { stop?: () => void } }).reconnect?.stop?.();
      await xmpp.stop().catch(() => undefined);
    },
  };
  xmpp.on('error', () => undefined);
  xmpp.on('offline', () => {
    c.online = false;
  });
  xmpp.on('disconnect', () => {
    c.online = false;
    c.generation++;
  });
  xmpp.on('stanza', (el: Element) => c.onStanza(el));
  xmpp.on('online', async (address: { toString(): string }) => {
    c.jid = address.toString();
    if (login.kind === 'account') {
      // RFC 6121 §2.1.6: roster first, then presence (and directed presence to the desks: signing in).
      await xmpp.iqCaller.request(xml('iq', { type: 'get' }, xml('query', { xmlns: 'jabber:iq:roster' }))).catch(() => undefined);
      const show = () => (login.show ? [xml('show', {}, login.show)] : []);
      await xmpp.send(xml('presence', {}, ...show()));
      for (const to of login.presenceTo ?? []) await xmpp.send(xml('presence', { to }, ...show()));
    } else {
      await xmpp.send(xml('presence'));
    }
    c.online = true;
  });
  xmpp.iqCallee.set('jabber:iq:roster', 'query', () => true);
  xmpp.iqCallee.get('urn:xmpp:ping', 'ping', () => true);
  await xmpp.start();
  for (let i = 0; i < 100 && !c.online; i++) await new Promise((r) => setTimeout(r, 20));
  return c;
}

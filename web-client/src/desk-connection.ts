/**
 * The customer's XMPP link to one desk (StanzaJS over WebSocket, SASL ANONYMOUS): directed
 * presence to watch the desk's state, chat messages with nick and chat states, unavailable
 * presence to leave. StanzaJS answers the desk's pings (XEP-0199) by itself.
 * References: RFC 7395 (WebSocket), RFC 6121 §4.6 (directed presence), XEP-0085 (chat
 * states), XEP-0172 (nick), XEP-0359 (origin-id), XEP-0199 (ping).
 */
import { createClient, JID, type Stanzas } from 'stanza';

export type ChatState = 'active' | 'composing' | 'paused' | 'inactive' | 'gone';

export interface DeskConnectionOptions {
  websocketUrl: string;
  guestDomain: string;
  deskJid: string;
  lang: string;
}

export interface DeskConnectionEvents {
  /** A session started; `again` when it is not the first (a new anonymous JID). */
  online(again: boolean): void;
  offline(): void;
  presence(p: { type?: string; show?: string; status?: string }): void;
  /** A body from the desk; `resource` is the operator's display name when set. */
  message(m: { resource?: string; body: string }): void;
  chatState(m: { resource?: string; state: ChatState }): void;
  /** The desk refused a message (e.g. too long, or the service is down). */
  failed(reason: string): void;
}

export function createDeskConnection(opts: DeskConnectionOptions, on: DeskConnectionEvents) {
  const client = createClient({
    jid: opts.guestDomain,
    server: opts.guestDomain,
    lang: opts.lang,
    transports: { websocket: opts.websocketUrl, bosh: false },
    autoReconnect: true,
    useStreamManagement: false,
  });
  let sessions = 0;
  let stopped = false;
  const fromDesk = (from: string | undefined) => JID.toBare(from ?? '') === opts.deskJid;

  client.on('session:started', () => {
    on.online(sessions++ > 0);
    client.sendPresence({ to: opts.deskJid });
  });
  client.on('disconnected', () => {
    if (!stopped) on.offline();
  });
  client.on('presence', (p: Stanzas.ReceivedPresence) => {
    if (!fromDesk(p.from)) return;
    on.presence({ type: p.type, show: p.show, status: p.status });
  });
  client.on('message', (m: Stanzas.ReceivedMessage) => {
    if (!fromDesk(m.from)) return;
    if (m.type === 'error') {
      on.failed(m.error?.text || m.error?.condition || 'error');
      return;
    }
    const resource = JID.getResource(m.from) || undefined;
    if (m.chatState) on.chatState({ resource, state: m.chatState });
    if (typeof m.body === 'string' && m.body !== '') on.message({ resource, body: m.body });
  });

  return {
    start(): void {
      client.connect();
    },
    /** A chat message to the desk; the first one carries the customer's name (XEP-0172). */
    say(body: string, nick?: string): void {
      const id = client.nextId();
      client.sendMessage({ to: opts.deskJid, type: 'chat', id, originId: id, body, chatState: 'active', ...(nick ? { nick } : {}) });
    },
    chatState(state: ChatState): void {
      client.sendMessage({ to: opts.deskJid, type: 'chat', chatState: state });
    },
    /** Leaves the queue or ends the chat, then keeps watching the desk's state. */
    leave(): void {
      client.sendPresence({ to: opts.deskJid, type: 'unavailable' });
      client.sendPresence({ to: opts.deskJid });
    },
    stop(): void {
      stopped = true;
      client.disconnect();
    },
  };
}
export type DeskConnection = ReturnType<typeof createDeskConnection>;

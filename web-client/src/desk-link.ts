/**
 * The customer's XMPP link to one desk: StanzaJS over WebSocket (RFC 7395), SASL ANONYMOUS,
 * the desk protocol (docs/widget-protocol.md) registered with stanzas.define. It only sends
 * and reports; widget.ts decides. StanzaJS reconnects with back-off by itself, answers pings
 * (XEP-0199), and sends receipts (XEP-0184) and `received` markers (XEP-0333) on request.
 * References: RFC 6121 §4.6 (directed presence), XEP-0085, XEP-0172, XEP-0184, XEP-0301,
 * XEP-0333, XEP-0359, XEP-0363, XEP-0066.
 */
import { createClient, JID, type Stanzas } from 'stanza';
import {
  DESK_PROTOCOL,
  JOIN_FORM_TYPE,
  type DeskPage,
  type DeskQueue,
  type DeskReply,
  type DeskStatus,
  type DeskTranscriptLine,
  type DeskIdentity,
} from './protocol/index.js';

export type ChatState = 'active' | 'composing' | 'paused' | 'inactive' | 'gone';

export interface DeskLinkOptions {
  websocketUrl: string;
  guestDomain: string;
  deskJid: string;
  lang: string;
  uploadService?: string;
}

export interface IncomingMessage {
  id: string;
  /** The operator's display name (the desk JID's resource); absent for the desk itself. */
  author?: string;
  text: string;
  url?: string;
  markable: boolean;
}

export interface DeskLinkEvents {
  online(again: boolean): void;
  offline(): void;
  presence(p: { type?: string; show?: string; status?: string; queue?: DeskQueue }): void;
  status(s: DeskStatus): void;
  ack(id: string): void;
  receipt(id: string): void;
  displayed(id: string): void;
  message(m: IncomingMessage): void;
  reply(r: DeskReply): void;
  chatState(m: { author?: string; state: ChatState }): void;
  /** A message the desk bounced: `wait` = try again later (e.g. the component restarting; see retryableType). */
  bounced(m: { id?: string; type?: string; text: string }): void;
}

export type FormValues = Record<string, string>;

/**
 * The desk's server could not reach the desk (RFC 6120 §8.3.3.15-16): the component is down or
 * restarting, so this counts as `wait` (try again). The component never sends these itself.
 * Prosody answers so with wait/remote-server-timeout; ejabberd, which then routes the desk's
 * domain as a remote server, with cancel/remote-server-not-found (README "Running on ejabberd").
 */
const UNREACHABLE = new Set(['remote-server-not-found', 'remote-server-timeout']);
export const retryableType = (type?: string, condition?: string) => (condition && UNREACHABLE.has(condition) ? 'wait' : type);

/** An IQ error as { condition, type, text }; `type` is `wait` when the desk could not be reached. */
export function iqError(err: unknown): { condition: string; type?: string; text?: string } {
  const e = (err as { error?: { condition?: string; type?: string; text?: string } })?.error;
  const type = retryableType(e?.type, e?.condition);
  return { condition: e?.condition ?? 'timeout', ...(type ? { type } : {}), ...(e?.text ? { text: e.text } : {}) };
}

const toForm = (values: FormValues): Stanzas.DataForm => ({
  type: 'submit',
  fields: [
    { type: 'hidden', name: 'FORM_TYPE', value: JOIN_FORM_TYPE },
    ...Object.entries(values).map(([name, value]) => ({ name, value })),
  ],
});

export function createDeskLink(opts: DeskLinkOptions, on: DeskLinkEvents) {
  const client = createClient({
    jid: opts.guestDomain,
    server: opts.guestDomain,
    lang: opts.lang,
    transports: { websocket: opts.websocketUrl, bosh: false },
    autoReconnect: true,
    maxReconnectBackoff: 8,
    useStreamManagement: false,
    timeout: 10,
  });
  client.stanzas.define(DESK_PROTOCOL);
  let sessions = 0;
  let stopped = false;
  const desk = opts.deskJid;
  const fromDesk = (from: string | undefined) => JID.toBare(from ?? '') === desk;

  client.on('session:started', () => {
    client.sendPresence({ to: desk }); // directed presence: the desk's state follows live
    on.online(sessions++ > 0);
  });
  client.on('disconnected', () => {
    if (!stopped) on.offline();
  });
  client.on('presence', (p: Stanzas.ReceivedPresence) => {
    // A `wait` bounce of the directed presence (the component restarting) says nothing about the desk's state.
    if (p.type === 'error' && p.error?.type === 'wait') return;
    if (fromDesk(p.from) && !JID.getResource(p.from ?? ''))
      on.presence({ type: p.type, show: p.show, status: p.status, queue: p.deskQueue });
  });
  client.on('message', (m: Stanzas.ReceivedMessage) => {
    if (!fromDesk(m.from)) return;
    if (m.type === 'error') {
      on.bounced({
        id: m.id,
        type: retryableType(m.error?.type, m.error?.condition),
        text: m.error?.text || m.error?.condition || 'error',
      });
      return;
    }
    const author = JID.getResource(m.from) || undefined;
    if (m.deskAck?.id) on.ack(m.deskAck.id);
    if (m.receipt?.type === 'received' && m.receipt.id) on.receipt(m.receipt.id);
    if (m.marker?.type === 'received' && m.marker.id) on.receipt(m.marker.id);
    if ((m.marker?.type === 'displayed' || m.marker?.type === 'acknowledged') && m.marker.id) on.displayed(m.marker.id);
    if (m.chatState) on.chatState({ author, state: m.chatState });
    if (m.deskReply) return on.reply(m.deskReply);
    if (m.deskStatus) return on.status(m.deskStatus); // an automatic message: the status says it all
    if (typeof m.body === 'string' && m.body !== '') {
      const url = m.links?.find((l) => l.url)?.url;
      on.message({
        id: m.originId ?? m.id ?? `in-${Date.now()}`,
        ...(author ? { author } : {}),
        text: m.body,
        ...(url ? { url } : {}),
        markable: m.marker?.type === 'markable',
      });
    }
  });

  const iq = <T extends keyof Stanzas.IQPayload>(type: 'get' | 'set', payload: Pick<Stanzas.IQPayload, T>) =>
    client.sendIQ({ to: desk, type, ...payload } as Stanzas.IQ) as Promise<Stanzas.IQ & Stanzas.IQPayload>;

  return {
    start: () => void client.connect(),
    stop(): void {
      stopped = true;
      void client.disconnect();
    },
    nextId: () => client.nextId(),
    /** `identity`: who the site says this is (issue 20); the answer says whether the desk verified it. */
    async bindSession(
      token: string,
      identity?: DeskIdentity,
    ): Promise<{ status?: DeskStatus; replies: DeskReply[]; verified?: 'verified' | 'unverified' }> {
      const res = await iq('set', { deskSession: { token, ...(identity ? { identity } : {}) } });
      const verified = res.deskSession?.verified;
      return {
        ...(res.deskSession?.status ? { status: res.deskSession.status } : {}),
        replies: res.deskSession?.replies ?? [],
        ...(verified === 'verified' || verified === 'unverified' ? { verified } : {}),
      };
    },
    async join(values: FormValues, pages: DeskPage[], questionId?: string, identity?: DeskIdentity): Promise<DeskStatus | undefined> {
      const join = { form: toForm(values), pages, ...(questionId ? { id: questionId } : {}), ...(identity ? { identity } : {}) };
      return (await iq('set', { deskJoin: join })).deskStatus;
    },
    async leaveMessage(values: FormValues, pages: DeskPage[]): Promise<number | undefined> {
      return (await iq('set', { deskLeaveMessage: { form: toForm(values), pages } })).deskOffline?.ticket;
    },
    async page(view: DeskPage): Promise<void> {
      await iq('set', { deskPage: view });
    },
    async transcript(ticket: number): Promise<DeskTranscriptLine[]> {
      return (await iq('get', { deskTranscript: { ticket } })).deskTranscript?.lines ?? [];
    },
    async emailTranscript(ticket: number): Promise<void> {
      await iq('set', { deskEmailTranscript: { ticket } });
    },
    async rate(ticket: number, score: number, comment: string): Promise<void> {
      await iq('set', { deskRate: { ticket, score, ...(comment ? { comment } : {}) } });
    },
    /**
     * A chat message with origin-id = id (XEP-0359) and markable (XEP-0333); resends reuse the id.
     * No XEP-0184 request: the desk's <ack/> says the same ("stored or relayed"), and the desk
     * strips requests from what it relays (README "Acks and receipts").
     */
    say(m: { id: string; body: string; url?: string; nick?: string }): void {
      client.sendMessage({
        to: desk,
        type: 'chat',
        id: m.id,
        originId: m.id,
        body: m.body,
        chatState: 'active',
        marker: { type: 'markable' },
        ...(m.url ? { links: [{ url: m.url }] } : {}),
        ...(m.nick ? { nick: m.nick } : {}),
      });
    },
    chatState(state: ChatState): void {
      client.sendMessage({ to: desk, type: 'chat', chatState: state });
    },
    /** XEP-0301 whole-text reset of the draft. */
    draft(text: string, seq: number): void {
      client.sendMessage({ to: desk, type: 'chat', rtt: { event: 'reset', seq, actions: text ? [{ type: 'insert', text }] : [] } });
    },
    /** XEP-0333: the customer has seen the operator's message. */
    displayed(id: string): void {
      client.sendMessage({ to: desk, type: 'chat', marker: { type: 'displayed', id } });
    },
    /** XEP-0363: a slot from the upload service, the PUT, and the GET URL to send. */
    async upload(file: File): Promise<string> {
      const service = opts.uploadService ? { jid: opts.uploadService } : await client.getUploadService();
      const slot = await client.getUploadSlot(service.jid, {
        name: file.name || 'pasted-image.png',
        size: file.size,
        mediaType: file.type || 'application/octet-stream',
      });
      const headers: Record<string, string> = { 'Content-Type': file.type || 'application/octet-stream' };
      for (const hd of slot.upload.headers ?? []) headers[hd.name] = hd.value;
      const res = await fetch(slot.upload.url, { method: 'PUT', body: file, headers });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      return slot.download;
    },
    /** Leaves the queue or ends the chat (<end/>; unavailable presence would only detach it). */
    async end(): Promise<DeskStatus | undefined> {
      return (await iq('set', { deskEnd: {} })).deskStatus;
    },
  };
}
export type DeskLink = ReturnType<typeof createDeskLink>;

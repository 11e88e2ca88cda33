/**
 * The customer's session with the desk, across pages and reconnects (docs/widget-protocol.md):
 * binds the token on every connect, reattaches a live ticket and fills gaps from the
 * transcript, joins or leaves a message, keeps every message in the outbox until its <ack/>
 * and resends it with the same origin-id after a reconnect or a `wait` bounce.
 */
import { createAfterChat } from './after-chat.js';
import { customerToken } from './customer-token.js';
import { createDeskLink, iqError, type FormValues } from './desk-link.js';
import { parseDeskPresence } from './desk-presence.js';
import { createJoinFlow } from './join-flow.js';
import type { Strings } from './i18n.js';
import type { WidgetOptions } from './options.js';
import { createOutbox } from './outbox.js';
import { createResender } from './resender.js';
import { createPageViews, type PageView } from './page-views.js';
import type { DeskPage, DeskStatus } from './protocol/index.js';
import { createSeenReplies } from './seen-replies.js';
import { createSneakPeek } from './sneak-peek.js';
import { readJson, writeJson, type KeyValue } from './storage.js';
import { transcriptLines } from './transcript-file.js';
import { createTypingNotifier } from './typing-notifier.js';
import type { SavedChat, WidgetStore } from './widget-state.js';

export interface SessionDeps {
  local: KeyValue;
  visit: KeyValue;
  /** A new operator message: alert unless the customer sees it. */
  notify(): void;
  /** Whether the customer sees the conversation now (panel open, page visible). */
  seen(): boolean;
  /** The customer's own upload (XEP-0363) is at `url`: its origin serves the server's files. */
  uploaded?(url: string): void;
}

const RETRY_MS = 2000;
const toPage = (p: PageView): DeskPage => ({ url: p.url, title: p.title, at: new Date(p.at) });

export function createDeskSession(options: WidgetOptions, strings: Strings, store: WidgetStore, deps: SessionDeps) {
  const desk = options.deskJid;
  const chatKey = `mdg:chat:${desk}`;
  const nickKey = `mdg:nick:${desk}`;
  const token = customerToken(deps.local);
  const pages = createPageViews(deps.visit);
  const outbox = createOutbox(deps.local, `mdg:outbox:${desk}`);
  const seenReplies = createSeenReplies(deps.local);
  let nick = readJson<string>(deps.local, nickKey, '');
  let bound = false;
  // Messages go out only once the token is bound: one sent before <session/> after a reconnect
  // would reach the desk from an unknown JID (issue 14, seen in the fault suite's Prosody restarts).
  let ready = false;
  // Requests that need the token bound (join, leave-message) wait for the <session/> result.
  let markBound: () => void = () => undefined;
  let whenBound = new Promise<void>((resolve) => (markBound = resolve));
  let unreadMarkers: string[] = [];
  const here = (): PageView => ({ url: location.href, title: document.title, at: new Date().toISOString() });
  let newPage = pages.record(here());

  store.restore(readJson<Partial<SavedChat>>(deps.local, chatKey, {}));
  store.subscribe(() => writeJson(deps.local, chatKey, store.saved()));

  // Unacked messages are resent after a timeout, a `wait` bounce or a reconnect (resender.ts).
  const resender = createResender({
    outbox,
    send: (m) => link.say({ ...m, nick }),
    online: () => ready, // bound (or a desk without sessions): a resend never overtakes <session/>
    gaveUp: (id) => store.mark(id, 'unsent'),
    resumed: (id) => store.mark(id, 'pending'),
  });
  const resend = () => resender.resendAll();
  const acked = (id: string, mark: 'sent' | 'delivered' | 'read') => {
    outbox.ack(id);
    resender.acked(id);
    store.mark(id, mark);
  };
  async function reattach(status: DeskStatus): Promise<void> {
    store.status(status);
    if (newPage) void link.page(toPage(pages.list().at(-1) ?? here())).catch(() => undefined);
    newPage = false;
    if (status.ticket === undefined) return;
    try {
      const mine = new Set(
        store
          .get()
          .lines.filter((l) => l.from === 'me')
          .map((l) => l.text),
      );
      // Lines already shown under another id (the question was sent in the form) are not shown twice.
      store.merge(transcriptLines(await link.transcript(status.ticket)).filter((l) => l.from !== 'me' || !mine.has(l.text)));
    } catch {
      /* no transcript (evidence log off): the stored history stays as it is */
    }
  }
  async function bind(): Promise<void> {
    try {
      const res = await link.bindSession(token, options.identity);
      const signedInAs = options.identity?.name ?? options.identity?.email ?? '';
      if (res.verified) store.set({ identity: res.verified, signedInAs });
      bound = true;
      ready = true;
      markBound();
      for (const r of seenReplies.fresh(res.replies)) store.replied(r);
      const live = Boolean(res.status && res.status.state !== 'ended');
      if (live && res.status) await reattach(res.status);
      else store.noLiveTicket();
      // A join sent just before the page changed may never have arrived: send it again.
      if (!joins.resume(live) && !live && store.get().phase === 'joining') store.set({ phase: 'idle' });
      resend();
    } catch (err) {
      const e = iqError(err);
      if (e.type === 'wait' || e.condition === 'timeout') setTimeout(() => void bind(), RETRY_MS);
      else {
        markBound(); // a desk without the session protocol: requests go out and say why they fail
        ready = true;
        resend(); // plain messages still work
      }
    }
  }

  const link = createDeskLink(
    {
      websocketUrl: options.websocketUrl,
      guestDomain: options.guestDomain,
      deskJid: desk,
      lang: options.lang,
      ...(options.uploadService ? { uploadService: options.uploadService } : {}),
    },
    {
      online() {
        store.set({ online: true });
        void bind();
      },
      offline: () => {
        if (bound) whenBound = new Promise<void>((resolve) => (markBound = resolve));
        bound = false;
        ready = false;
        store.set({ online: false, desk: undefined }); // unknown until the desk speaks again
      },
      presence: (p) => store.set({ desk: parseDeskPresence(p) }),
      status(s) {
        const before = store.get().phase;
        store.status(s);
        if (before !== 'chatting' && store.get().phase === 'chatting') deps.notify(); // an operator took the chat
      },
      ack: (id) => acked(id, 'sent'),
      receipt: (id) => acked(id, 'delivered'),
      displayed: (id) => acked(id, 'read'),
      message(m) {
        if (!m.author) return store.deskSaid(m.text);
        store.operatorSaid({ id: m.id, author: m.author, text: m.text, ...(m.url ? { file: m.url } : {}), markable: m.markable });
        if (m.markable) unreadMarkers.push(m.id);
        if (deps.seen()) markRead();
        else deps.notify();
      },
      reply(r) {
        if (!seenReplies.fresh([r]).length) return;
        store.replied(r);
        deps.notify();
      },
      chatState({ author, state }) {
        if (author) store.set({ operatorTyping: state === 'composing' });
      },
      bounced({ id, type, text }) {
        if (!id || !outbox.has(id)) return;
        if (type === 'wait') return resender.bounced(id);
        outbox.drop(id);
        resender.forget(id);
        store.mark(id, 'failed');
        store.deskSaid(strings.notDelivered(text));
      },
    },
  );
  const joins = createJoinFlow({
    link,
    store,
    strings,
    options,
    local: deps.local,
    pages: () => pages.list(),
    ready: () => whenBound,
    here: () => ({ url: location.href, title: document.title, referrer: document.referrer }),
  });
  const typing = createTypingNotifier((state) => {
    if (store.get().phase === 'chatting') link.chatState(state);
  });
  const peek = createSneakPeek((text, seq) => {
    if (store.isLive()) link.draft(text, seq);
  });
  function markRead(): void {
    for (const id of unreadMarkers) link.displayed(id);
    unreadMarkers = [];
  }
  function say(text: string, url?: string): void {
    const id = link.nextId();
    typing.sent();
    peek.sent();
    outbox.add({ id, body: text, ...(url ? { url } : {}), at: Date.now() });
    store.mine({ id, text, ...(url ? { file: url } : {}) });
    if (!ready) return; // in the outbox: sent once bound (bind() resends everything)
    link.say({ id, body: text, ...(url ? { url } : {}), nick });
    resender.sent(id);
  }
  const onNavigate = () => {
    if (pages.record(here()) && bound && store.isLive()) void link.page(toPage(here())).catch(() => undefined);
  };
  addEventListener('popstate', onNavigate);
  addEventListener('hashchange', onNavigate);

  const session = {
    start: () => link.start(),
    stop(): void {
      resender.stop();
      link.stop();
    },
    markRead,
    begin(values: FormValues, leave: boolean): void {
      nick = values.name ?? options.identity?.name ?? nick;
      writeJson(deps.local, nickKey, nick);
      if (!leave) {
        store.newChat();
        store.set({ phase: 'joining' });
        if (values.question) store.mine({ id: `q-${link.nextId()}`, text: values.question });
      }
      joins.begin(values, leave);
    },
    send(text: string): void {
      if (store.get().phase === 'idle') return session.begin({ question: text }, false); // verified: no form (skipsForm)
      say(text);
    },
    /** The customer pressed retry on a message shown as not sent. */
    retry: (id: string) => resender.retry(id),
    draft(text: string): void {
      typing.input(text);
      if (options.sneakPeek) peek.input(text);
    },
    /** One of the desk's stickers: its URL as body and XEP-0066 link, as uploads are sent (issue 20). */
    sticker(url: string): void {
      say(url, url);
    },
    async file(file: File): Promise<void> {
      store.set({ uploading: true });
      try {
        const url = await link.upload(file);
        deps.uploaded?.(url);
        say(url, url); // the body is the link, for clients that do not read jabber:x:oob
      } catch (err) {
        store.deskSaid(strings.uploadFailed(err instanceof Error ? err.message : iqError(err).condition));
      } finally {
        store.set({ uploading: false });
      }
    },
    async end(): Promise<void> {
      typing.reset();
      const ticket = store.get().ticket;
      try {
        const status = await link.end();
        store.status(status ?? { state: 'ended', reason: 'customer' });
      } catch (err) {
        const e = iqError(err);
        // The desk is unreachable for now: the chat goes on; the customer may press "End chat" again.
        if (e.type === 'wait' || e.condition === 'timeout') return store.deskSaid(strings.notDelivered(e.text ?? e.condition));
        // Nothing live any more (it ended meanwhile): the chat is over either way.
        if (e.condition !== 'item-not-found') store.deskSaid(strings.notDelivered(e.text ?? e.condition));
        store.status({ state: 'ended', reason: 'customer', ...(ticket !== undefined ? { ticket } : {}) });
      }
    },
    ...createAfterChat(link, store, strings, options.title ?? strings.title),
    newChat(): void {
      for (const m of outbox.pending()) resender.forget(m.id);
      outbox.clear();
      store.newChat();
    },
  };
  return session;
}

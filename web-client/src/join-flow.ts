/**
 * Joining the queue (<join/>) or leaving a message (<leave-message/>) with the pre-chat form
 * (docs/widget-protocol.md §2, §6). The request waits in localStorage until the desk answers,
 * so a page change or a dropped connection right after "Start chat" does not lose the first
 * question: the next <session/> without a live ticket sends it again (a join is idempotent).
 * Retried with back-off while the desk is unreachable (`wait`, timeouts).
 */
import { iqError, type DeskLink, type FormValues } from './desk-link.js';
import type { Strings } from './i18n.js';
import type { WidgetOptions } from './options.js';
import { retryDelayMs } from './outbox.js';
import type { PageView } from './page-views.js';
import { readJson, writeJson, type KeyValue } from './storage.js';
import type { WidgetStore } from './widget-state.js';

interface PendingJoin {
  form: FormValues;
  leave: boolean;
}

const MAX_ATTEMPTS = 6;
const TRANSIENT = new Set([
  'remote-server-timeout',
  'remote-server-not-found',
  'service-unavailable',
  'timeout',
  'recipient-unavailable',
  'internal-server-error',
]);
const toPage = (p: PageView) => ({ url: p.url, title: p.title, at: new Date(p.at) });

export function createJoinFlow(o: {
  link: DeskLink;
  store: WidgetStore;
  strings: Strings;
  options: WidgetOptions;
  local: KeyValue;
  pages: () => PageView[];
  /** Resolves once the token is bound on the current connection (<session/> answered). */
  ready: () => Promise<void>;
  /** The page the customer writes from (location and document, given so this module needs no DOM). */
  here: () => { url: string; title: string; referrer: string };
}) {
  const key = `mdg:join:${o.options.deskJid}`;
  let inFlight = false;

  async function send(p: PendingJoin, attempt = 0): Promise<void> {
    inFlight = true;
    try {
      await o.ready();
      if (p.leave) o.store.leftMessage(await o.link.leaveMessage(p.form, o.pages().map(toPage)));
      else {
        const question = o.store.get().lines.find((l) => l.from === 'me' && l.id.startsWith('q-'));
        const status = await o.link.join(p.form, o.pages().map(toPage), question?.id, o.options.identity);
        // A push (e.g. "Alice has joined") may overtake the IQ result: the newer state wins.
        if (status && o.store.get().phase === 'joining') o.store.status(status);
        if (question) o.store.mark(question.id, 'sent');
      }
    } catch (err) {
      const e = iqError(err);
      if ((e.type === 'wait' || e.condition === 'timeout') && TRANSIENT.has(e.condition) && attempt < MAX_ATTEMPTS) {
        setTimeout(() => void send(p, attempt + 1), retryDelayMs(attempt));
        return; // still in flight
      }
      o.store.deskSaid(
        e.condition === 'service-unavailable' && e.type === 'cancel' ? o.strings.refused : o.strings.notDelivered(e.text ?? e.condition),
      );
      if (!p.leave) o.store.set({ phase: 'ended' });
    }
    inFlight = false;
    o.local.removeItem(key);
  }

  return {
    begin(values: FormValues, leave: boolean): void {
      const page = o.here();
      const form: FormValues = {
        ...values,
        language: o.options.lang,
        page_url: page.url,
        page_title: page.title,
        ...(page.referrer ? { referrer: page.referrer } : {}),
      };
      const p = { form, leave };
      if (!leave) o.store.set({ emailGiven: Boolean(values.email) });
      writeJson(o.local, key, p);
      void send(p);
    },
    /**
     * After <session/>: sends a join or message the desk may never have received. False when
     * there is none (nothing pending, nothing in flight).
     */
    resume(live: boolean): boolean {
      if (inFlight) return true;
      const p = readJson<PendingJoin | null>(o.local, key, null);
      if (!p) return false;
      if (live) o.local.removeItem(key);
      else void send(p);
      return true;
    },
  };
}

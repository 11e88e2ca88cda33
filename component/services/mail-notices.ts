/**
 * What the desk mails (issue 17): a left message to the desk's notification addresses and, with
 * consent, an acknowledgement to the customer; an offline reply to the customer. Mails are only
 * queued here (store/mail-store.ts); mail-sender.ts sends them. No config `mail`: nothing.
 */
import { randomUUID } from 'node:crypto';
import type { PageView } from '../../src/customer/join-form.js';
import {
  consentedAddress,
  customerAck,
  customerReply,
  mailLang,
  pageOf,
  staffNotice,
  transcriptMail,
  type ComposedMail,
  type MailTranscriptLine,
} from '../../src/mail/compose.js';
import type { OfflineReply } from '../store/customer-store.js';
import type { Ticket } from '../store/desk-store.js';
import type { ServiceContext } from './context.js';

/** Kept a day past the give-up time, so an unsent mail cannot outlive its record by much. */
const GRACE_SECONDS = 24 * 3600;

/**
 * The id of a `!reply` sent live, with an XEP-0184 request: the customer's client (the widget's
 * StanzaJS answers by itself) returns it in <received/>, which marks the reply shown there.
 */
export const liveReplyId = (ticket: number, at: number) => `reply-${ticket}-${at}`;
const LIVE_REPLY_ID = /^reply-(\d{1,15})-(\d{1,15})$/;

export function createMailNotices(ctx: ServiceContext<'mail' | 'customers' | 'sessions'>) {
  const { store, directory, config, log } = ctx;
  const mail = config.mail;
  const labelsOf = (desk: string) => Object.fromEntries(directory.form(desk).map((f) => [f.var, f.label]));

  async function queue(to: string[], composed: ComposedMail, customerKey: string, delivers = '', holdMs = 0): Promise<void> {
    if (!mail || to.length === 0) return;
    const id = randomUUID();
    const domain = mail.from.split('@')[1] ?? directory.domain;
    const createdAt = ctx.now();
    await store.mail.enqueue(
      { id, messageId: `<${id}@${domain}>`, to, ...composed, customerKey, createdAt, delivers },
      Math.ceil(mail.giveUpSeconds + GRACE_SECONDS),
      createdAt + holdMs,
    );
  }

  /** Never lets a mail failure break what the customer or operator did: logged instead. */
  const safely = (what: string, fn: () => Promise<void>) =>
    fn().catch((err: Error) => log.warn({ err: err.message }, `${what}: mail not queued`));

  return {
    enabled: mail !== undefined,
    async messageLeft(p: { ticket: number; desk: string; customerKey: string; form: Record<string, string>; pages: readonly PageView[] }) {
      if (!mail) return;
      await safely('message left', async () => {
        const deskName = directory.desk(p.desk)?.name ?? p.desk;
        await queue(
          mail.notify[p.desk] ?? [],
          staffNotice({ ticket: p.ticket, deskName, form: p.form, pages: p.pages, labels: labelsOf(p.desk) }),
          p.customerKey,
        );
        const to = consentedAddress(p.form, mail.consentField);
        if (!to) return;
        const ack = customerAck({
          lang: mailLang(p.form.language),
          ticket: p.ticket,
          deskName,
          question: p.form.question ?? '',
          page: pageOf(p.form, p.pages),
        });
        await queue([to], ack, p.customerKey);
      });
    },
    /**
     * `live`: the reply also went to the customer's online client with a receipt request; its mail
     * then waits `replyHoldSeconds` for the receipt (shownLive) and is dropped if it came. A client
     * that never shows it (a closed tab not yet noticed) sends no receipt: the mail goes.
     */
    async replied(t: Ticket, reply: OfflineReply, live = false) {
      if (!mail) return;
      await safely('offline reply', async () => {
        const [form, pages] = await Promise.all([store.customers.form(t.id), store.customers.pages(t.id)]);
        const to = consentedAddress(form, mail.consentField);
        if (!to) return;
        const composed = customerReply({
          lang: mailLang(form.language),
          ticket: t.id,
          deskName: directory.desk(t.desk)?.name ?? t.desk,
          operatorName: reply.operator,
          text: reply.text,
          page: pageOf(form, pages),
        });
        await queue([to], composed, t.customerKey, `${t.id} ${reply.at}`, live ? mail.replyHoldSeconds * 1000 : 0);
      });
    },
    /**
     * An XEP-0184 <received/> for a live reply (liveReplyId) from the ticket's own customer: the
     * reply was shown, so its mail is not sent (unless the mail was first). False: not such a receipt.
     */
    async shownLive(receiptId: string, customerKey: string): Promise<boolean> {
      const m = LIVE_REPLY_ID.exec(receiptId);
      if (!m) return false;
      const [ticket, at] = [Number(m[1]), Number(m[2])];
      const t = await store.sessions.ticket(ticket);
      if (!mail || t?.customerKey !== customerKey) return true; // not theirs (or no mail): nothing to mark
      if (await store.mail.markDelivered(ticket, at, 'widget')) log.info({ ticket }, 'offline reply shown live; its mail is not sent');
      return true;
    },
    /**
     * The customer asked for the transcript (the request is their consent for this mail); returns
     * false when they gave no email address.
     */
    async transcript(t: Ticket, lines: readonly MailTranscriptLine[]): Promise<boolean> {
      if (!mail) return false;
      const [form, pages] = await Promise.all([store.customers.form(t.id), store.customers.pages(t.id)]);
      const to = consentedAddress({ ...form, [mail.consentField]: 'true' }, mail.consentField);
      if (!to) return false;
      const composed = transcriptMail({
        lang: mailLang(form.language),
        ticket: t.id,
        deskName: directory.desk(t.desk)?.name ?? t.desk,
        lines,
        page: pageOf(form, pages),
      });
      await queue([to], composed, t.customerKey);
      return true;
    },
    /** The widget's next visit shows replies not already mailed, and marks them shown (once across both channels). */
    async unmailed(replies: OfflineReply[]): Promise<OfflineReply[]> {
      if (!mail) return replies;
      const shown = await Promise.all(replies.map((r) => store.mail.markDelivered(r.ticket, r.at, 'widget')));
      return replies.filter((_, i) => shown[i]);
    },
    async erase(customerKey: string): Promise<number> {
      return store.mail.eraseFor(customerKey);
    },
  };
}
export type MailNotices = ReturnType<typeof createMailNotices>;

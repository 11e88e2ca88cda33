/**
 * Sends the queued mails (store/mail-store.ts) through an SMTP transport, from the desk's tick.
 * Delivery: each mail keeps the Message-ID it got when queued. A clear failure (connection
 * refused, 4xx) is retried with backoff (src/mail/retry.ts); a 5xx refusal or the give-up time
 * ends it with a log line and a counter. SMTP cannot promise exactly once: if the link drops after
 * the final "." but before the server's 250 (RFC 5321 §4.1.1.4; RFC 1047), the mail may have
 * been accepted, and the retry sends it again with the same Message-ID, which receivers may use
 * to drop the copy. A kill -9 mid-send is the same case: the lease ends and the mail is retried.
 */
import { afterFailure, type RetryPolicy } from '../../src/mail/retry.js';
import type { QueuedMail } from '../store/mail-store.js';
import type { ServiceContext } from './context.js';

export interface OutgoingMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  messageId: string;
}

/** What the sender needs of SMTP (nodemailer in mail-transport.ts); a failure's `responseCode` is the SMTP reply code. */
export interface MailTransport {
  send(mail: OutgoingMail): Promise<{ rejected: string[] }>;
  close(): void;
}

export interface MailCounters {
  sent: number;
  retried: number;
  gaveUp: number;
  refused: number;
}

const BATCH = 10;
const LEASE_MS = 60_000;

export function createMailSender(ctx: ServiceContext<'mail'>, transport: MailTransport) {
  const { store, log } = ctx;
  const mail = ctx.config.mail;
  const counters: MailCounters = { sent: 0, retried: 0, gaveUp: 0, refused: 0 };
  const policy: RetryPolicy | undefined = mail && {
    baseMs: mail.retryBaseSeconds * 1000,
    maxMs: mail.retryMaxSeconds * 1000,
    giveUpMs: mail.giveUpSeconds * 1000,
  };
  let running = false;

  async function sendOne(m: QueuedMail, from: string, p: RetryPolicy): Promise<void> {
    const [ticket, at] = m.delivers.split(' ').map(Number);
    if (m.delivers && (await store.mail.deliveredBy(ticket as number, at as number)) === 'widget') {
      log.info({ mail: m.id, ticket }, 'mail dropped: the reply was already shown in the widget');
      await store.mail.remove(m.id, m.customerKey);
      return;
    }
    let rejected: string[];
    try {
      ({ rejected } = await transport.send({ from, to: m.to, subject: m.subject, text: m.text, html: m.html, messageId: m.messageId }));
    } catch (err) {
      const e = err as Error & { responseCode?: number; code?: string };
      const now = ctx.now();
      const verdict = afterFailure({ createdAt: m.createdAt, attempt: m.attempts + 1, now, responseCode: e.responseCode }, p);
      const why = `${e.code ?? ''} ${e.responseCode ?? ''} ${e.message}`.trim();
      if (verdict.kind === 'retry') {
        counters.retried++;
        await store.mail.retry(m.id, verdict.at, why);
        log.warn({ mail: m.id, attempts: m.attempts + 1, retryInMs: verdict.at - now, err: why }, 'mail not sent; will retry');
        return;
      }
      await store.mail.remove(m.id, m.customerKey);
      if (verdict.why === 'refused') counters.refused++;
      else counters.gaveUp++;
      // Addresses are not logged (they are the customer's); the Message-ID finds the mail in the server's logs.
      log.error({ mail: m.id, messageId: m.messageId, attempts: m.attempts + 1, err: why, why: verdict.why }, 'mail given up');
      return;
    }
    // Accepted: bookkeeping after the try, so a Redis error here is never taken for a failed send.
    await store.mail.remove(m.id, m.customerKey);
    if (m.delivers) await store.mail.markDelivered(ticket as number, at as number, 'mail');
    counters.sent++;
    if (rejected.length) {
      counters.refused += rejected.length;
      log.warn({ mail: m.id, messageId: m.messageId, refused: rejected.length }, 'mail sent; some addresses were refused');
    }
    log.info({ mail: m.id, messageId: m.messageId, attempts: m.attempts + 1 }, 'mail sent');
  }

  return {
    /** Sends what is due; a run still busy (slow SMTP) makes the next tick skip. Never throws. */
    async tick(): Promise<void> {
      if (!mail || !policy || running) return;
      running = true;
      try {
        for (;;) {
          const now = ctx.now();
          const ids = await store.mail.claim(now, now + LEASE_MS, BATCH);
          for (const id of ids) {
            const m = await store.mail.get(id);
            if (m) await sendOne(m, mail.from, policy);
            else await store.mail.remove(id, '');
          }
          if (ids.length < BATCH) break;
        }
      } catch (err) {
        log.warn({ err: (err as Error).message }, 'mail queue run failed');
      } finally {
        running = false;
      }
    },
    /** Counters since this process started (sent, retried, given up, refused). */
    counters: (): Readonly<MailCounters> => ({ ...counters }),
  };
}
export type MailSender = ReturnType<typeof createMailSender>;

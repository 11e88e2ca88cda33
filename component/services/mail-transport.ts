/**
 * The SMTP transport (nodemailer) from config `mail`. Timeouts are short so a dead server does
 * not hold the queue's lease (mail-sender.ts); the Message-ID is the queued one, never a new one.
 */
import nodemailer from 'nodemailer';
import type { MailConfig } from '../../config/schema.js';
import type { MailTransport } from './mail-sender.js';

export function createSmtpTransport(mail: MailConfig): MailTransport {
  const transporter = nodemailer.createTransport({
    host: mail.host,
    port: mail.port,
    secure: mail.tls === 'tls',
    requireTLS: mail.tls === 'starttls',
    ignoreTLS: mail.tls === 'none',
    auth: mail.user ? { user: mail.user, pass: mail.password ?? '' } : undefined,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    async send(m) {
      const info = await transporter.sendMail({ ...m, to: m.to.join(', ') });
      const rejected = (info.rejected ?? []) as (string | { address: string })[];
      return { rejected: rejected.map((a) => (typeof a === 'string' ? a : a.address)) };
    },
    close: () => transporter.close(),
  };
}

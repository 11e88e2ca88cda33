/**
 * The desk's emails (issue 17), composed from plain data: staff notice of a left message, the
 * customer's acknowledgement, an operator's reply. Plain text plus a simple HTML part; en/ja by
 * the customer's language. Operators appear by display name only, never by JID.
 */
import { CONTEXT_FIELDS, type PageView } from '../customer/join-form.js';

export type MailLang = 'en' | 'ja';

export interface ComposedMail {
  subject: string;
  text: string;
  html: string;
}

/** The widget sends its language in the form's `language` field (BCP 47): Japanese, or English. */
export function mailLang(language: string | undefined): MailLang {
  return /^ja\b/i.test(language ?? '') ? 'ja' : 'en';
}

/** A ticked checkbox: what browsers and the widget send for "on". */
export function isTicked(value: string | undefined): boolean {
  return value !== undefined && /^(1|true|on|yes)$/i.test(value.trim());
}

/** The customer's address, only if they gave one and ticked the consent box. */
export function consentedAddress(form: Readonly<Record<string, string>>, consentField: string): string | undefined {
  const email = form.email?.trim();
  if (!email || !/^[^@\s<>,;]+@[^@\s<>,;]+$/.test(email) || !isTicked(form[consentField])) return undefined;
  return email;
}

export const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

const isHttpUrl = (url: string | undefined): url is string => url !== undefined && /^https?:\/\/\S+$/i.test(url);

/** The page the customer left from: the form's page_url, else the newest page view. */
export function pageOf(form: Readonly<Record<string, string>>, pages: readonly PageView[]): string | undefined {
  if (isHttpUrl(form.page_url)) return form.page_url;
  const last = pages.at(-1)?.url;
  return isHttpUrl(last) ? last : undefined;
}

function html(paragraphs: readonly string[], link?: { href: string; label: string }): string {
  const body = paragraphs.map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`).join('\n');
  const a = link ? `\n<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.label)}</a></p>` : '';
  return `<!doctype html>\n<html><body style="font-family:sans-serif">\n${body}${a}\n</body></html>\n`;
}

export interface StaffNoticeInput {
  ticket: number;
  deskName: string;
  form: Readonly<Record<string, string>>;
  pages: readonly PageView[];
  labels: Readonly<Record<string, string>>;
}

/** To the desk's notification addresses: the ticket, the form's fields, the page, the question. */
export function staffNotice(p: StaffNoticeInput): ComposedMail {
  const context = CONTEXT_FIELDS as readonly string[];
  const fields = Object.entries(p.form)
    .filter(([k]) => k !== 'question' && !context.includes(k))
    .map(([k, v]) => `${p.labels[k] ?? k}: ${v}`);
  const page = pageOf(p.form, p.pages);
  const parts = [
    `A customer left a message at ${p.deskName} (ticket #${p.ticket}).`,
    fields.join('\n') || '(no form fields)',
    `Page: ${page ?? 'unknown'}${p.form.language ? `\nLanguage: ${p.form.language}` : ''}`,
    `Question:\n${p.form.question ?? ''}`,
    `Answer it with: !reply ${p.ticket} <text>`,
  ];
  return {
    subject: `[${p.deskName}] Message #${p.ticket} from ${p.form.name || 'a customer'}`,
    text: `${parts.join('\n\n')}\n`,
    html: html(parts),
  };
}

const T = {
  en: {
    ackSubject: (desk: string, t: number) => `${desk}: we received your message (#${t})`,
    ack: (desk: string) => `Thank you for your message to ${desk}. We will answer as soon as we can.`,
    yourMessage: 'Your message:',
    replySubject: (desk: string, t: number) => `${desk}: reply to your message (#${t})`,
    reply: (op: string) => `${op} replied to your message:`,
    back: 'Back to the site',
    transcriptSubject: (desk: string, t: number) => `${desk}: transcript of your chat (#${t})`,
    transcript: (desk: string) => `Your chat with ${desk} (times in UTC):`,
    you: 'You',
  },
  ja: {
    ackSubject: (desk: string, t: number) => `${desk}：お問い合わせを受け付けました（#${t}）`,
    ack: (desk: string) => `${desk}へのお問い合わせありがとうございます。できるだけ早くご返信いたします。`,
    yourMessage: 'お問い合わせ内容：',
    replySubject: (desk: string, t: number) => `${desk}：お問い合わせへの返信（#${t}）`,
    reply: (op: string) => `${op}からの返信：`,
    back: 'サイトに戻る',
    transcriptSubject: (desk: string, t: number) => `${desk}：チャットの記録（#${t}）`,
    transcript: (desk: string) => `${desk}とのチャットの記録です（時刻はUTC）：`,
    you: 'あなた',
  },
} as const;

function toCustomer(subject: string, paragraphs: string[], lang: MailLang, page: string | undefined): ComposedMail {
  const link = page ? { href: page, label: T[lang].back } : undefined;
  const text = [...paragraphs, ...(link ? [`${link.label}: ${link.href}`] : [])].join('\n\n');
  return { subject, text: `${text}\n`, html: html(paragraphs, link) };
}

export function customerAck(p: { lang: MailLang; ticket: number; deskName: string; question: string; page?: string }): ComposedMail {
  const t = T[p.lang];
  return toCustomer(t.ackSubject(p.deskName, p.ticket), [t.ack(p.deskName), `${t.yourMessage}\n${p.question}`], p.lang, p.page);
}

export function customerReply(p: {
  lang: MailLang;
  ticket: number;
  deskName: string;
  operatorName: string;
  text: string;
  page?: string;
}): ComposedMail {
  const t = T[p.lang];
  return toCustomer(t.replySubject(p.deskName, p.ticket), [t.reply(p.operatorName), p.text], p.lang, p.page);
}

export interface MailTranscriptLine {
  at: number;
  from: 'customer' | 'operator' | 'desk';
  /** The operator's display name (never a JID). */
  name?: string;
  body?: string;
}

/** The chat as text, one line per message: "2026-12-07 15:04 Alice: Hello". */
export function transcriptMail(p: {
  lang: MailLang;
  ticket: number;
  deskName: string;
  lines: readonly MailTranscriptLine[];
  page?: string;
}): ComposedMail {
  const t = T[p.lang];
  const who = (l: MailTranscriptLine) => (l.from === 'customer' ? t.you : l.from === 'operator' ? (l.name ?? p.deskName) : p.deskName);
  const chat = p.lines
    .filter((l) => l.body)
    .map((l) => `${new Date(l.at).toISOString().slice(0, 16).replace('T', ' ')} ${who(l)}: ${l.body}`)
    .join('\n');
  return toCustomer(t.transcriptSubject(p.deskName, p.ticket), [t.transcript(p.deskName), chat], p.lang, p.page);
}

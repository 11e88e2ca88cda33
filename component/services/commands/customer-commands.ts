/**
 * What the operator may know about the customer in this chat: `!info` (ticket, form, visit,
 * earlier visits, notes — never the address) and `!peek` (the draft, when sneak peek is on).
 */
import { isTokenKey, isVerifiedKey } from '../../../src/customer/token.js';
import type { IdentityRecord } from '../../store/customer-store.js';
import { formSummary } from '../../../src/customer/join-form.js';
import { customerName, formatDuration } from '../../../src/texts.js';
import type { Ticket } from '../../store/desk-store.js';
import type { ServiceContext } from '../context.js';
import type { DraftBook } from '../drafts.js';
import type { CommandSpec } from './types.js';

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const MAX_PAGES_SHOWN = 10;

export function createCustomerCommands(ctx: ServiceContext<'customers'>, drafts: DraftBook): CommandSpec[] {
  const { store, directory, config } = ctx;

  function addressKind(t: Ticket): string {
    if (isVerifiedKey(t.customerKey)) return 'web widget, a user of the site verified by its signature';
    if (isTokenKey(t.customerKey)) return 'web widget (recognised by its token)';
    return t.customerKey.endsWith(`@${config.widget.guestDomain}`) ? 'anonymous web guest' : 'XMPP account';
  }

  /** Issue 20: who the site says this is, and whether its signature proved it. */
  function identityLine(id: IdentityRecord | undefined, t: Ticket): string {
    if (!id) return '';
    const about = [id.name && `“${id.name}”`, id.email].filter(Boolean).join(', ');
    if (id.verified && isVerifiedKey(t.customerKey))
      return `Identity: verified — user id ${id.userId}${about ? ` (${about})` : ''}, signed by the site`;
    const why = { unsigned: 'no signature', 'bad-signature': 'wrong signature', 'no-secret': 'no identity secret for this desk' };
    return `Identity: unverified — claims user id ${id.userId}${about ? ` (${about})` : ''}; ${why[id.reason ?? 'unsigned']}, treated as an anonymous visitor`;
  }

  async function visitLines(t: Ticket): Promise<string[]> {
    const earlier = (await store.customers.visits(t.customerKey)).filter((v) => v.id !== t.id);
    if (earlier.length === 0) return ['Previous visits: none'];
    return [
      'Previous visits:',
      ...earlier
        .slice(0, 5)
        .map(
          (v) =>
            `- #${v.id} ${dayOf(v.createdAt)} ${directory.desk(v.desk)?.name ?? v.desk}${v.rating ? `, rated ${v.rating}/5` : ''}${v.firstWords ? `: “${v.firstWords.slice(0, 60)}”` : ''}`,
        ),
    ];
  }

  return [
    {
      name: 'info',
      summary: 'what is known about this customer',
      usage: '!info',
      minRole: 'operator',
      inChat: true,
      fields: [],
      async run(inv) {
        const t = inv.ticket as Ticket;
        const now = ctx.now();
        const [form, pages, notes, claimed] = await Promise.all([
          store.customers.form(t.id),
          store.customers.pages(t.id),
          store.customers.notes(t.customerKey),
          store.customers.identity(t.id),
        ]);
        const summary = formSummary(form);
        const verified = claimed && (claimed.verified && isVerifiedKey(t.customerKey) ? ' (verified)' : ' (unverified)');
        return [
          `Ticket #${t.id} — ${customerName(t)}${verified ?? ''} — desk ${directory.desk(t.desk)?.name ?? t.desk}`,
          `Waited ${formatDuration(t.assignedAt - t.createdAt)}, connected for ${formatDuration(now - t.assignedAt)}` +
            (t.detachedAt ? ` — reconnecting for ${formatDuration(now - t.detachedAt)}` : ''),
          `Address: ${addressKind(t)} (masked as ${directory.maskedJid(t.masked)})`,
          identityLine(claimed, t),
          t.firstWords ? `First message: “${t.firstWords}”` : '',
          summary ? `Form: ${summary}` : '',
          form.language ? `Language: ${form.language}` : '',
          form.page_url ? `Writing from: ${form.page_title ? `${form.page_title} — ` : ''}${form.page_url}` : '',
          form.referrer ? `Came from: ${form.referrer}` : '',
          pages.length
            ? `Pages viewed:\n${pages
                .slice(-MAX_PAGES_SHOWN)
                .map((p) => `- ${new Date(p.at).toISOString().slice(11, 16)} ${p.title || '(untitled)'} — ${p.url}`)
                .join('\n')}`
            : '',
          ...(await visitLines(t)),
          notes.length ? `Notes:\n${notes.map((n) => `- ${n}`).join('\n')}` : 'Notes: none (add one with !note <text>)',
        ]
          .filter(Boolean)
          .join('\n');
      },
    },
    {
      name: 'peek',
      summary: "the customer's draft, as they type it (sneak peek)",
      usage: '!peek',
      minRole: 'operator',
      inChat: true,
      fields: [],
      async run(inv) {
        const t = inv.ticket as Ticket;
        const draft = await drafts.draft(t.id);
        if (!draft) return `${customerName(t)} has no draft right now (sneak peek works when the site turned it on in the widget).`;
        return `${customerName(t)} is typing: “${draft.text}” (${formatDuration(ctx.now() - draft.at)} ago)`;
      },
    },
  ];
}

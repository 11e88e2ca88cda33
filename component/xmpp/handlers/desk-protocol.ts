/**
 * The desk's own IQs for widgets (docs/widget-protocol.md, namespace urn:madoguchi:desk:0,
 * modelled on XEP-0142): parses the request, calls the service, builds the result.
 * References: https://xmpp.org/extensions/xep-0004.html (data forms), XEP-0142.
 */
import { DomainError } from '../../../src/errors.js';
import type { TranscriptLine } from '../../../src/evidence/transcript.js';
import type { CustomerRequests, RawPage } from '../../services/customer-requests.js';
import type { RawIdentity } from '../../services/customer-identity.js';
import type { OfflineReply } from '../../store/customer-store.js';
import { deskStatus } from '../../protocol/desk-status.js';
import { NS_DATA, NS_DESK } from '../../protocol/namespaces.js';
import { xml, type Element } from '../../protocol/xml.js';

const MAX_PAGES_IN_REQUEST = 200;
const iso = (ms: number) => new Date(ms).toISOString();

/** XEP-0004 §3.4: a submitted form's values; multi-value fields are joined by newlines. */
export function submittedValues(x: Element | undefined): Record<string, string> {
  if (!x || x.attrs.xmlns !== NS_DATA) throw new DomainError('bad-request', 'Expected a jabber:x:data form');
  if (x.attrs.type !== 'submit') throw new DomainError('bad-request', "The form's type must be 'submit'");
  const values: Record<string, string> = {};
  for (const field of x.getChildren('field')) {
    const name = String(field.attrs.var ?? '');
    if (name)
      values[name] = field
        .getChildren('value')
        .map((v) => v.getText())
        .join('\n');
  }
  return values;
}

function pagesOf(payload: Element): RawPage[] {
  const pages = payload.getChild('pages')?.getChildren('page') ?? [];
  if (pages.length > MAX_PAGES_IN_REQUEST) throw new DomainError('bad-request', `At most ${MAX_PAGES_IN_REQUEST} page views`);
  return pages.map(pageOf);
}

const pageOf = (el: Element): RawPage => ({
  url: String(el.attrs.url ?? ''),
  title: String(el.attrs.title ?? ''),
  at: String(el.attrs.at ?? ''),
});

/** <identity user-id name email signature/> inside <session/> or <join/> (issue 20, docs/widget-protocol.md §1). */
export function identityOf(payload: Element): RawIdentity | undefined {
  const el = payload.getChild('identity', NS_DESK);
  if (!el) return undefined;
  const attr = (name: string) => (el.attrs[name] === undefined ? undefined : String(el.attrs[name]));
  return { userId: attr('user-id'), name: attr('name'), email: attr('email'), signature: attr('signature') };
}

const replyElement = (r: OfflineReply) => xml('reply', { ticket: String(r.ticket), at: iso(r.at), operator: r.operator }, r.text);

const lineElement = (l: TranscriptLine) => {
  const attrs: Record<string, string> = { at: iso(l.at), from: l.from };
  if (l.name) attrs.name = l.name;
  if (l.id) attrs.id = l.id;
  if (l.redacted) attrs.redacted = 'true';
  return xml('line', attrs, l.redacted ? '' : (l.body ?? ''));
};

function ticketAttr(payload: Element): number {
  const raw = String(payload.attrs.ticket ?? '');
  if (!/^\d{1,15}$/.test(raw)) throw new DomainError('bad-request', 'A ticket number is required');
  return Number(raw);
}

/** Returns the IQ result's payload (undefined for an empty result). */
export async function handleDeskRequest(requests: CustomerRequests, desk: string, iq: Element): Promise<Element | undefined> {
  const payload = iq.getChildElements()[0] as Element;
  const from = String(iq.attrs.from);
  const get = iq.attrs.type === 'get';
  switch (`${payload.name}/${get ? 'get' : 'set'}`) {
    case 'session/set': {
      const { status, replies, identity } = await requests.session(desk, from, String(payload.attrs.token ?? ''), identityOf(payload));
      return xml(
        'session',
        { xmlns: NS_DESK, ...(identity ? { identity } : {}) },
        ...(status ? [deskStatus(status)] : []),
        ...replies.map(replyElement),
      );
    }
    case 'join/set':
      return deskStatus(
        await requests.join(
          desk,
          from,
          submittedValues(payload.getChild('x', NS_DATA) ?? payload.getChild('x')),
          pagesOf(payload),
          String(payload.attrs.id ?? ''),
          identityOf(payload),
        ),
      );
    case 'status/get':
      return deskStatus(await requests.status(desk, from));
    case 'page/set':
      await requests.page(desk, from, pageOf(payload));
      return undefined;
    case 'leave-message/set': {
      const id = await requests.leaveMessage(
        desk,
        from,
        submittedValues(payload.getChild('x', NS_DATA) ?? payload.getChild('x')),
        pagesOf(payload),
      );
      return xml('offline', { xmlns: NS_DESK, ticket: String(id) });
    }
    case 'transcript/get': {
      const { ticket, lines } = await requests.transcript(from, ticketAttr(payload));
      return xml('transcript', { xmlns: NS_DESK, ticket: String(ticket.id), desk: ticket.desk }, ...lines.map(lineElement));
    }
    case 'email-transcript/set':
      await requests.emailTranscript(from, ticketAttr(payload));
      return undefined;
    case 'rate/set':
      await requests.rate(from, ticketAttr(payload), Number(payload.attrs.score), payload.getText());
      return undefined;
    case 'end/set':
      return deskStatus(await requests.end(desk, from));
    default:
      throw new DomainError('not-implemented', `Unknown request <${payload.name}/> (type ${String(iq.attrs.type)})`);
  }
}

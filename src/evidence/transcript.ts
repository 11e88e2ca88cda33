/**
 * Transcripts reconstructed from evidence records (pure). One ticket's records, in chain
 * order, become the lines one audience saw:
 * - `customer`: what the customer wrote and what the desk and the operators wrote to them;
 * - `operator`: what the operators' clients got on the masked JID (intro, the messages
 *   buffered while waiting — delivered again at assignment — live messages, notices) and
 *   what they wrote (the source of XEP-0313 results);
 * - `all` (admins): every record of the ticket once, events and redactions included, each
 *   customer message once (the re-delivery of buffered messages is left out), with the
 *   stanza as recorded.
 * Messages without a body (chat states, receipts, markers) are not transcript lines.
 */
import type { Json } from './canonical-json.js';
import { isRedactionMarker, type Entry } from './entry.js';

export interface TranscriptLine {
  seq: number;
  /** Server time of the record (ms, UTC). */
  at: number;
  kind: string;
  direction: string;
  from: 'customer' | 'operator' | 'desk';
  /** The operator's display name (lines from an operator). */
  name?: string;
  /** origin-id (XEP-0359) or else the stanza's id. */
  id?: string;
  body?: string;
  redacted?: boolean;
  /** The stanza as recorded (audience `all` only: it holds real addresses). */
  stanza?: string;
  /** Event details (audience `all`): e.g. { reason } of an end, { from, to } of a transfer. */
  data?: { [key: string]: Json };
}

export type Audience = 'customer' | 'operator' | 'all';

/** What a transcript needs from a recorded stanza (parsed at the edge). */
export interface StanzaFacts {
  from?: string;
  id?: string;
  originId?: string;
  body?: string;
  /** `from` of an XEP-0203 delay element: the component's domain marks a buffered copy. */
  delayFrom?: string;
}

export interface TranscriptOptions {
  audience: Audience;
  componentDomain: string;
  /** The display name of an operator by bare JID. */
  operatorName: (bare: string) => string | undefined;
  /** Parses content.stanza; undefined when it cannot be read. */
  parse: (stanza: string) => StanzaFacts | undefined;
}

const TO_CUSTOMER = new Set(['desk->customer', 'operator->customer']);
const FROM_CUSTOMER = new Set(['customer->desk', 'customer->operator']);
const TO_OPERATOR = new Set(['desk->operator', 'customer->operator', 'operator->customer']);

function speaker(direction: string): TranscriptLine['from'] {
  if (direction.startsWith('customer->')) return 'customer';
  if (direction.startsWith('operator->')) return 'operator';
  return 'desk';
}

function visible(audience: Audience, direction: string, redelivery: boolean): boolean {
  if (audience === 'operator') return TO_OPERATOR.has(direction);
  if (redelivery) return false;
  if (audience === 'customer') return TO_CUSTOMER.has(direction) || FROM_CUSTOMER.has(direction);
  return true;
}

const resourceOf = (jid: string | undefined) => (jid?.includes('/') ? jid.slice(jid.indexOf('/') + 1) : undefined);

/** The lines of one ticket's records (chain order) for an audience. */
export function transcriptLines(records: readonly Entry[], opts: TranscriptOptions): TranscriptLine[] {
  const lines: TranscriptLine[] = [];
  let afterAssign = false; // buffered messages are re-delivered right after the intro
  for (const e of records) {
    if (e.kind === 'checkpoint') continue;
    const direction = e.direction ?? '';
    const redacted = isRedactionMarker(e.content);
    const raw = typeof e.content.stanza === 'string' ? e.content.stanza : undefined;
    const facts = raw === undefined ? undefined : opts.parse(raw);
    const toOperatorCopy = e.kind === 'message' && direction === 'customer->operator';
    const redelivery = toOperatorCopy && (facts ? facts.delayFrom === opts.componentDomain : redacted && afterAssign);
    afterAssign = e.kind === 'assign' || (afterAssign && toOperatorCopy);
    if (!redacted && facts === undefined) {
      // an event without a stanza: admins only
      if (opts.audience !== 'all') continue;
      const data =
        e.kind === 'redaction'
          ? { target: e.content.target ?? null, reason: e.content.reason ?? null }
          : (e.content.data as { [key: string]: Json } | undefined);
      lines.push({ seq: e.seq, at: e.ts, kind: e.kind, direction, from: 'desk', ...(data ? { data } : {}) });
      continue;
    }
    if (!redacted && !facts?.body) continue; // chat states, receipts, markers
    if (!visible(opts.audience, direction, redelivery)) continue;
    const from = speaker(direction);
    const line: TranscriptLine = { seq: e.seq, at: e.ts, kind: e.kind, direction, from };
    if (from === 'operator') {
      const name = (e.parties.operator && opts.operatorName(e.parties.operator)) || resourceOf(facts?.from);
      if (name) line.name = name;
    }
    if (redacted) line.redacted = true;
    else {
      const id = facts?.originId ?? facts?.id;
      if (id) line.id = id;
      line.body = facts?.body;
      if (opts.audience === 'all' && raw !== undefined) line.stanza = raw;
      if (opts.audience === 'all' && e.content.data !== undefined) line.data = e.content.data as { [key: string]: Json };
    }
    lines.push(line);
  }
  return lines;
}

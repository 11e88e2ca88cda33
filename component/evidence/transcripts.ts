/**
 * Per-session transcripts, reconstructed from the evidence log through its index (a ticket's
 * seqs, tickets by desk / operator / customer: maintained by lua/append-batch-2.lua), so no
 * read scans the log. Records trimmed from Redis are read from the mirror (the archive).
 * Who sees what is decided by the audience (src/evidence/transcript.ts); callers check who
 * is asking (the widget IQ: the token's own tickets; MAM: the chat's operators; the portal:
 * admin tokens).
 */
import { isRedactionMarker, type Entry } from '../../src/evidence/entry.js';
import { matchesSession, type SearchFilter, type SessionSummary } from '../../src/evidence/transcript-search.js';
import { transcriptLines, type Audience, type StanzaFacts, type TranscriptLine } from '../../src/evidence/transcript.js';
import { NS_DELAY, NS_NICK, NS_SID } from '../protocol/namespaces.js';
import { parseXml, type Element } from '../protocol/xml.js';
import { EvidenceError } from './appender.js';
import type { EvidenceLog } from './evidence-log.js';

export type { TranscriptLine, Audience, SessionSummary, SearchFilter };

export interface TranscriptsDeps {
  log: EvidenceLog;
  /** The component's domain (marks the desk's own copies of buffered messages). */
  componentDomain: string;
  /** Configured operators: display names in lines, and name → JID for search. */
  operators: readonly { jid: string; name: string }[] | (() => readonly { jid: string; name: string }[]);
  /** Tickets looked at per search at most (newest first). */
  scanLimit?: number;
}

const parseElement = (stanza: string): Element | undefined => {
  try {
    return parseXml(stanza);
  } catch {
    return undefined;
  }
};

/** The facts a transcript line needs from a recorded stanza. */
export function stanzaFacts(stanza: string): StanzaFacts | undefined {
  const el = parseElement(stanza);
  if (el?.name !== 'message') return undefined;
  const origin = el.getChild('origin-id', NS_SID);
  const facts: StanzaFacts = {};
  if (el.attrs.from) facts.from = String(el.attrs.from);
  if (el.attrs.id) facts.id = String(el.attrs.id);
  if (origin?.attrs.id) facts.originId = String(origin.attrs.id);
  const body = el.getChildText('body');
  if (body !== null) facts.body = body;
  const delay = el.getChild('delay', NS_DELAY);
  if (delay?.attrs.from) facts.delayFrom = String(delay.attrs.from);
  return facts;
}

const bare = (jid: string) => (jid.split('/')[0] ?? '').toLowerCase();

export function createTranscripts(deps: TranscriptsDeps) {
  const { log } = deps;
  // The live operators (issue 16: settings change without a restart), or a fixed list.
  const operators = () => (typeof deps.operators === 'function' ? deps.operators() : deps.operators);
  let namesOf: readonly { jid: string; name: string }[] | undefined;
  let namesMap = new Map<string, string>();
  const names = {
    get(jid: string): string | undefined {
      const ops = operators();
      if (ops !== namesOf) namesMap = new Map(ops.map((o) => [bare(o.jid), o.name]));
      namesOf = ops;
      return namesMap.get(jid);
    },
  };
  const scanLimit = deps.scanLimit ?? 2000;
  const lineOptions = (audience: Audience) => ({
    audience,
    componentDomain: deps.componentDomain,
    operatorName: (jid: string) => names.get(bare(jid)),
    parse: stanzaFacts,
  });

  /** The records of several tickets (index, then Redis or the archive), by ticket. */
  async function load(tickets: readonly number[]): Promise<Map<number, Entry[]>> {
    await log.settled(); // what this instance sent may still sit in the batching window
    const seqs = await log.store.ticketsSeqs(tickets);
    const all = await log.records([...seqs.values()].flat());
    const out = new Map<number, Entry[]>(tickets.map((t) => [t, []]));
    for (const e of all) if (e.ticket !== null) out.get(e.ticket)?.push(e);
    return out;
  }

  function summarize(ticket: number, entries: readonly Entry[]): SessionSummary | undefined {
    if (entries.length === 0) return undefined;
    const customer = entries.map((e) => e.content.customer).find((c): c is string => typeof c === 'string');
    const assign = entries.find((e) => e.kind === 'assign' && typeof e.content.stanza === 'string');
    const nick = assign && parseElement(assign.content.stanza as string)?.getChildText('nick', NS_NICK);
    const operators = [...new Set(entries.map((e) => e.parties.operator).filter((o): o is string => !!o))].map((jid) => ({
      jid,
      ...(names.get(bare(jid)) ? { name: names.get(bare(jid)) } : {}),
    }));
    return {
      ticket,
      desk: (entries[0] as Entry).desk,
      ...(customer ? { customer: bare(customer) } : {}),
      ...(nick ? { customerName: nick } : {}),
      operators,
      firstAt: (entries[0] as Entry).ts,
      lastAt: (entries[entries.length - 1] as Entry).ts,
      lines: transcriptLines(entries, lineOptions('all')),
    };
  }

  function resolveOperator(query: string): string | undefined {
    if (query.includes('@')) return bare(query);
    return operators()
      .find((o) => o.name.toLowerCase() === query.toLowerCase())
      ?.jid.toLowerCase();
  }

  return {
    /** The ticket's records, chain order (checkpoints are not a ticket's). */
    async records(ticketId: number): Promise<Entry[]> {
      return (await load([ticketId])).get(ticketId) ?? [];
    },

    load,

    /** Lines of records already loaded, for an audience. */
    linesOf: (entries: readonly Entry[], audience: Audience): TranscriptLine[] => transcriptLines(entries, lineOptions(audience)),

    /**
     * The transcript of one session. By default what the customer saw (their own messages,
     * the desk's and the operators' messages to them; no stanzas, no staff addresses): safe
     * to hand to the customer. `audience: 'operator'` is what the operators' clients got,
     * `'all'` every record with its stanza (admins). [] when the ticket has no records.
     */
    async forTicket(ticketId: number, opts: { audience?: Audience } = {}): Promise<TranscriptLine[]> {
      const entries = (await load([ticketId])).get(ticketId) ?? [];
      return transcriptLines(entries, lineOptions(opts.audience ?? 'customer'));
    },

    /** The admin view of one session (every line, stanzas included); undefined if unknown. */
    async session(ticketId: number): Promise<SessionSummary | undefined> {
      return summarize(ticketId, (await load([ticketId])).get(ticketId) ?? []);
    },

    /** Sessions matching the filter, newest first (looks at `scanLimit` candidate tickets at most). */
    async search(filter: SearchFilter): Promise<SessionSummary[]> {
      const operator = filter.operator !== undefined ? resolveOperator(filter.operator) : undefined;
      if (filter.operator !== undefined && !operator) return [];
      const scope = filter.customer?.includes('@')
        ? { customer: bare(filter.customer) }
        : operator
          ? { operator }
          : filter.desk !== undefined
            ? { desk: filter.desk }
            : {};
      const found: SessionSummary[] = [];
      for (let offset = 0; offset < scanLimit && found.length < filter.limit; offset += 100) {
        const page = await log.store.tickets(scope, { to: filter.to, offset, count: 100 });
        const loaded = await load(page.map((p) => p.ticket));
        for (const { ticket } of page) {
          const s = summarize(ticket, loaded.get(ticket) ?? []);
          if (s && matchesSession(s, { ...filter, ...(operator ? { operator } : {}) }) && found.length < filter.limit) found.push(s);
        }
        const oldest = page[page.length - 1];
        if (page.length < 100 || (filter.from !== undefined && oldest && oldest.ts < filter.from - 24 * 3600_000)) break;
      }
      return found;
    },

    /** Tickets from the index, newest first (MAM on a desk JID). */
    tickets: (scope: { desk?: string; operator?: string }, range: { to?: number; count: number }) => log.store.tickets(scope, range),

    /**
     * Erases a session's content (GDPR-style): every record of the ticket that still has its
     * content gets a redaction marker, each committed by a logged redaction record; the chain
     * still verifies. Returns the redacted seqs.
     */
    async redactTicket(ticketId: number, reason: string): Promise<{ redacted: number[] }> {
      const entries = (await load([ticketId])).get(ticketId) ?? [];
      if (entries.length === 0) throw new EvidenceError('not-found', `no evidence records for ticket ${ticketId}`);
      const customer = entries.map((e) => e.content.customer).find((c): c is string => typeof c === 'string');
      const redacted: number[] = [];
      for (const e of entries) {
        if (e.kind === 'redaction' || e.kind === 'checkpoint' || isRedactionMarker(e.content)) continue;
        try {
          await log.redact(e.seq, reason);
          redacted.push(e.seq);
        } catch (err) {
          if ((err as EvidenceError).code !== 'already-redacted') throw err; // a concurrent redaction
        }
      }
      if (customer) await log.store.unindexCustomer(bare(customer), ticketId);
      return { redacted };
    },

    /** The ticket's signed bundle (JSONL text for `verify-log`). */
    async bundle(ticketId: number): Promise<string> {
      return (await log.bundle(ticketId, await log.store.ticketSeqs(ticketId))).text;
    },
  };
}
export type Transcripts = ReturnType<typeof createTranscripts>;

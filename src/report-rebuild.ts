/**
 * The report facts (report-figures.ts) read back from the evidence log, in log order, for
 * `npm run reports -- rebuild`: the records of joins, offline messages, assignments, operators'
 * messages, ends, transfers, ratings and replies say what the live transitions counted. Each
 * time is the record's `ts`; live counting uses the transition's clock, a few ms earlier in
 * production (counts are exact; timings may differ by those ms).
 */
import type { ReportFact } from './report-figures.js';
import type { PresenceFact } from './report-presence.js';

/** The fields of an evidence record the rebuild reads (src/evidence/entry.ts). */
export interface FactRecord {
  ts: number;
  kind: string;
  ticket: number | null;
  desk: string | null;
  direction: string | null;
  parties: { operator?: string };
  content: { readonly [key: string]: unknown };
}

interface Seen {
  desk: string;
  createdAt: number;
  assignedAt: number;
  served: boolean;
  responded: boolean;
}

export function createFactReader() {
  const tickets = new Map<number, Seen>();
  const dataOf = (r: FactRecord) => (r.content.data ?? {}) as Record<string, unknown>;

  return function factsOf(r: FactRecord): ReportFact[] {
    if (r.ticket === null || !r.desk) return [];
    const ticket = r.ticket;
    const desk = r.desk;
    if (r.kind === 'join' || r.kind === 'offline') {
      // The ticket's own time when the record has it (the record follows a few round trips later).
      const at = dataOf(r).createdAt;
      const createdAt = typeof at === 'number' && Number.isSafeInteger(at) ? at : r.ts;
      tickets.set(ticket, { desk, createdAt, assignedAt: 0, served: false, responded: false });
      return [{ kind: r.kind === 'join' ? 'requested' : 'offline', ticket, desk, createdAt }];
    }
    const t = tickets.get(ticket);
    if (!t) return []; // joined before the records kept (trimmed or before reports existed)
    const base = { ticket, desk: t.desk, createdAt: t.createdAt };
    const data = dataOf(r);
    const operator = r.parties.operator ?? '';
    switch (r.kind) {
      case 'assign': {
        const first = !t.served;
        t.served = true;
        t.assignedAt = r.ts;
        return first ? [{ ...base, kind: 'served', operator, waitMs: r.ts - t.createdAt }] : [];
      }
      case 'message':
        if (r.direction !== 'operator->customer' || t.responded || !t.assignedAt) return [];
        t.responded = true;
        return [{ ...base, kind: 'firstResponse', operator, ms: r.ts - t.assignedAt }];
      case 'end':
        if (data.previousState === 'waiting' && !t.served) return [{ ...base, kind: 'abandoned', waitMs: r.ts - t.createdAt }];
        if (data.previousState === 'active')
          return [{ ...base, kind: 'ended', operator, handleMs: r.ts - t.assignedAt, responded: t.responded }];
        return [];
      case 'transfer':
        return [{ ...base, kind: 'transfer', operator: String(data.from ?? ''), at: r.ts }];
      case 'rating':
        return [
          {
            ...base,
            kind: 'rating',
            operator,
            score: Number(data.score),
            comment: String(data.comment ?? ''),
            replaces: data.replaces === null || data.replaces === undefined ? null : Number(data.replaces),
          },
        ];
      case 'requeue': // reassigned unanswered (issue 16): a miss of the operator who had it; one record per reassignment
        if (data.reason !== 'unanswered' || r.direction !== 'desk->customer') return [];
        return [{ ...base, kind: 'unanswered', operator, at: r.ts }];
      case 'reply':
        return [{ ...base, kind: 'offlineReplied', operator: String(data.by ?? ''), ms: r.ts - t.createdAt }];
      default:
        return [];
    }
  };
}

/** An operator's presence change (a 'presence' record) as the time spent in the previous status. */
export function presenceFactOf(r: FactRecord): PresenceFact | undefined {
  if (r.kind !== 'presence') return undefined;
  const d = (r.content.data ?? {}) as Record<string, unknown>;
  if (typeof d.operator !== 'string' || typeof d.previous !== 'string' || typeof d.since !== 'number' || typeof d.at !== 'number')
    return undefined;
  const desks = Array.isArray(d.desks) ? d.desks.filter((x): x is string => typeof x === 'string') : [];
  return { operator: d.operator, desks, status: d.previous, since: d.since, at: d.at };
}

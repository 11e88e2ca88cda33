/**
 * Transcript search (pure): the portal's query string → a validated filter, and whether a
 * session matches it. The index narrows the candidates (desk, operator, exact customer JID,
 * date); this decides on the loaded session (substrings, text, overlap with the range).
 */
import type { TranscriptLine } from './transcript.js';

export interface SearchFilter {
  /** A bare JID (exact, via the index) or a part of the customer's JID or name. */
  customer?: string;
  /** An operator's bare JID or display name (case-insensitive). */
  operator?: string;
  desk?: string;
  /** A part of any line's body (case-insensitive). */
  text?: string;
  /** Sessions with a record at or after this time (ms) … */
  from?: number;
  /** … and at or before this one. */
  to?: number;
  limit: number;
}

export interface SessionSummary {
  ticket: number;
  desk: string | null;
  /** The customer's real bare JID (undefined once redacted). */
  customer?: string;
  customerName?: string;
  operators: { jid: string; name?: string }[];
  firstAt: number;
  lastAt: number;
  lines: TranscriptLine[];
}

export const MAX_LIMIT = 200;
export const DEFAULT_LIMIT = 50;

/** A date as ms: an integer (ms since the epoch) or an ISO 8601 date/time. */
export function parseTime(value: string): number | undefined {
  if (/^\d{1,15}$/.test(value)) return Number(value);
  if (!/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Parses the query; returns the filter or the name of the bad parameter with why. */
export function parseSearchQuery(q: Record<string, unknown>): SearchFilter | string {
  const str = (key: string): string | undefined | null => {
    const v = q[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'string') return null;
    const t = v.trim();
    return t === '' ? undefined : t;
  };
  const filter: SearchFilter = { limit: DEFAULT_LIMIT };
  for (const key of ['customer', 'operator', 'desk', 'text'] as const) {
    const v = str(key);
    if (v === null) return `${key}: expected one value`;
    if (v !== undefined) {
      if (v.length > 200) return `${key}: too long`;
      filter[key] = v;
    }
  }
  for (const key of ['from', 'to'] as const) {
    const v = str(key);
    if (v === null) return `${key}: expected one value`;
    if (v === undefined) continue;
    const ms = parseTime(v);
    if (ms === undefined) return `${key}: expected an ISO 8601 date or ms since the epoch`;
    filter[key] = ms;
  }
  if (filter.from !== undefined && filter.to !== undefined && filter.from > filter.to) return 'from: after to';
  const limit = str('limit');
  if (limit === null) return 'limit: expected one value';
  if (limit !== undefined) {
    if (!/^\d+$/.test(limit) || Number(limit) < 1 || Number(limit) > MAX_LIMIT) return `limit: expected 1-${MAX_LIMIT}`;
    filter.limit = Number(limit);
  }
  return filter;
}

const has = (hay: string | undefined, needle: string) => hay?.toLowerCase().includes(needle.toLowerCase());

export function matchesSession(s: SessionSummary, f: SearchFilter): boolean {
  if (f.desk !== undefined && s.desk !== f.desk) return false;
  if (f.from !== undefined && s.lastAt < f.from) return false;
  if (f.to !== undefined && s.firstAt > f.to) return false;
  if (f.customer !== undefined) {
    const exact = f.customer.includes('@') && s.customer?.toLowerCase() === f.customer.toLowerCase();
    if (!exact && !has(s.customer, f.customer) && !has(s.customerName, f.customer)) return false;
  }
  if (f.operator !== undefined) {
    const o = f.operator.toLowerCase();
    if (!s.operators.some((op) => op.jid.toLowerCase() === o || op.name?.toLowerCase() === o)) return false;
  }
  if (f.text !== undefined && !s.lines.some((l) => has(l.body, f.text as string))) return false;
  return true;
}

/** A ticket as stored in its Redis hash, and the conversions from script replies. */
import type { SessionState } from '../../src/session.js';

export interface Ticket {
  id: number;
  desk: string;
  customer: string;
  /** Who the customer is: a widget token's key (tok:…), or a plain XMPP customer's bare JID. */
  customerKey: string;
  name: string;
  state: SessionState;
  operator: string;
  masked: string;
  createdAt: number;
  assignedAt: number;
  notifiedPosition: number;
  firstWords: string;
  /** The desk whose queue a transferred ticket waits in; '' = its own desk. */
  queueDesk: string;
  /** The customer's rating 1–5 after the chat (0 = none). */
  rating: number;
  ratingComment: string;
  endedAt: number;
  /** An offline ticket's first reply (0 = unanswered). */
  answeredAt: number;
  /** When the operator first answered the chat (first-response.ts); 0 before. */
  firstResponseAt: number;
  /** The pre-chat form beyond name and question, in one line ('' for plain customers). */
  summary: string;
  /** A widget customer's page went away at this time (0 = attached). */
  detachedAt: number;
}

/** The hash field that holds the customer's key, named before the key had its name (kept: stored data and the Lua scripts use it). */
export const STORED_CUSTOMER_KEY = 'customerBare';

export function ticketFromHash(h: Record<string, string>): Ticket | undefined {
  if (!h.id) return undefined;
  return {
    id: Number(h.id),
    desk: h.desk ?? '',
    customer: h.customer ?? '',
    customerKey: h[STORED_CUSTOMER_KEY] ?? '',
    name: h.name ?? '',
    state: (h.state ?? 'ended') as SessionState,
    operator: h.operator ?? '',
    masked: h.masked ?? '',
    createdAt: Number(h.createdAt ?? 0),
    assignedAt: Number(h.assignedAt ?? 0),
    notifiedPosition: Number(h.notifiedPosition ?? 0),
    firstWords: h.firstWords ?? '',
    queueDesk: h.queueDesk ?? '',
    rating: Number(h.rating ?? 0),
    ratingComment: h.ratingComment ?? '',
    endedAt: Number(h.endedAt ?? 0),
    answeredAt: Number(h.answeredAt ?? 0),
    firstResponseAt: Number(h.firstResponseAt ?? 0),
    detachedAt: Number(h.detachedAt ?? 0),
    summary: h.summary ?? '',
  };
}

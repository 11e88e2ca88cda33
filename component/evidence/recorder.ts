/**
 * The services' side of the evidence log: a tag on each stanza the component sends says what
 * it is (relayed message, system message, join, assignment, …) and for which ticket; the
 * recorder turns tag + stanza into a record. Appends are queued in call order, so recording
 * just before send() keeps the log in the order stanzas left; failures are reported, never
 * thrown into the relay path (unless `strict`, where the caller awaits the append first).
 */
import type { Json } from '../../src/evidence/canonical-json.js';
import type { Direction, Entry } from '../../src/evidence/entry.js';
import type { EvidenceInput, EvidenceLog } from './evidence-log.js';

/** The ticket fields a record needs (structurally matches the store's Ticket). */
export interface EvidenceTicket {
  id: number;
  desk: string;
  /** The customer's real full JID. */
  customer?: string;
  /** Masked local part (`t42-k7q3`) or full masked JID. */
  masked?: string;
  /** The operator's bare JID. */
  operator?: string;
}

export interface EvidenceTag {
  kind: 'message' | 'system' | 'join' | 'assign' | 'transfer' | 'end' | 'ban' | 'rating' | (string & {});
  direction?: Direction;
  ticket: EvidenceTicket | null;
  /** Desk of a record without a ticket (e.g. a desk-wide notice). */
  desk?: string;
  data?: { [key: string]: Json };
}

export interface RecorderDeps {
  maskedJid: (local: string) => string;
  onError: (err: Error) => void;
}

export function createEvidenceRecorder(log: EvidenceLog | undefined, deps: RecorderDeps) {
  function input(tag: EvidenceTag, stanza?: { toString(): string } | string): EvidenceInput {
    const t = tag.ticket;
    const masked = t?.masked ? (t.masked.includes('@') ? t.masked : deps.maskedJid(t.masked)) : undefined;
    return {
      kind: tag.kind,
      ticket: t?.id ?? null,
      desk: t?.desk ?? tag.desk ?? null,
      direction: tag.direction ?? null,
      parties: { customer: t?.customer || undefined, masked, operator: t?.operator || undefined },
      stanza: stanza === undefined ? undefined : String(stanza),
      data: tag.data,
    };
  }

  return {
    enabled: log !== undefined,
    /** Queues the record; returns its promise for callers that must wait (strict evidence mode). */
    record(tag: EvidenceTag, stanza?: { toString(): string } | string): Promise<Entry | undefined> {
      if (!log) return Promise.resolve(undefined);
      const appended = log.append(input(tag, stanza));
      appended.catch((err: Error) => deps.onError(err));
      return appended;
    },
  };
}
export type EvidenceRecorder = ReturnType<typeof createEvidenceRecorder>;

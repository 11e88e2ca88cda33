/**
 * A ticket's evidence bundle: one file an auditor verifies offline with the public key.
 * Line 1 is the signed bundle manifest; then every record of an unbroken stretch of the
 * chain, from the ticket's first record to its last (extended to the next checkpoint when
 * there is one, so a signature made at the time covers it too). Records of other tickets in
 * that stretch keep their header (the chain needs it) but their content is *elided*:
 * `{"elided":true}`. The chain commits only `contentHash`, and content is salted, so the
 * header reveals nothing of it. The verifier accepts elided content only for records whose
 * (hash-committed) ticket is not the bundle's: the ticket's own records are all complete.
 */
import { canonicalJson, type Json } from './canonical-json.js';
import type { Content, Entry } from './entry.js';

export const BUNDLE_PURPOSE = 'madoguchi-evidence-bundle/v1';
export const ELIDED: Content = { elided: true };

export interface BundleManifest {
  purpose: typeof BUNDLE_PURPOSE;
  ticket: number;
  firstSeq: number;
  firstPrevHash: string;
  lastSeq: number;
  lastHash: string;
  count: number;
  /** How many records of the ticket the bundle holds (all of them). */
  ticketRecords: number;
  exportedAt: number;
  keyId: string;
  sig: string;
}

export const isElided = (content: Content): boolean => content.elided === true && Object.keys(content).length === 1;

/** The record as it goes into a bundle of `ticket`: others' content elided. */
export function bundleRecord(e: Entry, ticket: number): Entry {
  return e.ticket === ticket || e.kind === 'checkpoint' ? e : { ...e, content: ELIDED };
}

export function bundleMessage(m: Omit<BundleManifest, 'sig'>): string {
  const { sig: _sig, ...unsigned } = m as BundleManifest;
  return canonicalJson(unsigned as unknown as Json);
}

const FIELDS = [
  'purpose',
  'ticket',
  'firstSeq',
  'firstPrevHash',
  'lastSeq',
  'lastHash',
  'count',
  'ticketRecords',
  'exportedAt',
  'keyId',
  'sig',
];

/** Whether a file's first line is a bundle manifest (cheap test before parsing). */
export const looksLikeBundle = (firstLine: string): boolean =>
  firstLine.startsWith('{') && firstLine.includes(`"purpose":"${BUNDLE_PURPOSE}"`);

export function parseBundleManifest(text: string): BundleManifest | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'bundle manifest is not valid JSON';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'bundle manifest is not an object';
  const m = value as Record<string, unknown>;
  if (Object.keys(m).sort().join() !== [...FIELDS].sort().join()) return 'bundle manifest has missing or unknown fields';
  if (m.purpose !== BUNDLE_PURPOSE) return `bundle manifest purpose is not ${BUNDLE_PURPOSE}`;
  for (const k of ['ticket', 'firstSeq', 'lastSeq', 'count', 'ticketRecords', 'exportedAt'])
    if (!Number.isSafeInteger(m[k])) return `bundle manifest ${k} malformed`;
  for (const k of ['firstPrevHash', 'lastHash', 'keyId', 'sig']) if (typeof m[k] !== 'string') return `bundle manifest ${k} malformed`;
  return m as unknown as BundleManifest;
}

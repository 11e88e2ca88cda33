/**
 * Structural check of a parsed record line: exactly the known fields, of the right types.
 * Returns the typed entry or the reason it is malformed.
 */
import type { Json } from './canonical-json.js';
import { RECORD_VERSION, type Content, type Entry } from './entry.js';

const HEX64 = /^[0-9a-f]{64}$/;
const KNOWN = new Set([
  'v',
  'seq',
  'ts',
  'kind',
  'ticket',
  'desk',
  'direction',
  'parties',
  'contentHash',
  'prevHash',
  'keyId',
  'sig',
  'hash',
  'content',
]);
const PARTY_KEYS = new Set(['masked', 'operator']);

type Obj = { [key: string]: Json | undefined };
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown, min: number): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= min;
const strOrNull = (v: unknown) => v === null || typeof v === 'string';

export function toEntry(value: Json): Entry | string {
  if (!isObj(value)) return 'not an object';
  for (const key of Object.keys(value)) if (!KNOWN.has(key)) return `unknown field "${key}"`;
  const r = value;
  if (r.v !== RECORD_VERSION) return `unsupported version ${JSON.stringify(r.v)}`;
  if (!isInt(r.seq, 1)) return 'seq is not a positive integer';
  if (!isInt(r.ts, 0)) return 'ts is not a timestamp';
  if (typeof r.kind !== 'string' || r.kind === '') return 'kind missing';
  if (r.ticket !== null && !isInt(r.ticket, 0)) return 'ticket is neither a number nor null';
  if (!strOrNull(r.desk) || !strOrNull(r.direction)) return 'desk or direction malformed';
  if (!isObj(r.parties)) return 'parties missing';
  for (const [key, party] of Object.entries(r.parties)) {
    if (!PARTY_KEYS.has(key) || typeof party !== 'string') return `parties.${key} malformed`;
  }
  for (const key of ['contentHash', 'prevHash', 'hash'] as const) {
    if (typeof r[key] !== 'string' || !HEX64.test(r[key] as string)) return `${key} is not a SHA-256 hex digest`;
  }
  if (!isObj(r.content)) return 'content missing';
  const isCheckpoint = r.kind === 'checkpoint';
  if (isCheckpoint !== (typeof r.sig === 'string') || isCheckpoint !== (typeof r.keyId === 'string')) {
    return isCheckpoint ? 'checkpoint without signature' : 'signature on a record that is not a checkpoint';
  }
  return r as unknown as Entry;
}

/** A redaction marker must be exactly { redacted, reason, redactionSeq }. */
export function markerProblem(content: Content, seq: number): string | undefined {
  const keys = Object.keys(content).sort().join(',');
  if (keys !== 'reason,redacted,redactionSeq') return 'malformed redaction marker';
  if (typeof content.reason !== 'string') return 'malformed redaction marker';
  if (!isInt(content.redactionSeq, 1) || (content.redactionSeq as number) <= seq)
    return 'redaction marker points to no later redaction record';
  return undefined;
}

/** A redaction record's content: { salt, reason, target, targetContentHash }. */
export function redactionTarget(content: Content): { target: number; targetContentHash: string; reason: string } | undefined {
  const { target, targetContentHash, reason } = content;
  if (!isInt(target, 1) || typeof targetContentHash !== 'string' || typeof reason !== 'string') return undefined;
  return { target, targetContentHash, reason };
}

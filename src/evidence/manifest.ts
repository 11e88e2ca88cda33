/**
 * The export manifest: a signed statement of exactly which stretch of the chain an export
 * holds (first seq and the hash it follows, last seq and its hash). It closes the gap the
 * checkpoints leave: without it, dropping records after the last checkpoint cannot be told
 * from a log that simply ended there.
 */
import { canonicalJson, type Json } from './canonical-json.js';

export const MANIFEST_PURPOSE = 'madoguchi-evidence-export/v1';
export const MANIFEST_FILE = 'manifest.json';

export interface Manifest {
  purpose: typeof MANIFEST_PURPOSE;
  firstSeq: number;
  firstPrevHash: string;
  lastSeq: number;
  lastHash: string;
  count: number;
  exportedAt: number;
  keyId: string;
  sig: string;
}

export function manifestMessage(m: Omit<Manifest, 'sig'>): string {
  const { sig: _sig, ...unsigned } = m as Manifest;
  return canonicalJson(unsigned as unknown as Json);
}

const FIELDS = ['purpose', 'firstSeq', 'firstPrevHash', 'lastSeq', 'lastHash', 'count', 'exportedAt', 'keyId', 'sig'];

export function parseManifest(text: string): Manifest | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'manifest is not valid JSON';
  }
  if (typeof value !== 'object' || value === null) return 'manifest is not an object';
  const m = value as Record<string, unknown>;
  if (Object.keys(m).sort().join() !== [...FIELDS].sort().join()) return 'manifest has missing or unknown fields';
  if (m.purpose !== MANIFEST_PURPOSE) return `manifest purpose is not ${MANIFEST_PURPOSE}`;
  for (const k of ['firstSeq', 'lastSeq', 'count', 'exportedAt']) if (!Number.isSafeInteger(m[k])) return `manifest ${k} malformed`;
  for (const k of ['firstPrevHash', 'lastHash', 'keyId', 'sig']) if (typeof m[k] !== 'string') return `manifest ${k} malformed`;
  return m as unknown as Manifest;
}

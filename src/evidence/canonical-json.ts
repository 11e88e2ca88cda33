/**
 * Canonical JSON for evidence records: the one byte sequence that is hashed, stored and
 * verified. A subset of RFC 8785 (JCS): object keys sorted by UTF-16 code units, no
 * whitespace, strings escaped exactly as JSON.stringify does, numbers limited to safe
 * integers (so there is no float formatting to agree on). `undefined` members are omitted.
 * References: https://www.rfc-editor.org/rfc/rfc8785
 */
export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json | undefined };

export class CanonicalJsonError extends Error {
  override name = 'CanonicalJsonError';
}

export function canonicalJson(value: Json): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isSafeInteger(value)) throw new CanonicalJsonError(`not a safe integer: ${value}`);
      return String(value === 0 ? 0 : value); // -0 → 0
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) return `[${(value as readonly Json[]).map(canonicalJson).join(',')}]`;
      const obj = value as { readonly [key: string]: Json | undefined };
      const proto = Object.getPrototypeOf(obj) as unknown;
      if (proto !== Object.prototype && proto !== null) throw new CanonicalJsonError('only plain objects are allowed');
      const keys = Object.keys(obj);
      if (keys.length > 1) keys.sort();
      let out = '{';
      for (const key of keys) {
        const member = obj[key];
        if (member === undefined) continue;
        if (out.length > 1) out += ',';
        out += `${JSON.stringify(key)}:${canonicalJson(member)}`;
      }
      return `${out}}`;
    }
    default:
      throw new CanonicalJsonError(`unsupported type: ${typeof value}`);
  }
}

/** Parses a line and checks it is exactly its own canonical encoding (any other spelling is tampering). */
export function parseCanonical(text: string): { ok: true; value: Json } | { ok: false; reason: string } {
  let value: Json;
  try {
    value = JSON.parse(text) as Json;
  } catch {
    return { ok: false, reason: 'not valid JSON' };
  }
  try {
    if (canonicalJson(value) !== text) return { ok: false, reason: 'not in canonical form' };
  } catch (err) {
    return { ok: false, reason: (err as Error).message };
  }
  return { ok: true, value };
}

/** A seeded PRNG (mulberry32, test/support/seeded.ts) and the odd strings the stanza fuzzer draws from: same seed, same run. */
import { seeded } from '../seeded.js';

export type Rng = ReturnType<typeof createRng>;

export function createRng(seed: number) {
  const next = seeded(seed);
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const chance = (p: number) => next() < p;
  /** One of the entries, by weight: [[weight, value], …]. */
  const weighted = <T>(entries: readonly (readonly [number, T])[]): T => {
    let r = next() * entries.reduce((s, [w]) => s + w, 0);
    for (const [w, v] of entries) if ((r -= w) < 0) return v;
    return (entries[entries.length - 1] as readonly [number, T])[1];
  };

  // Only characters XML 1.0 allows (RFC 6120 §11.1): others make Prosody close the sender's
  // stream, and nothing would reach the component.
  const SCRIPTS = [
    'abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789 .,;:-_',
    '窓口の担当者がお答えします題名受付中です',
    '고객지원센터',
    'поддержка клиентов',
    'مرحبا بكم في الدعم',
    'שלום עולם',
    'é\u0301 n\u0303 a\u030A\u0323',
    '👩‍👩‍👧‍👦🏳️‍🌈👍🏽🧑‍💻',
    '\t\n\r ',
    '&<>"\'',
    '\u200B\u200E\u202E\uFEFF',
    '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𠜎𠜱',
  ];
  const XMLISH = [
    '<body>x</body>',
    '&amp;',
    '&lt;&gt;',
    '&#0;',
    '&#x1F4A9;',
    ']]>',
    '<![CDATA[x]]>',
    '<!DOCTYPE x [<!ENTITY a "b">]>&a;',
    '<?xml version="1.0"?>',
    '</stream:stream>',
    '<iq type="set"/>',
    '{customer} {operator} {desk}',
    '%s%n%x',
    '\\u0000',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a hostile body that looks like a template, on purpose
    '${process.exit()}',
  ];

  function text(maxLen: number): string {
    const chars = Array.from(pick(SCRIPTS));
    const len = int(0, maxLen);
    let out = '';
    for (let i = 0; i < len; i++) out += pick(chars);
    return out;
  }

  /** A body: plain, mixed-script, XML-looking, empty, or past the length limit. */
  function body(limit: number): string {
    return weighted<() => string>([
      [30, () => text(60)],
      [10, () => pick(XMLISH) + text(10)],
      [4, () => ''],
      [4, () => ' '.repeat(int(1, 50))],
      [3, () => text(int(limit - 5, limit))],
      [3, () => 'x'.repeat(int(limit + 1, limit * 3))],
      [2, () => text(2000)],
    ])();
  }

  /** A token, id or name: valid-looking, empty, huge, or with characters nobody expects. */
  function word(): string {
    return weighted<() => string>([
      [10, () => Math.floor(next() * 1e9).toString(36)],
      [3, () => ''],
      [3, () => 'A'.repeat(int(100, 3000))],
      [3, () => text(20)],
      [2, () => pick(XMLISH)],
      [2, () => String(int(-5, 5))],
      [1, () => '99999999999999999999999'],
    ])();
  }

  return { next, int, pick, chance, weighted, text, body, word };
}

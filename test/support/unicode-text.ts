/**
 * Seeded mixed-script text for the relay's Unicode tests: CJK (BMP and astral), emoji with ZWJ
 * sequences, flags and skin tones, combining marks (Latin, Vietnamese, Devanagari), RTL (Arabic,
 * Hebrew, with direction marks), 2-byte scripts, ASCII and XML's own escapes. Lengths are exact
 * in code points; no text starts with `!` (an operator command) or with or ends in whitespace.
 */
const ATOMS = [
  '題',
  '名',
  '受',
  '付',
  '窓',
  '口',
  '日本語',
  'ありがとう',
  'カタカナ',
  '한국어',
  '中文',
  '𠮷',
  '𩸽',
  '𝄞',
  '👩‍👩‍👧‍👦',
  '🏳️‍🌈',
  '👨🏽‍💻',
  '🧑‍🤝‍🧑',
  '👋🏽',
  '❤️',
  '😀',
  '🇯🇵',
  '🫠',
  'e\u0301',
  'e\u0323\u0302',
  'a\u0308\u0304',
  'क्षि',
  'नमस्ते',
  'ภาษาไทย',
  'مرحبا',
  'السلام عليكم',
  '\u200Fשלום',
  'עברית\u200E',
  '\u202Bنص\u202C',
  'ß',
  'Ж',
  'Ελληνικά',
  'ñ',
  'ø',
  'plain',
  'E42',
  ' ',
  ' ',
  '\n',
  '\t',
  '&',
  '<',
  '>',
  '"',
  "'",
  ']]>',
];

export { seeded } from './seeded.js';

/** A text of exactly `codePoints` code points. */
export function mixedText(random: () => number, codePoints: number): string {
  const out: string[] = [];
  while (out.length < codePoints) {
    for (const cp of ATOMS[Math.floor(random() * ATOMS.length)]!) {
      if (out.length === codePoints) break;
      out.push(cp);
    }
  }
  const plain = (cp: string | undefined) => cp === undefined || /^[\s!]$/u.test(cp);
  if (plain(out[0])) out[0] = '窓';
  if (plain(out[out.length - 1])) out[out.length - 1] = '口';
  return out.join('');
}

export const codePointsOf = (s: string) => [...s].length;

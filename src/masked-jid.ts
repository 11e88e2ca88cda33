/**
 * Masked addresses: each customer appears to operators as `t<ticket>-<4 random chars>`
 * on the component domain. The random suffix makes addresses unguessable, so an
 * operator cannot reach another ticket by counting.
 */
const MASK = /^t(\d+)-([0-9a-z]{4})$/;
const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

export function maskedLocal(ticket: number, random: () => number = Math.random): string {
  let suffix = '';
  for (let i = 0; i < 4; i++) suffix += ALPHABET[Math.floor(random() * ALPHABET.length)] ?? '0';
  return `t${ticket}-${suffix}`;
}

export function parseMaskedLocal(local: string): { ticket: number } | undefined {
  const m = MASK.exec(local);
  return m ? { ticket: Number(m[1]) } : undefined;
}

/**
 * Thousands of random mutations of an exported log (seeded, so reproducible): byte flips,
 * overwritten bytes, deleted, inserted, reordered and truncated records. Every one must be
 * detected, with the first bad entry named by its seq (DESIGN §2 "Evidence log").
 */
import { describe, expect, it } from 'vitest';
import { buildLog, memoizedVerifier, toBuffer, verifyBuffer } from './evidence-fixture.js';
import { seeded } from '../support/seeded.js';

const SEED = Number(process.env.TAMPER_SEED ?? 20240605);
const MUTATIONS = Number(process.env.TAMPER_MUTATIONS ?? 3000);

/** Picks mutations, seeded (test/support/seeded.ts). */
function prng(seed: number) {
  const next = seeded(seed);
  return { next, int: (n: number) => Math.floor(next() * n) };
}

interface Mutation {
  kind: string;
  lines?: string[];
  bytes?: Buffer;
  expected: number;
}

describe('tamper detection', () => {
  const log = buildLog({ records: 96, checkpointEvery: 12, redact: [5, 40, 41, 90], tail: 6 });
  const { lines, keyPair, manifest } = log;
  const verify = memoizedVerifier(keyPair);
  const file = toBuffer(lines);
  const n = lines.length;
  const seqAt = (i: number) => i + 1; // one chain from genesis: line i holds seq i + 1 (and "seq n + 1" is past the end)
  const lineOfByte: number[] = [];
  lines.forEach((l, i) => {
    for (let b = 0; b < Buffer.byteLength(l) + 1; b++) lineOfByte.push(i);
  });

  it('the untouched export verifies', () => {
    expect(verifyBuffer(file, keyPair, manifest)).toMatchObject({ ok: true, records: n, redacted: 4 });
  });

  it(`detects ${MUTATIONS} random mutations and names the right entry (seed ${SEED})`, () => {
    const rnd = prng(SEED);
    const garbage = () =>
      [
        '',
        ' ',
        '{}',
        'not json',
        lines[rnd.int(n)]?.replace(/"seq":\d+/, `"seq":${rnd.int(n + 5)}`) ?? '',
        JSON.stringify({ v: 1, seq: rnd.int(n) + 1 }),
      ][rnd.int(6)] as string;
    const makers: (() => Mutation)[] = [
      () => {
        // flip one bit anywhere, newlines included
        const bytes = Buffer.from(file);
        const o = rnd.int(bytes.length);
        bytes[o] = (bytes[o] as number) ^ (1 << rnd.int(8));
        return { kind: 'flip', bytes, expected: seqAt(lineOfByte[o] as number) };
      },
      () => {
        // overwrite one byte with another value
        const bytes = Buffer.from(file);
        const o = rnd.int(bytes.length);
        bytes[o] = ((bytes[o] as number) + 1 + rnd.int(255)) & 0xff;
        return { kind: 'overwrite', bytes, expected: seqAt(lineOfByte[o] as number) };
      },
      () => {
        // delete a run of 1..3 records
        const i = rnd.int(n);
        const copy = [...lines];
        copy.splice(i, 1 + rnd.int(3));
        return { kind: 'delete', lines: copy, expected: seqAt(i) };
      },
      () => {
        // insert a copy of another record
        const k = rnd.int(n);
        const p = rnd.int(n + 1);
        const copy = [...lines];
        copy.splice(p, 0, lines[k] as string);
        return { kind: 'insert-copy', lines: copy, expected: k === p - 1 ? seqAt(p - 1) : seqAt(p) };
      },
      () => {
        // insert something that is not a record of this chain
        const p = rnd.int(n + 1);
        const copy = [...lines];
        copy.splice(p, 0, garbage());
        return { kind: 'insert-garbage', lines: copy, expected: seqAt(p) };
      },
      () => {
        // swap two records
        const i = rnd.int(n - 1);
        const j = i + 1 + rnd.int(Math.min(n - i - 1, rnd.next() < 0.5 ? 1 : n));
        const copy = [...lines];
        [copy[i], copy[j]] = [copy[j] as string, copy[i] as string];
        return { kind: 'swap', lines: copy, expected: seqAt(i) };
      },
      () => {
        // move one record elsewhere
        const from = rnd.int(n);
        let to = rnd.int(n - 1);
        if (to >= from) to++;
        const copy = [...lines];
        const [moved] = copy.splice(from, 1);
        copy.splice(to, 0, moved as string);
        return { kind: 'move', lines: copy, expected: seqAt(Math.min(from, to)) };
      },
      () => {
        // truncate the file at any byte
        const o = rnd.int(file.length);
        return { kind: 'truncate', bytes: file.subarray(0, o), expected: seqAt(lineOfByte[o] as number) };
      },
    ];

    const missed: string[] = [];
    const counts: Record<string, number> = {};
    for (let t = 0; t < MUTATIONS; t++) {
      const m = (makers[rnd.int(makers.length)] as () => Mutation)();
      counts[m.kind] = (counts[m.kind] ?? 0) + 1;
      const r = verifyBuffer(m.bytes ?? toBuffer(m.lines ?? []), keyPair, manifest, verify);
      if (r.ok || r.failure?.seq !== m.expected) {
        missed.push(`#${t} ${m.kind}: expected seq ${m.expected}, got ${r.ok ? 'OK' : `seq ${r.failure?.seq} (${r.failure?.reason})`}`);
      }
    }
    expect(missed.slice(0, 10)).toEqual([]);
    expect(Object.keys(counts).length).toBe(makers.length);
  });
});

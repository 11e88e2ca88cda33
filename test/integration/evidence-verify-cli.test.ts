/**
 * The verifier command (scripts/verify-log.ts) on files exported from a real Redis log:
 * summary and exit 0 when intact; exit 1 naming the first bad entry when tampered with; the
 * newest records cut off the mirror are found only against a witnessed head (issue 14 item 6).
 */
import { execFile } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEvidenceLog } from '../../component/evidence/evidence-log.js';
import { generateEvidenceKeyPair } from '../../component/evidence/key-pair.js';
import { headJson, type SignedHead } from '../../src/evidence/head.js';
import { freshPrefix, startTestRedis, type TestRedis } from '../support/redis.js';
import { openClient } from './store-fixture.js';

const run = promisify(execFile);
const keyPair = generateEvidenceKeyPair();
let server: TestRedis;
let redis: Redis;
let dir: string;
let exportDir: string;
let mirrorDir: string;
let pubPem: string;
let head: SignedHead;
let headFile: string;

async function verify(...args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await run('node_modules/.bin/tsx', ['scripts/verify-log.ts', ...args]);
    return { code: 0, out: stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

/** A copy of the export to damage. */
function copyExport(): string {
  const copy = mkdtempSync(join(dir, 'copy-'));
  cpSync(exportDir, copy, { recursive: true });
  for (const f of readdirSync(copy)) chmodSync(join(copy, f), 0o644);
  return copy;
}

beforeAll(async () => {
  server = await startTestRedis();
  redis = await openClient(server.url);
  dir = mkdtempSync(join(tmpdir(), 'madoguchi-verify-cli-'));
  exportDir = join(dir, 'export');
  mirrorDir = join(dir, 'mirror');
  pubPem = join(dir, 'evidence-key.pub.pem');
  writeFileSync(pubPem, keyPair.publicKeyPem);
  const log = createEvidenceLog({ redis, prefix: freshPrefix(), keyPair, mirrorDir, checkpointEvery: 25, checkpointMs: 60_000 });
  for (let i = 0; i < 100; i++) {
    await log.append({
      kind: 'message',
      ticket: 7,
      desk: 'support',
      direction: 'operator->customer',
      stanza: `<message><body>reply ${i}</body></message>`,
    });
  }
  await log.export({ dir: exportDir, maxFileBytes: 16 * 1024 }); // seq 1..104: 100 messages, 4 checkpoints
  for (let i = 0; i < 3; i++)
    await log.append({ kind: 'system', ticket: 7, desk: 'support', stanza: `<message><body>late ${i}</body></message>` });
  await new Promise((r) => setTimeout(r, 50));
  await log.close(); // its final checkpoint signs the 3 late records
  head = (await log.latestHead()) as SignedHead; // what GET /api/evidence/head serves: seq 108
  headFile = join(dir, 'head.json');
  writeFileSync(headFile, headJson(head));
}, 60_000);

/** A copy of the mirror without its newest `drop` records. */
function truncatedMirror(drop: number): string {
  const copy = mkdtempSync(join(dir, 'cut-'));
  cpSync(mirrorDir, copy, { recursive: true });
  const files = readdirSync(copy).sort();
  const last = join(copy, files[files.length - 1] as string);
  chmodSync(last, 0o644);
  const lines = readFileSync(last, 'utf8').trimEnd().split('\n');
  writeFileSync(last, `${lines.slice(0, -drop).join('\n')}\n`);
  return copy;
}
afterAll(async () => {
  await redis?.quit();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

it('prints a summary and exits 0 for an intact export', async () => {
  const { code, out } = await verify(exportDir, '--public-key', pubPem);
  expect(code).toBe(0);
  expect(out).toMatch(/records: 104 \(seq 1-104\)/);
  expect(out).toMatch(/intact from genesis/);
  expect(out).toMatch(/manifest: signed export of seq 1-104, complete/);
  expect(out).toMatch(/end: truncation after seq 104 cannot be ruled out without a witnessed head \(--expect-head\)/);
  expect(out).toMatch(/^OK: intact as far as these files go; truncation after seq 104 not ruled out$/m);
});

it('exits 1 and names the entry whose byte was flipped', async () => {
  const copy = copyExport();
  const file = join(copy, 'evidence-000000000001.jsonl');
  const lines = readFileSync(file, 'utf8').split('\n');
  lines[9] = (lines[9] as string).replace('reply 9', 'reply 8');
  writeFileSync(file, lines.join('\n'));
  const { code, out } = await verify(copy, '--public-key', pubPem);
  expect(code).toBe(1);
  expect(out).toMatch(/first bad entry: seq 10 \(evidence-000000000001\.jsonl:10\)/);
});

it('exits 1 naming the first missing entry when a whole file is deleted, or the end is cut', async () => {
  const copy = copyExport();
  const files = readdirSync(copy)
    .filter((f) => f.endsWith('.jsonl'))
    .sort();
  expect(files.length).toBeGreaterThanOrEqual(3);
  const middle = files[1] as string;
  unlinkSync(join(copy, middle));
  expect((await verify(copy, '--public-key', pubPem)).out).toMatch(new RegExp(`first bad entry: seq ${Number(middle.slice(9, 21))}\\b`));
  const cut = copyExport();
  unlinkSync(join(cut, files[files.length - 1] as string));
  const { code, out } = await verify(cut, '--public-key', pubPem);
  expect(code).toBe(1);
  expect(out).toMatch(/truncated/);
});

it('exits 1 naming the first checkpoint when given the wrong key', async () => {
  const other = join(dir, 'other.pub.pem');
  writeFileSync(other, generateEvidenceKeyPair().publicKeyPem);
  const { code, out } = await verify(join(exportDir, 'evidence-000000000001.jsonl'), '--public-key', other);
  expect(code).toBe(1);
  expect(out).toMatch(/first bad entry: seq 26 .*signed by key/);
});

it('reports the unsigned tail of a mirror; --require-signed makes it an error', async () => {
  const copy = mkdtempSync(join(dir, 'mirror-'));
  cpSync(mirrorDir, copy, { recursive: true });
  const files = readdirSync(copy).sort();
  const last = join(copy, files[files.length - 1] as string);
  chmodSync(last, 0o644);
  const lines = readFileSync(last, 'utf8').trimEnd().split('\n');
  writeFileSync(last, `${lines.slice(0, -1).join('\n')}\n`); // drop the final checkpoint
  const { code, out } = await verify(copy, '--public-key', pubPem);
  expect(code).toBe(0);
  expect(out).toMatch(/unsigned tail: 3 record\(s\)/);
  expect((await verify(copy, '--public-key', pubPem, '--require-signed')).code).toBe(3);
});

it('exits 2 on usage errors', async () => {
  expect((await verify(exportDir)).code).toBe(2);
  expect((await verify(join(dir, 'nope'), '--public-key', pubPem)).code).toBe(2);
  expect((await verify(mirrorDir, '--public-key', pubPem, '--expect-head', '108:xyz')).code).toBe(2);
  expect((await verify(mirrorDir, '--public-key', pubPem, '--expect-head', `108:${head.hash}`, '--expect-head-file', headFile)).code).toBe(
    2,
  );
});

describe('the newest records cut off the mirror (it ends on an earlier checkpoint)', () => {
  it('from the files alone: OK, but it says plainly that truncation cannot be ruled out', async () => {
    const cut = truncatedMirror(30); // 79..108 gone: it now ends on checkpoint 78
    const { code, out } = await verify(cut, '--public-key', pubPem);
    expect(code).toBe(0);
    expect(out).toMatch(/records: 78 \(seq 1-78\)/);
    expect(out).toContain('end: truncation after seq 78 cannot be ruled out without a witnessed head (--expect-head)');
    expect(out).not.toMatch(/complete/);
  });

  it('against the witnessed head (file or seq:hash): exit 1 naming the missing records', async () => {
    expect(head.seq).toBe(108);
    const cut = truncatedMirror(30);
    for (const args of [
      ['--expect-head-file', headFile],
      ['--expect-head', `${head.seq}:${head.hash}`],
    ]) {
      const { code, out } = await verify(cut, '--public-key', pubPem, ...args);
      expect(code, out).toBe(1);
      expect(out).toContain(
        'FAIL: first bad entry: seq 79: log ends at seq 78 but the witnessed head is seq 108: records 79..108 are missing',
      );
    }
  });

  it('the whole mirror against the head: complete through it', async () => {
    const { code, out } = await verify(mirrorDir, '--public-key', pubPem, '--expect-head-file', headFile);
    expect(code, out).toBe(0);
    expect(out).toContain('head: witnessed head at seq 108 matches: every record through seq 108 is present');
    expect(out).toMatch(/^OK: intact, and complete through the witnessed head \(seq 108\)$/m);
  });

  it('only the head checkpoint itself missing: its signature vouches for the unsigned tail', async () => {
    const { code, out } = await verify(truncatedMirror(1), '--public-key', pubPem, '--expect-head-file', headFile, '--require-signed');
    expect(code, out).toBe(0);
    expect(out).toContain(
      'unsigned tail: 3 record(s) after the last checkpoint: chained, but not yet signed; 3 of them vouched for by the witnessed head',
    );
  });

  it('a forged head is refused', async () => {
    const forged = join(dir, 'forged-head.json');
    writeFileSync(forged, headJson({ ...head, seq: 200 }));
    const { code, out } = await verify(mirrorDir, '--public-key', pubPem, '--expect-head-file', forged);
    expect(code).toBe(1);
    expect(out).toContain("the witnessed head's signature is not valid for the given key");
  });
});

/**
 * One writer per evidence mirror dir (issue 19, hot standby): a second instance started with the
 * same config must not resume the active one's files (resuming cuts a torn last line: the active
 * one may be mid-write) nor ever write them.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { beforeAll, describe, expect, it } from 'vitest';
import { createEvidenceLog } from '../../component/evidence/evidence-log.js';
import { generateEvidenceKeyPair } from '../../component/evidence/key-pair.js';
import { logFileName } from '../../component/evidence/log-files.js';
import { MirrorDirTaken, OWNER_FILE } from '../../component/evidence/mirror-owner.js';
import { freshPrefix } from '../support/redis.js';
import { useEvidenceRedis } from './evidence-fixture.js';

const keyPair = generateEvidenceKeyPair();
const ev = useEvidenceRedis();
let redis: Redis;
beforeAll(() => {
  redis = ev.redis();
});

/** A mirror dir as a live writer leaves it mid-write: its pid in owner.pid, a torn last line. */
function busyMirror(pid: number): { dir: string; file: string; text: string } {
  const dir = ev.tempDir();
  const file = join(dir, logFileName(1));
  const text = '{"seq":1,"complete":"line"}\n{"seq":2,"torn mid-wr';
  writeFileSync(file, text);
  writeFileSync(join(dir, OWNER_FILE), `${pid}\n`);
  return { dir, file, text };
}

describe('evidence mirror owner', () => {
  it("refuses to open a mirror dir a live process writes, and leaves that process's files untouched", async () => {
    const other = spawn('sleep', ['30']);
    ev.onCleanup(() => void other.kill('SIGKILL'));
    const m = busyMirror(other.pid as number);
    const log = createEvidenceLog({ redis, prefix: freshPrefix(), keyPair, mirrorDir: m.dir, checkpointMs: 60_000 });
    const err = await log.open().catch((e: Error) => e);
    expect(err).toBeInstanceOf(MirrorDirTaken);
    expect((err as Error).message).toContain(`is written by process ${other.pid}`);
    expect((err as Error).message).toContain('EVIDENCE_DATA_DIR');
    expect(readFileSync(m.file, 'utf8')).toBe(m.text);
    expect(readFileSync(join(m.dir, OWNER_FILE), 'utf8')).toBe(`${other.pid}\n`);
  });

  it('takes over a dir whose writer is gone (kill -9 leaves owner.pid behind), and gives it back on close', async () => {
    const gone = spawn('true');
    await new Promise((r) => gone.once('exit', r));
    const m = busyMirror(gone.pid as number);
    const log = createEvidenceLog({ redis, prefix: freshPrefix(), keyPair, mirrorDir: m.dir, checkpointMs: 60_000 });
    await log.open();
    expect(readFileSync(join(m.dir, OWNER_FILE), 'utf8')).toBe(`${process.pid}\n`);
    expect(readFileSync(m.file, 'utf8')).toBe('{"seq":1,"complete":"line"}\n'); // its own dir now: the torn line is cut
    await log.close();
    expect(existsSync(join(m.dir, OWNER_FILE))).toBe(false);
  });
});

/**
 * Issue #5 end to end (first part): a real conversation through Prosody leaves an evidence
 * log on disk that the offline verifier accepts with the deployment's public key alone, that
 * holds what both sides saw, in order, and that fails verification after any change.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isIntro } from '../support/clients.js';
import { startStack, SUPPORT, type Stack } from '../support/stack.js';

const run = promisify(execFile);

async function verify(paths: string[], keyFile: string): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/verify-log.ts', ...paths, '--public-key', keyFile]);
    return { code: 0, out: stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

describe('evidence log through a real conversation', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => stack?.stop());

  it('records every relayed and system stanza; the export verifies and any change is named', async () => {
    const alice = await stack.operator('alice');
    await alice.subscribeTo(SUPPORT);
    const customer = await stack.customer();
    await customer.say(SUPPORT, 'evidence: my first message');
    const intro = await alice.next(isIntro, 'intro');
    const m = intro.attrs.from!;
    await alice.message(m, 'evidence: my first message');
    await alice.say(m, 'evidence: operator reply');
    await customer.message(`${SUPPORT}/Alice`, 'evidence: operator reply');
    await customer.say(SUPPORT, 'evidence: thanks');
    await alice.message(m, 'evidence: thanks');
    await alice.say(m, '!end');
    await customer.message(`${SUPPORT}/Alice`, 'ended the chat');

    const keyPem = await (await fetch(`${stack.httpUrl}/api/evidence/public-key`)).text();
    expect(keyPem).toContain('BEGIN PUBLIC KEY');
    await stack.stopComponent(); // a clean stop signs the last checkpoint
    const keyFile = join(stack.dir, 'public-key.pem');
    writeFileSync(keyFile, keyPem);
    const logDir = join(stack.dir, 'evidence', 'log');

    const ok = await verify([logDir], keyFile);
    expect(ok.code, ok.out).toBe(0);
    expect(ok.out).toContain('chain: intact from genesis');
    expect(ok.out).not.toContain('unsigned tail');

    // What both sides saw is there, in the order it was sent.
    const files = readdirSync(logDir)
      .filter((f) => f.endsWith('.jsonl'))
      .sort();
    const records = files
      .flatMap((f) => readFileSync(join(logDir, f), 'utf8').trim().split('\n'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const said = records.map((r) => JSON.stringify(r)).filter((t) => t.includes('evidence: '));
    const order = ['evidence: my first message', 'evidence: operator reply', 'evidence: thanks'];
    const firstIndex = order.map((text) => said.findIndex((t) => t.includes(text)));
    expect(firstIndex.every((i) => i >= 0)).toBe(true);
    expect([...firstIndex].sort((a, b) => a - b)).toEqual(firstIndex);
    const kinds = new Set(records.map((r) => r.kind));
    for (const k of ['join', 'assign', 'message', 'system', 'end', 'checkpoint']) expect(kinds).toContain(k);

    // Change one character of a relayed message: the verifier names that entry.
    const target = files.find((f) => readFileSync(join(logDir, f), 'utf8').includes('operator reply'))!;
    const text = readFileSync(join(logDir, target), 'utf8');
    const line = text.split('\n').find((l) => l.includes('operator reply'))!;
    const seq = (JSON.parse(line) as { seq: number }).seq;
    writeFileSync(join(logDir, target), text.replace('operator reply', 'operator replY'));
    const bad = await verify([logDir], keyFile);
    expect(bad.code).toBe(1);
    expect(bad.out).toContain(`first bad entry: seq ${seq}`);
    await stack.startComponent(); // leave the stack as stop() expects it
  });
});

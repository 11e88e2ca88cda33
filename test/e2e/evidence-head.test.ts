/**
 * Issue 14 item 6 end to end: after real traffic, an auditor subscribed to the XEP-0060 witness
 * node holds the signed heads, GET /api/evidence/head serves the newest, and the verifier CLI
 * finds the newest records cut off the mirror against either; without a head it says that
 * truncation cannot be ruled out.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { xml } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSignedHead, type SignedHead } from '../../src/evidence/head.js';
import { isIntro } from '../support/clients.js';
import { startStack, SUPPORT, type Stack } from '../support/stack.js';

const run = promisify(execFile);
const PUBSUB = 'pubsub.localhost';
const NODE = 'madoguchi-evidence-heads';
const NS_PUBSUB = 'http://jabber.org/protocol/pubsub';

async function verify(...args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/verify-log.ts', ...args]);
    return { code: 0, out: stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

/** The <item/> of a PubSub event notification from the witness node. */
const headItemOf = (el: Element): Element | undefined =>
  el.name === 'message' && el.attrs.from === PUBSUB
    ? el.getChild('event', `${NS_PUBSUB}#event`)?.getChild('items')?.getChild('item')
    : undefined;

describe('the witnessed head of the evidence log', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => stack?.stop());

  it('is pushed to a subscribed auditor and served over HTTP; a truncated mirror fails against it', async () => {
    // An auditor (any account on the server, not staff) subscribes to the witness node.
    const auditor = await stack.operator('mallory', 'audit');
    let sub: Element | undefined;
    for (let i = 0; i < 50; i++) {
      // the component creates the node when it comes online
      sub = await auditor.iq(PUBSUB, 'set', xml('pubsub', { xmlns: NS_PUBSUB }, xml('subscribe', { node: NODE, jid: auditor.jid })));
      if (sub.attrs.type === 'result') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(sub?.attrs.type, sub?.toString()).toBe('result');
    // The auditor may not publish: only the component may.
    const forged = await auditor.iq(
      PUBSUB,
      'set',
      xml('pubsub', { xmlns: NS_PUBSUB }, xml('publish', { node: NODE }, xml('item', { id: '999999' }, 'x'))),
    );
    expect(forged.attrs.type).toBe('error');

    // Traffic: a conversation, in rounds, so that several checkpoints are signed (checkpointMs: 100).
    const alice = await stack.operator('alice');
    await alice.subscribeTo(SUPPORT);
    const customer = await stack.customer();
    await customer.say(SUPPORT, 'head: hello');
    const m = (await alice.next(isIntro, 'intro')).attrs.from!;
    await alice.message(m, 'head: hello');
    for (let round = 0; round < 8; round++) {
      // > 2 s: the witness publishes at most one head per second
      await alice.say(m, `head: reply ${round}`);
      await customer.message(`${SUPPORT}/Alice`, `head: reply ${round}`);
      await new Promise((r) => setTimeout(r, 300));
    }

    // The newest head by HTTP, once it stops moving, and the same head as the newest pushed item.
    const fetchHead = async () => {
      const res = await fetch(`${stack.httpUrl}/api/evidence/head`);
      expect(res.status).toBe(200);
      return parseSignedHead(await res.text()) as SignedHead;
    };
    let head = await fetchHead();
    for (let again = await fetchHead(); again.seq !== head.seq; again = await fetchHead()) {
      head = again;
      await new Promise((r) => setTimeout(r, 300));
    }
    expect(typeof head).toBe('object');
    const items: Element[] = [];
    for (;;) {
      const el = await auditor.next((s) => headItemOf(s) !== undefined, `head item for seq ${head.seq}`);
      items.push(headItemOf(el) as Element);
      if (Number(items[items.length - 1]?.attrs.id) >= head.seq) break;
    }
    expect(items.length).toBeGreaterThanOrEqual(2); // heads as they are signed, not only the last
    const pushed = parseSignedHead((items[items.length - 1] as Element).toString());
    expect(pushed).toEqual(head);
    // The server keeps the history too: the head is among the node's items.
    const history = await auditor.iq(PUBSUB, 'get', xml('pubsub', { xmlns: NS_PUBSUB }, xml('items', { node: NODE })));
    expect(
      history
        .getChild('pubsub')
        ?.getChild('items')
        ?.getChildren('item')
        .map((i) => i.attrs.id),
    ).toContain(String(head.seq));

    // The mirror as it stands, a copy cut back to the checkpoint before the head.
    const keyFile = join(stack.dir, 'public-key.pem');
    writeFileSync(keyFile, await (await fetch(`${stack.httpUrl}/api/evidence/public-key`)).text());
    const itemFile = join(stack.dir, 'head-item.xml');
    writeFileSync(itemFile, (items[items.length - 1] as Element).toString());
    const logDir = join(stack.dir, 'evidence', 'log');
    const full = mkdtempSync(join(stack.dir, 'full-'));
    cpSync(logDir, full, { recursive: true });
    const cut = mkdtempSync(join(stack.dir, 'cut-'));
    const lines = readdirSync(full)
      .filter((f) => f.endsWith('.jsonl'))
      .sort()
      .flatMap((f) => readFileSync(join(full, f), 'utf8').trimEnd().split('\n'));
    const records = lines.map((l) => JSON.parse(l) as { seq: number; kind: string });
    const earlier = records.filter((r) => r.kind === 'checkpoint' && r.seq < head.seq).pop()!;
    expect(earlier).toBeDefined();
    writeFileSync(join(cut, 'evidence-000000000001.jsonl'), `${lines.slice(0, records.indexOf(earlier) + 1).join('\n')}\n`);
    chmodSync(join(cut, 'evidence-000000000001.jsonl'), 0o644);

    const alone = await verify(cut, '--public-key', keyFile);
    expect(alone.code, alone.out).toBe(0);
    expect(alone.out).toContain(`end: truncation after seq ${earlier.seq} cannot be ruled out without a witnessed head (--expect-head)`);

    const missing = `log ends at seq ${earlier.seq} but the witnessed head is seq ${head.seq}: records ${earlier.seq + 1}..${head.seq} are missing`;
    for (const given of [
      ['--expect-head-url', `${stack.httpUrl}/api/evidence/head`],
      ['--expect-head-file', itemFile],
    ]) {
      const bad = await verify(cut, '--public-key', keyFile, ...given);
      expect(bad.code, bad.out).toBe(1);
      expect(bad.out).toContain(missing);
      const ok = await verify(full, '--public-key', keyFile, ...given);
      expect(ok.code, ok.out).toBe(0);
      expect(ok.out).toContain(`head: witnessed head at seq ${head.seq} matches`);
    }
  });
});

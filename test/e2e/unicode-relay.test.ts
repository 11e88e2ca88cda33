/**
 * Issue 14 item 1 end to end: non-ASCII text crosses the desk unchanged. Mixed-script messages
 * (CJK, emoji ZWJ sequences, combining marks, RTL) of 1 to 10,000 code points go both ways
 * between WebSocket customers and an operator on c2s TCP (where reads cut characters apart:
 * Prosody→component and Prosody→operator), and every body is identical at the receiver and in
 * the evidence log's mirror. The body limit counts code points: 10,000 astral emoji (20,000
 * UTF-16 units) pass, 10,001 are refused with policy-violation.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { xml } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseXml } from '../../component/protocol/xml.js';
import { errorConditionOf, isIntro, type TestClient } from '../support/clients.js';
import { startStack, SUPPORT, type Stack } from '../support/stack.js';
import { codePointsOf, mixedText, seeded } from '../support/unicode-text.js';

const CUSTOMERS = 4;
const PER_DIRECTION_PER_CHAT = 1250; // 4 chats × 2 directions × 1,250 = 10,000 messages
/** Every 40th message is long; these lengths come round in turn (both ends of the limit included). */
const LONG = [10_000, 9_999, 1, 8_191, 5_000, 2_500, 1_000, 4_097, 7_777, 640, 3_333, 9_000, 150, 6_500];

interface Planned {
  id: string;
  body: string;
}

function plan(random: () => number, prefix: string): Planned[] {
  return Array.from({ length: PER_DIRECTION_PER_CHAT }, (_, i) => {
    const length = i % 40 === 0 ? LONG[(i / 40) % LONG.length]! : 1 + Math.floor(random() * 80);
    return { id: `${prefix}-${i}`, body: mixedText(random, length) };
  });
}

/** Sends every message at once (the sockets see them back to back) and resolves when all are written. */
const sendAll = (client: TestClient, to: string, msgs: Planned[]) =>
  Promise.all(msgs.map((m) => client.send(xml('message', { to, type: 'chat', id: m.id }, xml('body', {}, m.body)))));

/** Waits until every id has arrived at `client` from `from`; returns the bodies in arrival order, by id. */
async function arrivals(
  client: TestClient,
  from: string,
  ids: Set<string>,
  timeoutMs: number,
): Promise<{ id: string; body: string | null }[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = client.inbox.filter((el) => el.name === 'message' && el.attrs.from === from && ids.has(String(el.attrs.id)));
    if (got.length >= ids.size || Date.now() > deadline)
      return got.map((el) => ({ id: String(el.attrs.id), body: el.getChildText('body') }));
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('non-ASCII text end to end', () => {
  let stack: Stack;
  let alice: TestClient;
  const customers: { client: TestClient; masked: string }[] = [];

  beforeAll(async () => {
    stack = await startStack({ operators: [{ user: 'alice', name: 'Alice', desks: ['support'], maxChats: CUSTOMERS + 1 }] });
    alice = await stack.operator('alice');
    await alice.subscribeTo(SUPPORT);
    for (let k = 0; k < CUSTOMERS + 1; k++) {
      const client = await stack.customer();
      await client.say(SUPPORT, `hello from customer ${k}`);
      const intro = await alice.next(isIntro, `intro of customer ${k}`);
      customers.push({ client, masked: String(intro.attrs.from) });
    }
  });
  afterAll(async () => stack?.stop());

  it('counts the body limit in code points: 10,000 astral emoji pass both ways, 10,001 get policy-violation', async () => {
    const { client, masked } = customers[CUSTOMERS]!;
    const exactly = '😀'.repeat(10_000);
    expect([codePointsOf(exactly), exactly.length]).toEqual([10_000, 20_000]);
    const over = `${exactly}😀`;

    await client.send(xml('message', { to: SUPPORT, type: 'chat', id: 'limit-c-ok' }, xml('body', {}, exactly)));
    expect((await alice.next((el) => el.attrs.id === 'limit-c-ok', 'the 10,000-emoji message')).getChildText('body')).toBe(exactly);
    await client.send(xml('message', { to: SUPPORT, type: 'chat', id: 'limit-c-over' }, xml('body', {}, over)));
    const refused = await client.next((el) => el.attrs.id === 'limit-c-over', 'the refusal of 10,001 emoji');
    expect([refused.attrs.type, refused.getChild('error')?.attrs.type, errorConditionOf(refused)]).toEqual([
      'error',
      'modify',
      'policy-violation',
    ]);

    await alice.send(xml('message', { to: masked, type: 'chat', id: 'limit-o-ok' }, xml('body', {}, exactly)));
    expect((await client.next((el) => el.attrs.id === 'limit-o-ok', "the operator's 10,000 emoji")).getChildText('body')).toBe(exactly);
    await alice.send(xml('message', { to: masked, type: 'chat', id: 'limit-o-over' }, xml('body', {}, over)));
    const refusedOp = await alice.next((el) => el.attrs.id === 'limit-o-over', "the refusal of the operator's 10,001");
    expect([refusedOp.attrs.type, errorConditionOf(refusedOp)]).toEqual(['error', 'policy-violation']);
    await alice.none((el) => el.attrs.id === 'limit-c-over', 'the refused customer message relayed', 300);
    await client.none((el) => el.attrs.id === 'limit-o-over', 'the refused operator message relayed', 0);
  });

  it('10,000 mixed-script messages of 1 to 10,000 code points arrive byte-identical both ways and in the evidence log', async () => {
    const random = seeded(14);
    const toOperator = customers.slice(0, CUSTOMERS).map((_, k) => plan(random, `u${k}c`));
    const toCustomer = customers.slice(0, CUSTOMERS).map((_, k) => plan(random, `u${k}o`));
    const all = [...toOperator.flat(), ...toCustomer.flat()];
    expect(all).toHaveLength(10_000);
    const lengths = all.map((m) => codePointsOf(m.body));
    expect([Math.min(...lengths), Math.max(...lengths)]).toEqual([1, 10_000]);

    const started = Date.now();
    await Promise.all(
      customers
        .slice(0, CUSTOMERS)
        .flatMap(({ client, masked }, k) => [sendAll(client, SUPPORT, toOperator[k]!), sendAll(alice, masked, toCustomer[k]!)]),
    );
    for (const [k, { client, masked }] of customers.slice(0, CUSTOMERS).entries()) {
      const [atOperator, atCustomer] = await Promise.all([
        arrivals(alice, masked, new Set(toOperator[k]!.map((m) => m.id)), 45_000),
        arrivals(client, `${SUPPORT}/Alice`, new Set(toCustomer[k]!.map((m) => m.id)), 45_000),
      ]);
      // Every message once, in the order sent, with the very same text.
      expect(atOperator.filter((m, i) => m.body !== toOperator[k]![i]?.body || m.id !== toOperator[k]![i]?.id).map((m) => m.id)).toEqual(
        [],
      );
      expect(atOperator).toHaveLength(PER_DIRECTION_PER_CHAT);
      expect(atCustomer.filter((m, i) => m.body !== toCustomer[k]![i]?.body || m.id !== toCustomer[k]![i]?.id).map((m) => m.id)).toEqual(
        [],
      );
      expect(atCustomer).toHaveLength(PER_DIRECTION_PER_CHAT);
    }
    const relayMs = Date.now() - started;

    // The evidence log's mirror (a clean stop writes out and signs everything) holds each
    // relayed stanza once, with the same body, in the direction it went.
    await stack.stopComponent();
    const logDir = join(stack.dir, 'evidence', 'log');
    const recorded = new Map<string, { body: string | null; direction: unknown; n: number }>();
    for (const file of readdirSync(logDir).filter((f) => f.endsWith('.jsonl'))) {
      for (const line of readFileSync(join(logDir, file), 'utf8').split('\n')) {
        if (!line) continue;
        const r = JSON.parse(line) as { kind: string; direction?: string; content?: { stanza?: string } };
        if (r.kind !== 'message' || !r.content?.stanza) continue;
        const el = parseXml(r.content.stanza) as Element;
        const id = String(el.attrs.id);
        const seen = recorded.get(id);
        recorded.set(id, { body: el.getChildText('body'), direction: r.direction, n: (seen?.n ?? 0) + 1 });
      }
    }
    const wrong = all.filter((m) => {
      const r = recorded.get(m.id);
      const direction = m.id.includes('c-') ? 'customer->operator' : 'operator->customer';
      return r?.n !== 1 || r.direction !== direction || r.body === null || !Buffer.from(r.body).equals(Buffer.from(m.body));
    });
    expect(wrong.map((m) => m.id)).toEqual([]);
    await stack.startComponent(); // leave the stack as stop() expects it
    console.log(`unicode relay: ${all.length} messages, ${lengths.reduce((a, b) => a + b, 0)} code points, relayed in ${relayMs} ms`);
  }, 90_000);
});

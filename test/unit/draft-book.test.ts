/**
 * The sneak-peek draft book (component/services/drafts.ts) over an in-memory draft store that
 * counts its calls: a customer's sent messages clear the draft, and once it is known clear
 * they cost no store call each (BENCHMARKS F23: one DEL per relayed customer message before).
 */
import { xml } from '@xmpp/client';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { CLEAR_KNOWN_MS, createDraftBook } from '../../component/services/drafts.js';
import type { Draft } from '../../component/store/draft-store.js';

function book() {
  const drafts = new Map<number, Draft>();
  const calls: string[] = [];
  const store = {
    drafts: {
      async get(id: number) {
        calls.push(`get ${id}`);
        return drafts.get(id);
      },
      async set(id: number, d: Draft) {
        calls.push(`set ${id}`);
        drafts.set(id, d);
      },
      async clear(id: number) {
        calls.push(`clear ${id}`);
        drafts.delete(id);
      },
    },
  };
  const b = createDraftBook({ store, log: pino({ level: 'silent' }) } as unknown as Parameters<typeof createDraftBook>[0]);
  return { b, calls, drafts };
}

const message = (body: string) => xml('message', { type: 'chat' }, xml('body', {}, body));
const typing = (text: string) =>
  xml('message', { type: 'chat' }, xml('rtt', { xmlns: 'urn:xmpp:rtt:0', event: 'reset' }, xml('t', {}, text)));

describe('draft book', () => {
  it('clears the draft once for a run of sent messages, not once per message', async () => {
    const { b, calls } = book();
    for (let i = 0; i < 50; i++) b.observe(7, message(`line ${i}`), 1000 + i * 10);
    expect(await b.draft(7)).toBeUndefined();
    expect(calls.filter((c) => c.startsWith('clear'))).toEqual(['clear 7']);
  });

  it('clears again after an edit: what the customer typed is gone once sent', async () => {
    const { b, calls } = book();
    b.observe(7, message('hello'), 1000);
    b.observe(7, typing('how do I'), 1100);
    expect((await b.draft(7))?.text).toBe('how do I');
    b.observe(7, message('how do I pay?'), 1200);
    expect(await b.draft(7)).toBeUndefined();
    b.observe(7, message('thanks'), 1300);
    expect(calls.filter((c) => c.startsWith('clear'))).toEqual(['clear 7', 'clear 7']);
  });

  it('asks the store again once the known-clear time has passed (another instance may have written one)', async () => {
    const { b, calls, drafts } = book();
    b.observe(7, message('hello'), 1000);
    await b.draft(7);
    drafts.set(7, { text: 'typed through another instance', at: 2000 });
    b.observe(7, message('again'), 1000 + CLEAR_KNOWN_MS - 1);
    expect((await b.draft(7))?.text).toBe('typed through another instance'); // within the bound: not asked
    b.observe(7, message('later'), 1000 + CLEAR_KNOWN_MS);
    expect(await b.draft(7)).toBeUndefined();
    expect(calls.filter((c) => c.startsWith('clear'))).toHaveLength(2);
  });

  it('keeps tickets apart', async () => {
    const { b, calls } = book();
    b.observe(1, message('a'), 1000);
    b.observe(2, message('b'), 1000);
    b.observe(1, message('c'), 1001);
    await b.draft(1);
    await b.draft(2);
    expect(calls.filter((c) => c.startsWith('clear')).sort()).toEqual(['clear 1', 'clear 2']);
  });
});

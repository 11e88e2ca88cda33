import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DeskLink } from '../../../web-client/src/desk-link.js';
import { stringsFor } from '../../../web-client/src/i18n.js';
import { createJoinFlow } from '../../../web-client/src/join-flow.js';
import { readOptions } from '../../../web-client/src/options.js';
import { memoryStorage, type KeyValue } from '../../../web-client/src/storage.js';
import { createWidgetStore } from '../../../web-client/src/widget-state.js';

const waitError = { type: 'error', error: { type: 'wait', condition: 'remote-server-timeout' } };

function setup(local: KeyValue, join: (form: Record<string, string>) => Promise<unknown>) {
  const strings = stringsFor('en');
  const store = createWidgetStore(strings);
  const link = { join, leaveMessage: vi.fn(async () => 12) } as unknown as DeskLink;
  const flow = createJoinFlow({
    link,
    store,
    strings,
    options: readOptions({}),
    local,
    pages: () => [],
    ready: async () => undefined,
    here: () => ({ url: 'https://shop.example/cart', title: 'Your cart', referrer: 'https://search.example/' }),
  });
  return { store, flow, link };
}

describe('join flow: the first question is never lost', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends the form with the page, retries while the desk is unreachable, and forgets it once answered', async () => {
    const local = memoryStorage();
    const sent: Record<string, string>[] = [];
    let fail = 2;
    const { store, flow } = setup(local, async (form) => {
      sent.push(form);
      if (fail-- > 0) throw waitError;
      return { ticket: 7, state: 'waiting', position: 1, wait: 60 };
    });
    store.set({ phase: 'joining' });
    flow.begin({ name: 'Yuki', question: 'Hello' }, false);
    await vi.runAllTimersAsync();
    expect(sent).toHaveLength(3);
    expect(sent[0]).toEqual({
      name: 'Yuki',
      question: 'Hello',
      language: 'en',
      page_url: 'https://shop.example/cart',
      page_title: 'Your cart',
      referrer: 'https://search.example/',
    });
    expect(store.get()).toMatchObject({ phase: 'waiting', ticket: 7 });
    expect(flow.resume(false)).toBe(false); // nothing pending any more
  });

  it('sends a join that never got an answer again from the next page, unless the desk has the ticket', async () => {
    const local = memoryStorage();
    const first = setup(local, () => new Promise(() => undefined)); // the page goes away before any answer
    first.flow.begin({ name: 'Yuki', question: 'Hello' }, false);
    await vi.advanceTimersByTimeAsync(10);

    const joins: string[] = [];
    const next = setup(local, async (form) => {
      joins.push(form.question ?? '');
      return { ticket: 8, state: 'waiting', position: 1 };
    });
    next.store.set({ phase: 'joining' });
    expect(next.flow.resume(false)).toBe(true); // no live ticket: the join did not arrive
    await vi.runAllTimersAsync();
    expect(joins).toEqual(['Hello']);
    expect(next.store.get().ticket).toBe(8);

    const third = setup(memoryStorage(), async () => undefined);
    third.flow.begin({ question: 'Hi' }, true);
    expect(third.flow.resume(true)).toBe(true); // in flight on this page: not sent twice
  });

  it("ejabberd's bounce for a desk that is down (cancel/remote-server-not-found) is retried like Prosody's wait", async () => {
    // ejabberd routes the domain of a disconnected component as a remote server (README "Running on ejabberd").
    let fail = 2;
    const sent: string[] = [];
    const { store, flow } = setup(memoryStorage(), async (form) => {
      sent.push(form.question ?? '');
      if (fail-- > 0)
        throw { type: 'error', error: { type: 'cancel', condition: 'remote-server-not-found', text: 'DNS lookup failed: enoname' } };
      return { ticket: 9, state: 'waiting', position: 1 };
    });
    store.set({ phase: 'joining' });
    flow.begin({ name: 'Yuki', question: 'Hello' }, false);
    await vi.runAllTimersAsync();
    expect(sent).toEqual(['Hello', 'Hello', 'Hello']);
    expect(store.get()).toMatchObject({ phase: 'waiting', ticket: 9 });
  });

  it('gives up on a refusal, says why, and ends the attempt', async () => {
    const { store, flow } = setup(memoryStorage(), async () => {
      throw { type: 'error', error: { type: 'modify', condition: 'not-acceptable', text: 'name is required' } };
    });
    store.set({ phase: 'joining' });
    flow.begin({ question: 'Hello' }, false);
    await vi.runAllTimersAsync();
    expect(store.get().phase).toBe('ended');
    expect(store.get().lines.at(-1)?.text).toBe('Not delivered: name is required');
  });
});

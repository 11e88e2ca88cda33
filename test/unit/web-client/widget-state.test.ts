import { describe, expect, it } from 'vitest';
import { stringsFor } from '../../../web-client/src/i18n.js';
import { createWidgetStore } from '../../../web-client/src/widget-state.js';

const store = () => {
  let t = 1000;
  return createWidgetStore(stringsFor('en'), () => t++);
};
const texts = (s: ReturnType<typeof store>) => s.get().lines.map((l) => `${l.from}:${l.text}`);

describe('widget state (driven by <status/>, never by English text)', () => {
  it('goes joining → waiting → chatting → ended, re-saying the desk in its own words', () => {
    const s = store();
    s.set({ phase: 'joining' });
    s.mine({ id: 'q1', text: 'Where is my order?' });
    s.status({ ticket: 7, state: 'waiting', position: 2, wait: 180 });
    expect(s.get()).toMatchObject({ phase: 'waiting', ticket: 7, position: 2, waitSeconds: 180 });
    s.status({ ticket: 7, state: 'waiting', position: 1 });
    expect(s.get()).toMatchObject({ position: 1, waitSeconds: null }); // no estimate: no operator online
    s.status({ ticket: 7, state: 'active', operator: 'Alice' });
    expect(s.get()).toMatchObject({ phase: 'chatting', operator: 'Alice' });
    s.set({ operatorTyping: true });
    s.operatorSaid({ id: 's1', author: 'Alice', text: 'Hello' });
    expect(s.get().operatorTyping).toBe(false);
    s.status({ ticket: 7, state: 'active', operator: 'Bob' });
    s.status({ ticket: 7, state: 'ended', reason: 'operator' });
    s.status({ ticket: 7, state: 'waiting', position: 1 }); // stale push after the end
    expect(s.get().phase).toBe('ended');
    expect(texts(s)).toEqual([
      'me:Where is my order?',
      'system:Alice has joined the chat.',
      'operator:Hello',
      'system:Bob has taken over from Alice.',
      'system:Bob has ended the chat. Thank you for contacting us.',
    ]);
  });

  it('goes back to waiting when requeued, and says why a chat ended', () => {
    const s = store();
    s.status({ ticket: 3, state: 'active', operator: 'Alice' });
    s.status({ ticket: 3, state: 'waiting', position: 1 });
    expect(s.get()).toMatchObject({ phase: 'waiting', ticket: 3, position: 1 });
    s.status({ ticket: 3, state: 'ended', reason: 'banned' });
    expect(texts(s).at(-1)).toBe('system:Sorry, this desk is closed right now.');
    s.newChat();
    expect(s.get()).toMatchObject({ phase: 'idle', lines: [], ticket: undefined });
  });

  it("says the question is kept when the wait ends at closing time (reason 'closed'), in en and ja", () => {
    const s = store();
    s.status({ ticket: 4, state: 'waiting', position: 2 });
    s.status({ ticket: 4, state: 'ended', reason: 'closed' });
    expect(s.get().phase).toBe('ended');
    expect(texts(s).at(-1)).toBe(
      'system:We have closed for today. Your question is kept, and an operator will answer it on your next visit.',
    );
    const ja = createWidgetStore(stringsFor('ja'), () => 1);
    ja.status({ ticket: 4, state: 'ended', reason: 'closed' });
    expect(ja.get().lines.at(-1)?.text).toBe(
      '本日の受付は終了しました。ご質問はお預かりしました。次回のご訪問時にオペレーターからお返事します。',
    );
  });

  it('moves marks forward only: pending → sent → delivered → read', () => {
    const s = store();
    s.mine({ id: 'm1', text: 'hi' });
    expect(s.get().lines[0]?.mark).toBe('pending');
    s.mark('m1', 'delivered');
    s.mark('m1', 'sent'); // a late ack after the receipt
    expect(s.get().lines[0]?.mark).toBe('delivered');
    s.mark('m1', 'read');
    s.mark('nope', 'read');
    expect(s.get().lines.map((l) => l.mark)).toEqual(['read']);
  });

  it('shows each message once: live, from storage and from the transcript merge by id', () => {
    const s = store();
    s.restore({ phase: 'chatting', ticket: 9, operator: 'Alice', lines: [{ id: 'm1', from: 'me', text: 'one', at: 10, mark: 'sent' }] });
    s.operatorSaid({ id: 's2', author: 'Alice', text: 'two', at: 30 });
    s.operatorSaid({ id: 's2', author: 'Alice', text: 'two' }); // a duplicate delivery
    s.merge([
      { id: 'm1', from: 'me', text: 'one', at: 10 },
      { id: 's1', from: 'operator', author: 'Alice', text: 'missed while away', at: 20 },
      { id: 's2', from: 'operator', author: 'Alice', text: 'two', at: 30 },
    ]);
    expect(s.get().lines.map((l) => l.id)).toEqual(['m1', 's1', 's2']);
    expect(s.saved()).toMatchObject({ phase: 'chatting', ticket: 9, operator: 'Alice' });
  });

  it('ends a restored chat the desk no longer has, and keeps replies and ratings', () => {
    const s = store();
    s.restore({ phase: 'waiting', ticket: 4 });
    s.noLiveTicket();
    expect(s.get().phase).toBe('ended');
    s.rated(5);
    s.replied({ ticket: 2, operator: 'Alice', text: 'Shipped' });
    expect(s.get()).toMatchObject({ rated: 5, replies: [{ ticket: 2, operator: 'Alice', text: 'Shipped' }] });
    s.leftMessage(12);
    expect(s.get()).toMatchObject({ phase: 'left-message', offlineTicket: 12 });
  });

  it('notifies subscribers on every change', () => {
    const s = store();
    const seen: string[] = [];
    s.subscribe((st) => seen.push(st.phase));
    s.set({ phase: 'joining' });
    s.status({ ticket: 1, state: 'ended', reason: 'customer' });
    expect(seen).toEqual(['joining', 'ended']);
  });
});

import { describe, expect, it } from 'vitest';
import { stringsFor } from '../../../web-client/src/i18n.js';
import { createWidgetStore } from '../../../web-client/src/widget-state.js';

const store = () => createWidgetStore(stringsFor('en'));

describe('widget state', () => {
  it('goes idle → joining → waiting → chatting → ended', () => {
    const s = store();
    s.sent('Where is my order?');
    expect(s.get()).toMatchObject({ phase: 'joining', lines: [{ from: 'me', text: 'Where is my order?' }] });
    s.notice({ kind: 'queued', ticket: 7, position: 2, minutes: 3 });
    expect(s.get()).toMatchObject({ phase: 'waiting', ticket: 7, position: 2, minutes: 3 });
    s.notice({ kind: 'position', ticket: 7, position: 1, minutes: 0 });
    expect(s.get().position).toBe(1);
    s.notice({ kind: 'joined', operator: 'Alice' });
    expect(s.get()).toMatchObject({ phase: 'chatting', operator: 'Alice' });
    s.notice({ kind: 'position', ticket: 7, position: 1, minutes: 0 }); // stale update after the join
    expect(s.get().phase).toBe('chatting');
    s.set({ operatorTyping: true });
    s.operatorSaid('Alice', 'Hello');
    expect(s.get().operatorTyping).toBe(false);
    s.notice({ kind: 'ended', operator: 'Alice' });
    expect(s.get().phase).toBe('ended');
    expect(s.get().lines.map((l) => l.from)).toEqual(['me', 'system', 'operator', 'system']);
  });

  it('goes back to waiting when requeued, and ends an open chat on a new session', () => {
    const s = store();
    s.sent('Hi');
    s.notice({ kind: 'joined', operator: 'Alice' });
    s.notice({ kind: 'requeued', ticket: 3 });
    expect(s.get()).toMatchObject({ phase: 'waiting', ticket: 3, position: 1 });
    s.reconnected();
    expect(s.get().phase).toBe('ended');
    s.newChat();
    expect(s.get()).toMatchObject({ phase: 'idle', lines: [] });
    s.reconnected();
    expect(s.get().phase).toBe('idle'); // nothing was open: nothing to end
  });

  it('notifies subscribers on every change', () => {
    const s = store();
    const seen: string[] = [];
    s.subscribe((st) => seen.push(st.phase));
    s.sent('Hi');
    s.left();
    expect(seen).toEqual(['joining', 'ended']);
  });
});

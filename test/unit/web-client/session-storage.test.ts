import { describe, expect, it } from 'vitest';
import { base64url, customerToken, TOKEN_KEY } from '../../../web-client/src/customer-token.js';
import { parseDeskPresence } from '../../../web-client/src/desk-presence.js';
import { createOutbox, retryDelayMs } from '../../../web-client/src/outbox.js';
import { createPageViews, MAX_PAGE_VIEWS } from '../../../web-client/src/page-views.js';
import { createSeenReplies } from '../../../web-client/src/seen-replies.js';
import { memoryStorage } from '../../../web-client/src/storage.js';
import { transcriptLines, transcriptText } from '../../../web-client/src/transcript-file.js';

describe('customer token', () => {
  it('is 144 random bits in base64url, made once and kept', () => {
    const store = memoryStorage();
    const token = customerToken(store);
    expect(token).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(customerToken(store)).toBe(token);
    expect(store.getItem(TOKEN_KEY)).toBe(token);
    expect(customerToken(memoryStorage())).not.toBe(token);
    expect(base64url(new Uint8Array([0xfb, 0xff, 0xfe]))).toBe('-__-');
  });

  it('replaces a stored value that is not a valid token', () => {
    const store = memoryStorage();
    store.setItem(TOKEN_KEY, '<script>');
    expect(customerToken(store, (n) => new Uint8Array(n).fill(1))).toBe('AQEBAQEBAQEBAQEBAQEBAQEB');
  });
});

describe('page views', () => {
  it('keeps the last 50 views of the visit, and a reload is not a new view', () => {
    const views = createPageViews(memoryStorage());
    expect(views.record({ url: 'https://s/', title: 'Shop', at: '2026-11-22T06:00:00Z' })).toBe(true);
    expect(views.record({ url: 'https://s/', title: 'Shop', at: '2026-11-22T06:00:05Z' })).toBe(false);
    for (let i = 0; i < 60; i++) views.record({ url: `https://s/p${i}`, title: `P${i}`, at: '2026-11-22T06:01:00Z' });
    expect(views.list()).toHaveLength(MAX_PAGE_VIEWS);
    expect(views.list().at(-1)?.url).toBe('https://s/p59');
  });
});

describe('outbox', () => {
  it('keeps a message until its ack, across instances (the next page), and backs off after wait errors', () => {
    const store = memoryStorage();
    const a = createOutbox(store);
    a.add({ id: 'o1', body: 'hi', at: 1 });
    a.add({ id: 'o1', body: 'hi', at: 1 }); // same origin-id: once
    a.add({ id: 'o2', body: 'there', url: 'https://u/f.png', at: 2 });
    const b = createOutbox(store); // the next page
    expect(b.pending().map((m) => m.id)).toEqual(['o1', 'o2']);
    expect(b.retried('o1')?.attempts).toBe(1);
    expect(b.ack('o1')).toBe(true);
    expect(b.ack('o1')).toBe(false); // the resend's second ack
    b.drop('o2');
    expect(b.pending()).toEqual([]);
    expect([0, 1, 2, 3, 10].map(retryDelayMs)).toEqual([1000, 2000, 4000, 8000, 15000]);
  });
});

describe('seen replies', () => {
  it('shows each reply once', () => {
    const seen = createSeenReplies(memoryStorage());
    const r = { ticket: 12, at: new Date('2026-11-22T06:00:00Z'), text: 'Shipped' };
    expect(seen.fresh([r])).toEqual([r]);
    expect(seen.fresh([r, { ...r, ticket: 13 }]).map((x) => x.ticket)).toEqual([13]);
  });
});

describe('desk presence', () => {
  it('reads open, busy with numbers, and closed', () => {
    expect(parseDeskPresence({ show: 'chat' })).toEqual({ mode: 'open' });
    expect(parseDeskPresence({ show: 'away', status: 'All operators busy — 3 waiting, about 4 min' })).toEqual({
      mode: 'busy',
      waiting: 3,
      minutes: 4,
    });
    expect(parseDeskPresence({ show: 'away', status: 'Alle beschäftigt', queue: { mode: 'busy', waiting: 5, waitMinutes: 7 } })).toEqual({
      mode: 'busy',
      waiting: 5,
      minutes: 7,
    });
    expect(parseDeskPresence({ show: 'xa' })).toEqual({ mode: 'closed' });
    expect(parseDeskPresence({ type: 'unavailable' })).toEqual({ mode: 'closed' });
  });

  it('keeps the next opening of a desk closed by its hours, and ignores a malformed one', () => {
    const opens = '2026-01-12T08:00:00.000Z';
    expect(parseDeskPresence({ show: 'xa', queue: { mode: 'closed', opens } })).toEqual({ mode: 'closed', opensAt: opens });
    expect(parseDeskPresence({ show: 'xa', queue: { mode: 'closed', opens: 'Monday' } })).toEqual({ mode: 'closed' });
  });
});

describe('transcript', () => {
  it('becomes chat lines (desk lines left out) and a text file', () => {
    const lines = [
      { at: new Date('2026-11-22T06:00:00Z'), from: 'customer' as const, id: 'o1', text: 'hi' },
      { at: new Date('2026-11-22T06:00:01Z'), from: 'desk' as const, text: 'Alice has joined' },
      { at: new Date('2026-11-22T06:00:02Z'), from: 'operator' as const, name: 'Alice', id: 's1', text: 'hello' },
    ];
    expect(transcriptLines(lines).map((l) => `${l.id}:${l.from}`)).toEqual(['o1:me', 's1:operator']);
    expect(transcriptText('Support', 7, lines, 'You')).toBe(
      'Support — #7\n\n[2026-11-22 06:00:00Z] You: hi\n[2026-11-22 06:00:01Z] —: Alice has joined\n[2026-11-22 06:00:02Z] Alice: hello\n',
    );
  });
});

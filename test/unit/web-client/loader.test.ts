import { describe, expect, it } from 'vitest';
import { createGatedStorage } from '../../../web-client/src/loader/gated-storage.js';
import { cleanPresets } from '../../../web-client/src/loader/host-api.js';
import { chatInProgress, leftKey } from '../../../web-client/src/loader/live-chat.js';
import { applyLook } from '../../../web-client/src/loader/look.js';
import { deskStateOf } from '../../../web-client/src/desk-presence.js';
import { readOptions } from '../../../web-client/src/options.js';
import { memoryStorage } from '../../../web-client/src/storage.js';

/** Just enough of the Web Storage API (the test runs in Node). */
function fakeStorage(initial: Record<string, string> = {}) {
  const map = new Map(Object.entries(initial));
  const writes: string[] = [];
  const s = {
    get length() {
      return map.size;
    },
    key: (i: number) => [...map.keys()][i] ?? null,
    getItem: (k: string) => map.get(k) ?? null,
    setItem(k: string, v: string) {
      writes.push(k);
      map.set(k, v);
    },
    removeItem(k: string) {
      writes.push(`-${k}`);
      map.delete(k);
    },
    clear: () => map.clear(),
  };
  return { storage: s, map, writes };
}

describe('consent-gated storage', () => {
  it('holds writes in memory until allowed, then writes them through', () => {
    const real = fakeStorage({ 'site:key': 'x' });
    const gate = createGatedStorage(() => real.storage);
    gate.setItem('mdg:token', 'secret');
    gate.removeItem('mdg:old');
    expect(real.writes).toEqual([]);
    expect(gate.getItem('mdg:token')).toBe('secret'); // the widget reads its own writes
    expect(gate.getItem('site:key')).toBe('x'); // reading stores nothing
    gate.allow();
    expect(real.map.get('mdg:token')).toBe('secret');
    gate.setItem('mdg:chat', '{}');
    expect(real.map.get('mdg:chat')).toBe('{}');
  });

  it('deny() removes only the widget keys from the storage and keeps them in memory', () => {
    const real = fakeStorage({ 'mdg:token': 't', 'site:key': 'x' });
    const gate = createGatedStorage(() => real.storage, true);
    gate.deny();
    expect([...real.map.keys()]).toEqual(['site:key']);
    expect(gate.getItem('mdg:token')).toBe('t');
    gate.setItem('mdg:chat', '{}');
    expect(real.map.has('mdg:chat')).toBe(false);
  });

  it('forget() drops held and stored widget keys; a refusing storage leaves memory', () => {
    const real = fakeStorage({ 'mdg:token': 't', 'site:key': 'x' });
    const gate = createGatedStorage(() => real.storage, true);
    gate.forget();
    expect([...real.map.keys()]).toEqual(['site:key']);
    gate.setItem('mdg:chat:support@support.localhost', '{"phase":"ended"}'); // the unmounted chat saving on its way out
    expect([...real.map.keys()]).toEqual(['site:key']);
    const refusing = createGatedStorage(() => {
      throw new Error('SecurityError');
    }, true);
    refusing.setItem('mdg:token', 't');
    expect(refusing.getItem('mdg:token')).toBe('t');
  });
});

describe('host API input', () => {
  it('field presets: a string pre-fills, an object may hide; bad names and values are dropped', () => {
    expect(
      cleanPresets({ name: 'Yuki', email: { value: 'y@x', hidden: true }, 'bad name': 'x', order: 5, phone: { hidden: 'yes' } }),
    ).toEqual({
      name: { value: 'Yuki' },
      email: { value: 'y@x', hidden: true },
      phone: {},
    });
  });
});

describe('status stream reading', () => {
  it('reads /api/status objects as the desk presence does', () => {
    expect(deskStateOf({ mode: 'open', waiting: 0 })).toEqual({ mode: 'open' });
    expect(deskStateOf({ mode: 'busy', waiting: 3, estimatedWaitMinutes: 4 })).toEqual({ mode: 'busy', waiting: 3, minutes: 4 });
    expect(deskStateOf({ mode: 'closed', estimatedWaitMinutes: null, opensAt: '2026-01-12T00:00:00.000Z' })).toEqual({
      mode: 'closed',
      opensAt: '2026-01-12T00:00:00.000Z',
    });
    expect(deskStateOf({ mode: 'weird' })).toBeUndefined();
  });
});

describe('chat in progress', () => {
  const desk = 'support@support.localhost';
  it('a live ticket, a pending join or a recent left message; not an ended chat or an old message', () => {
    const now = Date.UTC(2026, 0, 31);
    const store = memoryStorage();
    expect(chatInProgress(store, desk, now)).toBe(false);
    store.setItem(`mdg:chat:${desk}`, JSON.stringify({ phase: 'ended' }));
    expect(chatInProgress(store, desk, now)).toBe(false);
    store.setItem(`mdg:chat:${desk}`, JSON.stringify({ phase: 'waiting' }));
    expect(chatInProgress(store, desk, now)).toBe(true);
    store.removeItem(`mdg:chat:${desk}`);
    store.setItem(`mdg:join:${desk}`, '{}');
    expect(chatInProgress(store, desk, now)).toBe(true);
    store.removeItem(`mdg:join:${desk}`);
    store.setItem(leftKey(desk), JSON.stringify([{ ticket: 3, at: now - 31 * 86_400_000 }]));
    expect(chatInProgress(store, desk, now)).toBe(false);
    store.setItem(leftKey(desk), JSON.stringify([{ ticket: 3, at: now - 86_400_000 }]));
    expect(chatInProgress(store, desk, now)).toBe(true);
  });
});

describe('widget look', () => {
  const look = {
    title: 'Help',
    titleJa: 'ヘルプ',
    colors: { primary: '#112233', background: '#fafafa', text: 'red; x: y' },
    position: 'bottom-left',
    button: { busy: { label: 'Busy now', labelJa: '混雑', imageUrl: 'javascript:alert(1)' }, closed: { imageUrl: '/img/closed.png' } },
  };
  it('fills what the tag left out; the tag wins; unsafe values are dropped', () => {
    const o = readOptions({ color: '#abcdef' }, 'ja', 'https://shop.example/p');
    const colors = applyLook(o, { color: '#abcdef' }, look, 'https://shop.example/p');
    expect(o.color).toBe('#abcdef');
    expect(o.title).toBe('ヘルプ');
    expect(o.position).toBe('left');
    expect(o.labels).toEqual({ busy: '混雑' });
    expect(o.images).toEqual({ closed: 'https://shop.example/img/closed.png' });
    expect(colors).toEqual({ background: '#fafafa', text: undefined });
  });
});

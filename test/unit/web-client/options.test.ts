import { describe, expect, it } from 'vitest';
import { pickLang, readOptions } from '../../../web-client/src/options.js';

describe('readOptions', () => {
  it('reads the documented data-* attributes', () => {
    expect(readOptions({
      desk: 'sales', ws: 'wss://chat.example.com/xmpp-websocket', domain: 'guest.example.com', component: 'support.example.com',
      lang: 'ja', title: 'Help', color: '#0f766e', position: 'left',
    })).toEqual({
      deskJid: 'sales@support.example.com', websocketUrl: 'wss://chat.example.com/xmpp-websocket', guestDomain: 'guest.example.com',
      lang: 'ja', title: 'Help', color: '#0f766e', position: 'left',
    });
  });

  it('falls back to the dev defaults and rejects anything that could inject CSS or addresses', () => {
    const o = readOptions({ desk: 'x@evil/y', ws: 'javascript:alert(1)', color: 'red;background:url(x)', position: 'top', domain: 'a b' });
    expect(o).toEqual({
      deskJid: 'support@support.localhost', websocketUrl: 'ws://localhost:5280/xmpp-websocket', guestDomain: 'guest.localhost',
      lang: 'en', color: '#1d4ed8', position: 'right',
    });
  });
});

describe('pickLang', () => {
  it('prefers data-lang, then the page language, then English', () => {
    expect(pickLang('ja', 'en')).toBe('ja');
    expect(pickLang(undefined, 'ja-JP')).toBe('ja');
    expect(pickLang('', 'fr')).toBe('en');
    expect(pickLang(undefined, undefined)).toBe('en');
  });
});

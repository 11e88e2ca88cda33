import { describe, expect, it } from 'vitest';
import { pickLang, readOptions } from '../../../web-client/src/options.js';

describe('readOptions', () => {
  it('reads the documented data-* attributes', () => {
    expect(
      readOptions(
        {
          desk: 'sales',
          ws: 'wss://chat.example.com/xmpp-websocket',
          domain: 'guest.example.com',
          component: 'support.example.com',
          lang: 'ja',
          title: 'Help',
          color: '#0f766e',
          position: 'left',
          logo: '/img/logo.png',
          labelOpen: 'Talk to us',
          imageBusy: 'https://cdn.example/busy.png',
          sneakPeek: 'on',
          sound: 'off',
          portal: 'https://desk.example/',
          upload: 'upload.example.com',
        },
        undefined,
        'https://shop.example/cart',
      ),
    ).toEqual({
      deskJid: 'sales@support.example.com',
      websocketUrl: 'wss://chat.example.com/xmpp-websocket',
      guestDomain: 'guest.example.com',
      lang: 'ja',
      title: 'Help',
      color: '#0f766e',
      position: 'left',
      logo: 'https://shop.example/img/logo.png',
      labels: { open: 'Talk to us' },
      images: { busy: 'https://cdn.example/busy.png' },
      sneakPeek: true,
      sound: false,
      portalUrl: 'https://desk.example',
      uploadService: 'upload.example.com',
    });
  });

  it('falls back to the dev defaults and rejects anything that could inject CSS or addresses', () => {
    const o = readOptions(
      {
        desk: 'x@evil/y',
        ws: 'javascript:alert(1)',
        color: 'red;background:url(x)',
        position: 'top',
        domain: 'a b',
        logo: 'javascript:alert(1)',
        imageOpen: 'data:image/svg+xml,<svg onload=alert(1)>',
        sneakPeek: 'yes',
        upload: 'a/b',
      },
      undefined,
      'https://shop.example/',
    );
    expect(o).toEqual({
      deskJid: 'support@support.localhost',
      websocketUrl: 'ws://localhost:5280/xmpp-websocket',
      guestDomain: 'guest.localhost',
      lang: 'en',
      color: '#1d4ed8',
      position: 'right',
      labels: {},
      images: {},
      sneakPeek: false,
      sound: true,
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

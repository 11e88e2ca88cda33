/** Issue 20: which shared URLs the widget shows as stickers, and the identity option. */
import { describe, expect, it } from 'vitest';
import { readIdentity, readOptions } from '../../../web-client/src/options.js';
import { createStickerBook, fileOrigin, stickerKind, stickersOf } from '../../../web-client/src/sticker-catalog.js';

const PORTAL = 'http://127.0.0.1:8080';
const packs = [
  {
    stickers: [
      { name: 'thanks', alt: 'Thank you!', altJa: 'ありがとう！', url: `${PORTAL}/stickers/dev/thanks.svg` },
      { name: 'bad', alt: 'x', url: 'javascript:alert(1)' },
    ],
  },
];

describe('stickers in the widget', () => {
  it('only catalog URLs are stickers; files only from the server’s upload origins; anything else is a link', () => {
    const book = createStickerBook();
    book.fill(stickersOf(packs, 'en'));
    expect(stickerKind('http://upload.localhost:5280/file_share/abc/receipt.png', book)).toBe('link'); // not trusted yet
    book.files.add(fileOrigin('ws://upload.localhost:5280/xmpp-websocket') ?? '');
    expect(stickerKind(`${PORTAL}/stickers/dev/thanks.svg`, book)).toBe('sticker');
    expect(stickerKind('https://evil.example/stickers/dev/thanks.svg', book)).toBe('link');
    expect(stickerKind(`${PORTAL}/stickers/dev/nope.png`, book)).toBe('link');
    expect(stickerKind(`${PORTAL}/stickers/dev/thanks.svg?x=1`, book)).toBe('link');
    expect(stickerKind('http://upload.localhost:5280/file_share/abc/receipt.png', book)).toBe('file');
    expect(stickerKind('http://upload.localhost:5280/stickers/dev/x.png', book)).toBe('link'); // sticker-like, not ours
    expect(stickerKind('https://upload.localhost:5280/file_share/abc/receipt.png', book)).toBe('link'); // another origin
    expect(stickerKind('https://elsewhere.example/receipt.png', book)).toBe('link');
    expect(fileOrigin('wss://chat.example:5281/xmpp-websocket')).toBe('https://chat.example:5281');
    expect(fileOrigin('https://chat.example/file_share/x/y.png')).toBe('https://chat.example');
    expect(fileOrigin('not a url')).toBeUndefined();
  });

  it('takes http(s) stickers only, with the alt text in the customer’s language', () => {
    expect(stickersOf(packs, 'ja')).toEqual([{ name: 'thanks', alt: 'ありがとう！', url: `${PORTAL}/stickers/dev/thanks.svg` }]);
    expect(stickersOf(packs, 'en')[0]?.alt).toBe('Thank you!');
  });
});

describe('identity option', () => {
  it('needs a user id; bounds the rest; keeps a hex signature only', () => {
    expect(readIdentity({ name: 'Yuki' })).toBeUndefined();
    expect(readIdentity({ userId: 42, name: ' Yuki ', signature: 'A'.repeat(64) })).toEqual({
      userId: '42',
      name: 'Yuki',
      signature: 'A'.repeat(64),
    });
    expect(readIdentity({ userId: 'u', signature: 'not-hex' })).toEqual({ userId: 'u' });
    expect(readIdentity({ userId: 'u'.repeat(300) })?.userId).toHaveLength(256);
  });
  it('reads data-user-*', () => {
    const o = readOptions({ userId: 'u-42', userName: 'Yuki', userEmail: 'y@example.com', userSignature: 'ab'.repeat(32) });
    expect(o.identity).toEqual({ userId: 'u-42', name: 'Yuki', email: 'y@example.com', signature: 'ab'.repeat(32) });
    expect(readOptions({}).identity).toBeUndefined();
  });
});

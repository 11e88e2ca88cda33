/** Issue 20: the sticker catalog (src/stickers.ts) and its config. */
import { describe, expect, it } from 'vitest';
import { createStickerCatalog, stickerBaseUrl } from '../../src/stickers.js';
import { parseConfig } from '../../config/load.js';

const packs = [{ id: 'dev', name: 'Dev', stickers: [{ name: 'thanks', file: 'thanks.svg', alt: 'Thank you!', altJa: 'ありがとう' }] }];
const base = {
  component: { service: 'xmpp://127.0.0.1:1', domain: 'support.localhost', secret: 'x' },
  redis: { url: 'redis://127.0.0.1:1' },
  desks: [{ id: 'support', name: 'Support' }],
  operators: [],
};

describe('stickers', () => {
  it('builds absolute URLs under /stickers/<pack>/<file> and finds by name and by file', () => {
    const c = createStickerCatalog(packs, 'http://127.0.0.1:8080/');
    expect(c.byName('THANKS')?.url).toBe('http://127.0.0.1:8080/stickers/dev/thanks.svg');
    expect(c.file('dev', 'thanks.svg')?.alt).toBe('Thank you!');
    expect(c.file('dev', '../default.yaml')).toBeUndefined();
    expect(c.byName('nope')).toBeUndefined();
  });

  it('defaults the base URL to the portal', () => {
    expect(stickerBaseUrl(undefined, '127.0.0.1', 8080)).toBe('http://127.0.0.1:8080');
    expect(stickerBaseUrl(undefined, '::1', 8080)).toBe('http://[::1]:8080');
    expect(stickerBaseUrl('https://desk.example/portal', '0.0.0.0', 8080)).toBe('https://desk.example/portal');
  });

  it('config: files are png/webp/svg names, sticker names unique, identity secrets long enough and for known desks', () => {
    expect(parseConfig({ ...base, stickers: { packs } }).stickers.packs[0]?.stickers[0]?.name).toBe('thanks');
    expect(() =>
      parseConfig({ ...base, stickers: { packs: [{ ...packs[0], stickers: [{ name: 'x', file: 'x.gif', alt: 'x' }] }] } }),
    ).toThrow(/stickers\.packs\.0\.stickers\.0\.file/);
    expect(() =>
      parseConfig({ ...base, stickers: { packs: [{ ...packs[0], stickers: [{ name: 'x', file: '../x.svg', alt: 'x' }] }] } }),
    ).toThrow(/file/);
    expect(() => parseConfig({ ...base, stickers: { packs: [packs[0], { ...packs[0], id: 'b' }] } })).toThrow(
      /duplicate sticker name "thanks"/,
    );
    expect(() => parseConfig({ ...base, identity: { secret: 'short' } })).toThrow(/identity\.secret: an identity secret has at least 16/);
    expect(() => parseConfig({ ...base, identity: { desks: { nosuch: 'x'.repeat(16) } } })).toThrow(
      /identity\.desks\.nosuch: unknown desk/,
    );
  });
});

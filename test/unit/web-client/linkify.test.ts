import { describe, expect, it } from 'vitest';
import { linkify } from '../../../web-client/src/linkify.js';

describe('linkify', () => {
  it('keeps text without links as one text segment, markup included', () => {
    expect(linkify('<img src=x onerror=alert(1)>')).toEqual([{ kind: 'text', text: '<img src=x onerror=alert(1)>' }]);
    expect(linkify('')).toEqual([]);
  });

  it('links http and https URLs and leaves trailing punctuation outside', () => {
    expect(linkify('See https://example.com/help?q=1, or http://a.test/x.')).toEqual([
      { kind: 'text', text: 'See ' },
      { kind: 'link', text: 'https://example.com/help?q=1', href: 'https://example.com/help?q=1' },
      { kind: 'text', text: ', or ' },
      { kind: 'link', text: 'http://a.test/x', href: 'http://a.test/x' },
      { kind: 'text', text: '.' },
    ]);
  });

  it('keeps balanced parentheses and drops an unbalanced closing one', () => {
    expect(linkify('(see https://en.wikipedia.org/wiki/Tea_(drink))')).toEqual([
      { kind: 'text', text: '(see ' },
      { kind: 'link', text: 'https://en.wikipedia.org/wiki/Tea_(drink)', href: 'https://en.wikipedia.org/wiki/Tea_(drink)' },
      { kind: 'text', text: ')' },
    ]);
  });

  it('never links other schemes', () => {
    for (const text of ['javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'ftp://example.com', 'vbscript:x']) {
      expect(linkify(text)).toEqual([{ kind: 'text', text }]);
    }
  });

  it('does not let a quote or angle bracket end up inside the href', () => {
    const segs = linkify('https://a.test/"onmouseover="x <b>');
    expect(segs[0]).toEqual({ kind: 'link', text: 'https://a.test/', href: 'https://a.test/' });
  });
});

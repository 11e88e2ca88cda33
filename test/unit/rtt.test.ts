import { describe, expect, it } from 'vitest';
import { applyRtt } from '../../src/rtt.js';

describe('applyRtt (XEP-0301)', () => {
  it('starts over on reset and new', () => {
    expect(applyRtt('old text', 'reset', [{ kind: 't', text: 'my printer' }])).toBe('my printer');
    expect(applyRtt('old text', 'new', [])).toBe('');
  });
  it('appends, inserts at a position and erases backwards from it', () => {
    let d = applyRtt('', 'new', [{ kind: 't', text: 'helo' }]);
    d = applyRtt(d, undefined, [{ kind: 't', p: 3, text: 'l' }]);
    expect(d).toBe('hello');
    d = applyRtt(d, 'edit', [{ kind: 'e' }, { kind: 'w' }, { kind: 'e', p: 2, n: 1 }]);
    expect(d).toBe('hll');
  });
  it('counts code points, not UTF-16 units, and clamps bad positions', () => {
    expect(applyRtt('😀b', undefined, [{ kind: 'e', p: 1 }])).toBe('b');
    expect(applyRtt('abc', undefined, [{ kind: 'e', p: 99, n: 99 }])).toBe('');
    expect(applyRtt('abc', undefined, [{ kind: 't', p: -5, text: 'x' }])).toBe('xabc');
  });
});

/** The stanza fuzzer's own parts: the error check its oracle applies, and its seeded generator. */
import { describe, expect, it } from 'vitest';
import { xml } from '@xmpp/client';
import { invalidError } from '../support/fuzz/oracle.js';
import { createRng } from '../support/fuzz/random.js';
import { createStanzaFactory } from '../support/fuzz/stanzas.js';

const NS = 'urn:ietf:params:xml:ns:xmpp-stanzas';
const err = (type: string | undefined, ...conditions: string[]) =>
  xml(
    'iq',
    { type: 'error' },
    xml('error', type ? { type } : {}, ...conditions.map((c) => xml(c, { xmlns: NS })), xml('text', { xmlns: NS }, 'why')),
  );

describe('fuzz oracle: RFC 6120 §8.3 errors', () => {
  it('accepts one defined condition with a valid type', () => {
    expect(invalidError(err('cancel', 'item-not-found'))).toBeUndefined();
    expect(invalidError(err('wait', 'policy-violation'))).toBeUndefined();
  });
  it('rejects a missing or wrong type, zero or two conditions, unknown ones and internal-server-error', () => {
    expect(invalidError(xml('iq', { type: 'error' }))).toMatch(/without <error/);
    expect(invalidError(err(undefined, 'item-not-found'))).toMatch(/error type/);
    expect(invalidError(err('bogus', 'item-not-found'))).toMatch(/error type/);
    expect(invalidError(err('cancel'))).toMatch(/0 defined/);
    expect(invalidError(err('cancel', 'gone', 'forbidden'))).toMatch(/2 defined/);
    expect(invalidError(err('cancel', 'not-a-condition'))).toMatch(/unknown condition/);
    expect(invalidError(err('cancel', 'internal-server-error'))).toMatch(/unexpected failure/);
  });
});

describe('fuzz generator', () => {
  const world = {
    domain: 'support.localhost',
    desks: ['support', 'sales'],
    limit: 100,
    liveMasked: () => 't1-abcd@support.localhost',
    tickets: () => [1, 2],
  };
  const run = (seed: number) => {
    const f = createStanzaFactory(createRng(seed), world);
    return Array.from({ length: 300 }, (_, i) => f.next(i % 2 === 0));
  };
  it('is reproducible from its seed, and differs between seeds', () => {
    const a = run(7).map((s) => s.stanza.toString());
    expect(run(7).map((s) => s.stanza.toString())).toEqual(a);
    expect(run(8).map((s) => s.stanza.toString())).not.toEqual(a);
  });
  it('covers every stanza kind, IQ type and expectation', () => {
    const all = [...run(1), ...run(2)];
    expect(new Set(all.map((s) => s.stanza.name))).toEqual(new Set(['iq', 'message', 'presence']));
    expect(new Set(all.map((s) => s.expect))).toEqual(new Set(['reply', 'error', 'silent', 'any']));
    expect(new Set(all.filter((s) => s.stanza.name === 'iq').map((s) => s.stanza.attrs.type))).toEqual(
      new Set(['get', 'set', 'result', 'error', 'bogus', undefined]),
    );
    expect(new Set(all.map((s) => s.target))).toEqual(new Set(['domain', 'desk', 'masked', 'dead-masked', 'unknown', 'elsewhere', 'none']));
  });
});

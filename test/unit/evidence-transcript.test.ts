/** Transcript lines per audience, search query parsing and matching, admin tokens: pure parts. */
import { describe, expect, it } from 'vitest';
import { makeDraft, sealChain, GENESIS_HASH, redactionMarker, type Entry } from '../../src/evidence/entry.js';
import { transcriptLines, type StanzaFacts } from '../../src/evidence/transcript.js';
import { matchesSession, parseSearchQuery, parseTime, type SessionSummary } from '../../src/evidence/transcript-search.js';
import { sha256Hex } from '../../component/evidence/crypto.js';
import { stanzaFacts } from '../../component/evidence/transcripts.js';
import { tokenAccepted } from '../../component/http/transcript-routes.js';

const D = 'support.localhost';
const rec = (kind: string, direction: string | null, stanza?: string, extra: Record<string, string> = {}) =>
  makeDraft(
    {
      ts: 1000,
      kind,
      ticket: 3,
      desk: 'support',
      direction: direction as never,
      parties: { masked: `t3-abcd@${D}`, operator: 'alice@localhost' },
      content: { salt: 's', ...(stanza ? { stanza } : {}), ...extra },
    },
    sha256Hex,
  );
const buffered = (body: string) =>
  `<message type="chat"><body>${body}</body><delay xmlns="urn:xmpp:delay" from="${D}" stamp="2026-01-01T00:00:00Z"/></message>`;
const entries = (): Entry[] =>
  sealChain(
    { seq: 0, hash: GENESIS_HASH },
    [
      rec('join', 'customer->desk', buffered('hi')),
      rec('system', 'desk->customer', `<message from="support@${D}" type="chat"><body>Welcome</body></message>`),
      rec('assign', 'desk->operator', `<message from="t3-abcd@${D}" type="chat"><body>New chat</body></message>`),
      rec('message', 'customer->operator', buffered('hi').replace('<message ', `<message from="t3-abcd@${D}" `)),
      rec(
        'message',
        'operator->customer',
        `<message from="support@${D}/Alice" id="x1" type="chat"><body>Hello</body><origin-id xmlns="urn:xmpp:sid:0" id="o1"/></message>`,
      ),
      rec(
        'message',
        'customer->operator',
        `<message from="t3-abcd@${D}" type="chat"><composing xmlns="http://jabber.org/protocol/chatstates"/></message>`,
      ),
      rec('end', null, undefined),
    ],
    sha256Hex,
  ).map((s) => s.entry);
const opts = (audience: 'customer' | 'operator' | 'all') => ({
  audience,
  componentDomain: D,
  operatorName: (j: string) => (j === 'alice@localhost' ? 'Alice' : undefined),
  parse: (s: string): StanzaFacts | undefined => stanzaFacts(s),
});

describe('transcript lines', () => {
  it('gives the customer their chat once, without stanzas or staff addresses', () => {
    const lines = transcriptLines(entries(), opts('customer'));
    expect(lines.map((l) => [l.seq, l.from, l.body])).toEqual([
      [1, 'customer', 'hi'],
      [2, 'desk', 'Welcome'],
      [5, 'operator', 'Hello'],
    ]);
    expect(lines[2]).toMatchObject({ name: 'Alice', id: 'o1' });
    expect(JSON.stringify(lines)).not.toContain('alice@localhost');
  });

  it('gives operators what their client got, re-delivered buffered messages included', () => {
    expect(transcriptLines(entries(), opts('operator')).map((l) => l.body)).toEqual(['New chat', 'hi', 'Hello']);
  });

  it('gives admins every record once, events with their data and stanzas', () => {
    const lines = transcriptLines(entries(), opts('all'));
    expect(lines.map((l) => l.seq)).toEqual([1, 2, 3, 5, 7]);
    expect(lines[4]).toMatchObject({ kind: 'end', from: 'desk' });
    expect(lines[0]?.stanza).toContain('<body>hi</body>');
  });

  it('shows redacted records as redacted lines and still recognises the re-delivery', () => {
    const redacted = entries().map((e) => (e.kind === 'checkpoint' ? e : { ...e, content: { ...redactionMarker('erasure', 99) } }));
    const customer = transcriptLines(redacted, opts('customer'));
    // Seq 6 was a chat state: once erased, nothing tells it from a message, so it shows too.
    expect(customer.map((l) => l.seq)).toEqual([1, 2, 5, 6]);
    expect(customer.every((l) => l.redacted && l.body === undefined)).toBe(true);
    expect(transcriptLines(redacted, opts('operator')).map((l) => l.seq)).toEqual([3, 4, 5, 6]);
  });
});

describe('transcript search', () => {
  const session: SessionSummary = {
    ticket: 3,
    desk: 'support',
    customer: 'yuki@guest.localhost',
    customerName: 'Yuki',
    operators: [{ jid: 'alice@localhost', name: 'Alice' }],
    firstAt: 1000,
    lastAt: 5000,
    lines: [{ seq: 1, at: 1000, kind: 'join', direction: 'customer->desk', from: 'customer', body: 'My Printer is on fire' }],
  };
  it('parses the query string and names a bad parameter', () => {
    expect(parseSearchQuery({ customer: ' yuki ', limit: '5', from: '2026-01-01', to: '1767312000000' })).toEqual({
      customer: 'yuki',
      limit: 5,
      from: Date.UTC(2026, 0, 1),
      to: 1767312000000,
    });
    expect(parseSearchQuery({})).toEqual({ limit: 50 });
    expect(parseSearchQuery({ limit: '0' })).toMatch(/^limit/);
    expect(parseSearchQuery({ from: 'tomorrow' })).toMatch(/^from/);
    expect(parseSearchQuery({ from: '2026-02-01', to: '2026-01-01' })).toMatch(/^from/);
    expect(parseSearchQuery({ text: ['a', 'b'] })).toMatch(/^text/);
    expect(parseTime('2026-01-01T10:00:00+09:00')).toBe(Date.UTC(2026, 0, 1, 1));
  });
  it('matches customer, operator, desk, text and time', () => {
    const f = { limit: 10 };
    expect(matchesSession(session, { ...f, customer: 'yuki@guest.localhost' })).toBe(true);
    expect(matchesSession(session, { ...f, customer: 'YUK' })).toBe(true);
    expect(matchesSession(session, { ...f, customer: 'ken' })).toBe(false);
    expect(matchesSession(session, { ...f, operator: 'alice' })).toBe(true);
    expect(matchesSession(session, { ...f, operator: 'bob@localhost' })).toBe(false);
    expect(matchesSession(session, { ...f, desk: 'sales' })).toBe(false);
    expect(matchesSession(session, { ...f, text: 'printer' })).toBe(true);
    expect(matchesSession(session, { ...f, text: 'scanner' })).toBe(false);
    expect(matchesSession(session, { ...f, from: 4000, to: 6000 })).toBe(true);
    expect(matchesSession(session, { ...f, from: 5001 })).toBe(false);
    expect(matchesSession(session, { ...f, to: 999 })).toBe(false);
  });
});

describe('admin tokens', () => {
  it('accepts a configured bearer token only', () => {
    const tokens = ['token-one-0123456789', 'token-two-0123456789'];
    expect(tokenAccepted('Bearer token-two-0123456789', tokens)).toBe(true);
    expect(tokenAccepted('Bearer token-two-012345678', tokens)).toBe(false);
    expect(tokenAccepted('token-one-0123456789', tokens)).toBe(false);
    expect(tokenAccepted(undefined, tokens)).toBe(false);
    expect(tokenAccepted('Bearer token-one-0123456789', [])).toBe(false);
  });
});

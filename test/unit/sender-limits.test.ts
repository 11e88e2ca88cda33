import { describe, expect, it } from 'vitest';
import { xml } from '@xmpp/client';
import { parseConfig } from '../../config/load.js';
import { createSenderLimits } from '../../component/services/sender-limits.js';

const limits = parseConfig({
  component: { service: 'xmpp://127.0.0.1:5347', domain: 'support.localhost', secret: 's' },
  redis: { url: 'redis://127.0.0.1:6379' },
  desks: [{ id: 'support', name: 'Support' }],
  operators: [],
}).limits;

function clock() {
  let t = 0;
  return {
    now: () => t,
    advance: (ms: number) => {
      t += ms;
    },
  };
}
const message = (body: string) => xml('message', { type: 'chat' }, xml('body', {}, body));
const composing = () => xml('message', { type: 'chat' }, xml('composing', { xmlns: 'http://jabber.org/protocol/chatstates' }));
const rtt = (text: string) => xml('message', { type: 'chat' }, xml('rtt', { xmlns: 'urn:xmpp:rtt:0', event: 'reset' }, xml('t', {}, text)));
const marker = (id: string) => xml('message', { type: 'chat' }, xml('displayed', { xmlns: 'urn:xmpp:chat-markers:0', id }));

describe('sender limits with the shipped defaults', () => {
  it('never refuse a fast typist using the widget: sneak peek, chat states, a message every 2 s, markers after reading', () => {
    const c = clock();
    const s = createSenderLimits(limits, c.now);
    const refused: string[] = [];
    const send = (what: string, el: ReturnType<typeof message>) => {
      if (!s.admit('customer', 'yuki@guest', el).allowed) refused.push(what);
    };
    // Two minutes: the widget's sneak peek sends a reset every 700 ms while typing (web-client/src/sneak-peek.ts),
    // `composing` when typing starts, `active` with each message; every 2 s a message goes out.
    for (let ms = 0; ms < 120_000; ms += 100) {
      if (ms % 700 === 0) send(`rtt@${ms}`, rtt('typing…'));
      if (ms % 2000 === 100) send(`composing@${ms}`, composing());
      if (ms % 2000 === 0) send(`message@${ms}`, message(`line ${ms}`));
      if (ms === 60_000) for (let i = 0; i < 30; i++) send(`marker ${i}`, marker(`op-${i}`)); // read 30 of the operator's messages at once
      c.advance(100);
    }
    expect(refused).toEqual([]);
  });

  it('refuse a customer past 20 at once or 5 per second, with as many errors as messages allowed', () => {
    const c = clock();
    const s = createSenderLimits(limits, c.now);
    const results = Array.from({ length: 100 }, () => s.admit('customer', 'flood@guest', message('x')));
    expect(results.filter((r) => r.allowed)).toHaveLength(20);
    const refused = results.filter((r) => !r.allowed);
    expect(refused.filter((r) => r.episodeStart)).toHaveLength(1);
    expect(refused.filter((r) => r.answer)).toHaveLength(20); // one error per message the bucket held
    expect(refused.filter((r) => r.dropStart)).toHaveLength(1); // the rest dropped, logged once
    expect(refused.slice(20).every((r) => !r.answer)).toBe(true);
    c.advance(1000);
    // The next second: 5 messages and 5 errors, no new episode while the bucket has not refilled.
    const next = Array.from({ length: 20 }, () => s.admit('customer', 'flood@guest', message('x')));
    expect(next.filter((r) => r.allowed)).toHaveLength(5);
    expect(next.filter((r) => !r.allowed && r.answer)).toHaveLength(5);
    expect(next.some((r) => r.episodeStart)).toBe(false);
  });

  it('give operators their own, larger bucket', () => {
    const c = clock();
    const s = createSenderLimits(limits, c.now);
    const op = Array.from({ length: 61 }, () => s.admit('operator', 'alice@localhost', message('x')).allowed);
    expect(op.filter(Boolean)).toHaveLength(60);
    expect(s.admit('customer', 'alice@localhost', message('x')).allowed).toBe(true); // a different bucket
    c.advance(1000);
    expect(Array.from({ length: 21 }, () => s.admit('operator', 'alice@localhost', message('x')).allowed).filter(Boolean)).toHaveLength(20);
  });
});

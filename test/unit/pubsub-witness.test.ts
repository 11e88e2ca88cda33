/**
 * The XEP-0060 head witness (component/xmpp/pubsub-witness.ts): what it sends, how often,
 * and what it does with the service's replies. The real service: test/e2e/evidence-head.test.ts.
 */
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HEAD_PURPOSE, parseSignedHead, type SignedHead } from '../../src/evidence/head.js';
import { createPubsubWitness, NS_PUBSUB } from '../../component/xmpp/pubsub-witness.js';
import { xml, type Element } from '../../component/protocol/xml.js';

const head = (seq: number): SignedHead => ({
  purpose: HEAD_PURPOSE,
  seq,
  hash: 'a'.repeat(64),
  prevHash: 'b'.repeat(64),
  ts: 1_700_000_000_000 + seq,
  keyId: 'ed25519:0123456789abcdef',
  sig: `${'c'.repeat(86)}==`,
  time: new Date(1_700_000_000_000 + seq).toISOString(),
});

describe('pubsub head witness', () => {
  let sent: Element[];
  let warnings: unknown[];
  let witness: ReturnType<typeof createPubsubWitness>;
  beforeEach(() => {
    vi.useFakeTimers();
    sent = [];
    warnings = [];
    const log = pino({ level: 'silent' });
    log.warn = ((obj: unknown) => {
      warnings.push(obj);
    }) as typeof log.warn;
    witness = createPubsubWitness({
      service: 'pubsub.localhost',
      node: 'heads',
      domain: 'support.localhost',
      send: (s) => sent.push(s),
      log,
    });
  });
  afterEach(() => vi.useRealTimers());

  const published = () =>
    sent.map((iq) => iq.getChild('pubsub', NS_PUBSUB)?.getChild('publish')?.getChild('item')).filter((i) => i !== undefined);

  it('publishes the head as an item (id = seq) whose payload parses back to the same head', () => {
    witness.publish(head(31));
    expect(sent[0]?.attrs).toMatchObject({ type: 'set', from: 'support.localhost', to: 'pubsub.localhost' });
    const item = published()[0] as Element;
    expect(item.attrs.id).toBe('31');
    expect(parseSignedHead(item.toString())).toEqual(head(31));
  });

  it('sends at most one head per second, the newest of those waiting', () => {
    witness.publish(head(10));
    witness.publish(head(20));
    witness.publish(head(30));
    witness.publish(head(25)); // older than one waiting: dropped
    expect(published().map((i) => i.attrs.id)).toEqual(['10']);
    vi.advanceTimersByTime(999);
    expect(published()).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(published().map((i) => i.attrs.id)).toEqual(['10', '30']);
    vi.advanceTimersByTime(5000);
    expect(published()).toHaveLength(2);
  });

  it("creates an open node; a conflict (it exists) is quiet, a refused publish is logged, others' replies are not taken", () => {
    witness.ensureNode();
    const create = sent[0] as Element;
    expect(create.getChild('pubsub', NS_PUBSUB)?.getChild('create')?.attrs.node).toBe('heads');
    const error = (iq: Element, condition: string) =>
      xml(
        'iq',
        { type: 'error', id: iq.attrs.id, from: 'pubsub.localhost', to: 'support.localhost' },
        xml('error', { type: 'cancel' }, xml(condition, { xmlns: 'urn:ietf:params:xml:ns:xmpp-stanzas' })),
      );
    expect(witness.onReply(error(create, 'conflict'))).toBe(true);
    expect(warnings).toEqual([]);
    witness.publish(head(7));
    expect(witness.onReply(error(sent[1] as Element, 'forbidden'))).toBe(true);
    expect(warnings).toEqual([expect.objectContaining({ what: 'publish', seq: 7, condition: 'forbidden' })]);
    expect(witness.onReply(xml('iq', { type: 'result', id: 'liveness-1', from: 'pubsub.localhost' }))).toBe(false);
    expect(witness.onReply(xml('iq', { type: 'error', id: sent[1]?.attrs.id, from: 'mallory@localhost/x' }))).toBe(false); // not the service
  });

  it('a send that throws is logged, never thrown to the caller', () => {
    const log = pino({ level: 'silent' });
    log.warn = ((obj: unknown) => {
      warnings.push(obj);
    }) as typeof log.warn;
    const broken = createPubsubWitness({
      service: 'p',
      node: 'n',
      domain: 'd',
      log,
      send: () => {
        throw new Error('link down');
      },
    });
    expect(() => broken.publish(head(1))).not.toThrow();
    expect(warnings).toEqual([expect.objectContaining({ err: 'link down', seq: 1 })]);
  });
});

/**
 * Issue #2 end to end: state lives in Redis, so kill -9 of the component loses nothing;
 * Redis and Prosody outages give `wait` errors / reconnects and heal by themselves.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { xml } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import { isIntro } from '../support/clients.js';
import { COMPONENT_DOWN_ERROR, startStack, SUPPORT, type Stack } from '../support/stack.js';

const errorOf = (el: Element) => ({
  type: el.getChild('error')?.attrs.type,
  condition: el
    .getChild('error')
    ?.getChildElements()
    .find((c) => c.attrs.xmlns === 'urn:ietf:params:xml:ns:xmpp-stanzas' && c.name !== 'text')?.name,
});

async function until<T>(probe: () => Promise<T>, ok: (v: T) => boolean, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined && ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('resilience', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ operators: [{ user: 'alice', name: 'Alice', maxChats: 1 }] });
  });
  afterAll(async () => stack?.stop());

  it('survives kill -9 of the component: the pair keeps talking, the queue keeps its order', async () => {
    const alice = await stack.operator('alice');
    await alice.subscribeTo(SUPPORT);
    const talking = await stack.customer();
    await talking.say(SUPPORT, 'before the crash');
    const intro = await alice.next(isIntro, 'intro');
    const masked = intro.attrs.from!;
    const waiting = await stack.customer();
    await waiting.say(SUPPORT, 'I am waiting');
    await waiting.message(SUPPORT, 'You are number 1 in line');

    await stack.killComponent();
    await expect(stack.health()).rejects.toThrow(); // really gone: its portal is down too
    // Meanwhile the server bounces messages to the desk (Prosody: `wait`; ejabberd: remote-server-not-found), so clients retry.
    await talking.send(xml('message', { to: SUPPORT, type: 'chat', id: 'while-down' }, xml('body', {}, 'anyone?')));
    const bounce = await talking.next((el) => el.attrs.type === 'error' && el.attrs.id === 'while-down', 'bounce while down');
    expect(errorOf(bounce)).toEqual(COMPONENT_DOWN_ERROR);
    await stack.startComponent();
    await until(
      () => stack.health(),
      (h) => h.ok,
      'component healthy again',
    );

    await talking.say(SUPPORT, 'after the crash');
    await alice.message(masked, 'after the crash');
    await alice.say(masked, 'still here');
    await talking.message(`${SUPPORT}/Alice`, 'still here');

    // The waiting customer kept its place: freeing Alice's slot connects it, messages intact.
    await alice.say(masked, '!end');
    const next = await alice.next(isIntro, 'the waiting customer after restart');
    expect(next.getChildText('body')).toContain('I am waiting');
    await waiting.message(`${SUPPORT}/Alice`, 'Alice has joined');
    await alice.say(next.attrs.from!, '!end');
    await waiting.message(`${SUPPORT}/Alice`, 'ended the chat');
  });

  it('answers `wait` while Redis is down and recovers by itself', async () => {
    const alice = await stack.operator('alice', 'redis-test');
    await alice.subscribeTo(SUPPORT);
    const customer = await stack.customer();
    await customer.say(SUPPORT, 'hello before the outage');
    const intro = await alice.next(isIntro, 'intro');
    const startRedis = await stack.stopRedis();

    await customer.send(xml('message', { to: SUPPORT, type: 'chat', id: 'during-outage' }, xml('body', {}, 'lost?')));
    const bounce = await customer.next(
      (el) => el.name === 'message' && el.attrs.type === 'error' && el.attrs.id === 'during-outage',
      'wait error',
    );
    expect(errorOf(bounce)).toEqual({ type: 'wait', condition: 'service-unavailable' });
    expect((await stack.health()).redis).toBe(false);

    await startRedis();
    await until(
      () => stack.health(),
      (h) => h.redis,
      'redis reconnected',
    );
    await customer.say(SUPPORT, 'retried after the outage');
    await alice.message(intro.attrs.from!, 'retried after the outage');
    await alice.say(intro.attrs.from!, '!end');
  });

  it("reconnects to a restarted Prosody and learns operators' presence again", async () => {
    await stack.restartProsody();
    await until(
      () => stack.health(),
      (h) => h.xmpp,
      'component reconnected to Prosody',
      20_000,
    );
    // Every operator was disconnected by the restart; the probes tell the desk so.
    await until(
      () => stack.status(),
      (s) => s.desks.find((d) => d.desk === 'support')?.mode === 'closed',
      'desk closed after probes',
    );
    const alice = await stack.operator('alice', 'after-restart');
    await alice.subscribeTo(SUPPORT);
    const customer = await stack.customer();
    await customer.say(SUPPORT, 'after the server restart');
    const intro = await alice.next(isIntro, 'assignment after the server restart');
    expect(intro.getChildText('body')).toContain('after the server restart');
  }, 60_000); // ejabberd stops and starts slower than Prosody, and its silence to the probes takes 5 s to count
});

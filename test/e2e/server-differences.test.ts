/**
 * Where Prosody and ejabberd answer the component differently, each named after the difference
 * and run against the server of this pass (XMPP_SERVER). README "Running on ejabberd".
 */
import { Component } from '@xmpp/component-core';
import { xml } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import * as XMPP from 'stanza';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorConditionOf } from '../support/clients.js';
import { COMPONENT_DOWN_ERROR, DOMAIN, startStack, SUPPORT, XMPP_SERVER, type Stack } from '../support/stack.js';

/** A second XEP-0114 connection for the component's domain: 'online', or the stream error's condition. */
async function secondConnection(stack: Stack): Promise<{ outcome: string; entity: Component }> {
  const entity = new Component({ service: `xmpp://127.0.0.1:${stack.componentPort}`, domain: DOMAIN });
  const outcome = new Promise<string>((resolve) => {
    entity.on('online', () => resolve('online'));
    entity.on('error', (err: { condition?: string; message: string }) => resolve(err.condition ?? err.message));
    entity.on('disconnect', () => resolve('disconnected'));
  });
  entity.on('open', (header: Element) => void entity.authenticate(String(header.attrs.id), stack.componentSecret).catch(() => undefined));
  await entity.connect(`xmpp://127.0.0.1:${stack.componentPort}`);
  await entity.open({ domain: DOMAIN });
  return { outcome: await outcome, entity };
}

async function until(ok: () => Promise<boolean>, what: string, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe(`server differences (${XMPP_SERVER})`, () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ operators: [{ user: 'bob', name: 'Bob', maxChats: 2 }] });
  });
  afterAll(async () => stack?.stop());

  it('the guest host offers SASL ANONYMOUS only: StanzaJS (the widget) would pick PLAIN, which ejabberd also offers there, and fail', async () => {
    const client = XMPP.createClient({
      jid: 'guest.localhost',
      server: 'guest.localhost',
      transports: { websocket: stack.websocketUrl, bosh: false },
    });
    const mechanisms: string[] = [];
    client.on('raw:incoming', (data: string) => mechanisms.push(...[...data.matchAll(/<mechanism>([^<]+)</g)].map((m) => m[1] as string)));
    const started = new Promise<string>((resolve, reject) => {
      client.on('session:started', () => resolve(String(client.jid)));
      client.on('stream:error', (e: { condition: string }) => reject(new Error(e.condition)));
    });
    client.connect();
    try {
      expect(await started).toMatch(/@guest\.localhost\//);
      expect(mechanisms).toEqual(['ANONYMOUS']);
    } finally {
      client.disconnect();
    }
  });

  it('a second component connection for the same domain: Prosody refuses it with conflict, ejabberd accepts it and shares the traffic', async () => {
    const { outcome, entity } = await secondConnection(stack);
    const customer = await stack.customer();
    try {
      if (XMPP_SERVER === 'prosody') {
        expect(outcome).toBe('conflict');
        return;
      }
      expect(outcome).toBe('online');
      // ejabberd balances the domain's stanzas over both connections: some reach the second one.
      const seen: Element[] = [];
      entity.on('stanza', (el: Element) => seen.push(el));
      for (let i = 0; i < 20; i++) await customer.say(`nobody${i}@${DOMAIN}`, `probe ${i}`);
      await new Promise((r) => setTimeout(r, 1000));
      const answered = customer.inbox.filter((el) => el.attrs.type === 'error' && errorConditionOf(el) === 'item-not-found').length;
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.length + answered).toBe(20);
    } finally {
      await entity.stop().catch(() => undefined);
    }
    // The first connection still serves the desk.
    await customer.say(SUPPORT, 'still there?');
    await customer.message(SUPPORT, /Your ticket is #\d+/);
  });

  it('a message to the desk while the component is down: Prosody wait/remote-server-timeout, ejabberd cancel/remote-server-not-found', async () => {
    const customer = await stack.customer();
    await stack.killComponent();
    // Until the server has seen the socket close, a stanza may still go to the dead connection and
    // vanish (seen on ejabberd under load): send again until one bounces.
    let bounce: Element | undefined;
    for (let i = 0; !bounce && i < 10; i++) {
      await customer.send(xml('message', { to: SUPPORT, type: 'chat', id: `down-${i}` }, xml('body', {}, 'anyone?')));
      bounce = await customer
        .next((el) => el.attrs.type === 'error' && /^down-/.test(String(el.attrs.id)), 'the bounce', 1000)
        .catch(() => undefined);
    }
    expect(bounce, 'a bounce while the component is down').toBeDefined();
    expect({ type: bounce?.getChild('error')?.attrs.type, condition: bounce && errorConditionOf(bounce) }).toEqual(COMPONENT_DOWN_ERROR);
    await stack.startComponent();
    // Back: the resend is taken (ejabberd's route to the component wins over its bouncing s2s attempt).
    await customer.send(xml('message', { to: SUPPORT, type: 'chat', id: String(bounce?.attrs.id) }, xml('body', {}, 'anyone?')));
    await customer.message(SUPPORT, /Your ticket is #\d+/);
  });

  it('presence probes after a component restart: an operator who left meanwhile is offline (Prosody answers the probe with unavailable, ejabberd not at all)', async () => {
    const bob = await stack.operator('bob', 'probe-test');
    await bob.subscribeTo(SUPPORT);
    await until(async () => (await stack.status()).desks.find((d) => d.desk === 'support')?.mode !== 'closed', 'Bob online');
    await stack.killComponent();
    await bob.stop(); // his unavailable goes nowhere: the component is down
    await stack.startComponent();
    // The desk probes Bob; whether his server answers or not, Bob counts as gone and the desk closes.
    await until(
      async () => (await stack.status()).desks.find((d) => d.desk === 'support')?.mode === 'closed',
      'desk closed: Bob offline',
      12_000,
    );
    const customer = await stack.customer();
    await customer.say(SUPPORT, 'is anyone there?');
    await customer.message(SUPPORT, /Your ticket is #\d+/);
  });
});

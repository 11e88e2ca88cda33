/**
 * The project's seeded stanza fuzzer (issue 14 item 8) against a real stack: operators (an admin
 * and an operator of `support`), mallory (an account that is no operator) and customers (anonymous,
 * over WebSocket and TCP) send malformed, hostile and odd stanzas (stanzas.ts) in batches; the
 * oracle (oracle.ts) checks every answer. Between batches: the component must be alive
 * (`/healthz`), and a canary chat at `sales` (Carol and a customer who never fuzz) must carry a
 * message each way, or answer it with an error. At the end a fresh customer and operator must
 * hold a normal chat.
 *
 * Raw XML is not sent: Prosody parses every client stream and closes it on malformed XML, so
 * such bytes never reach the component, and the component's own port takes one connection per
 * domain (a second is refused with `conflict`): the component receives only what Prosody
 * re-serializes. A forged or missing `from` is stamped or refused by Prosody the same way.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { xml } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import type { Stack } from '../stack.js';
import { connectFuzzClient, type FuzzClient } from './clients.js';
import { createOracle } from './oracle.js';
import { createRng } from './random.js';
import { createStanzaFactory } from './stanzas.js';

export const FUZZ_OPERATORS = [
  { user: 'alice', name: 'Alice', desks: ['support'], maxChats: 9, role: 'admin' },
  { user: 'bob', name: 'Bob', desks: ['support'], maxChats: 9, role: 'operator' },
  { user: 'carol', name: 'Carol', desks: ['sales'], maxChats: 9, role: 'operator' }, // the canary's operator; never fuzzes
  { user: 'dave', name: 'Dave', desks: ['sales'], maxChats: 9, role: 'operator' }, // only for the final chat
];
const DOMAIN = 'support.localhost';
const SALES = `sales@${DOMAIN}`;

export interface FuzzResult {
  stanzas: number;
  crashes: number;
  anomalies: string[];
  seed: number;
  ms: number;
  checked: ReturnType<typeof createOracle>['checked'];
  canaries: number;
}

const bodyOf = (el: Element) => el.getChildText('body') ?? '';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runFuzz(
  stack: Stack,
  o: { stanzas: number; seed: number; batch?: number; progress?: (line: string) => void },
): Promise<FuzzResult> {
  const started = Date.now();
  const rng = createRng(o.seed);
  const oracle = createOracle(DOMAIN);
  const masked = new Set<string>();
  const tickets = new Set<number>();
  const seen = new Map<string, number>(); // canary marker → when a client saw it
  const refused = new Set<string>(); // canary markers answered with an error
  const intros = new Map<string, { op: FuzzClient; masked: string }>(); // canary marker → the chat it opened
  const clients: FuzzClient[] = [];

  function watch(c: FuzzClient): FuzzClient {
    c.onStanza = (el) => {
      oracle.observe(c, el);
      if (el.name !== 'message') return;
      if (el.attrs.type === 'error') {
        if (String(el.attrs.id).startsWith('canary-')) refused.add(String(el.attrs.id));
        return;
      }
      const from = String(el.attrs.from ?? '');
      const bare = from.split('/')[0] as string;
      const m = /^t(\d+)-[0-9a-z]{4}@/.exec(from);
      if (m) {
        masked.add(bare);
        tickets.add(Number(m[1]));
      }
      const markers = bodyOf(el).match(/canary-[0-9a-z-]+/g) ?? [];
      for (const marker of markers) seen.set(marker, Date.now());
      if (m && /^New chat/.test(bodyOf(el))) for (const marker of markers) intros.set(marker, { op: c, masked: bare });
    };
    clients.push(c);
    return c;
  }
  const account = async (user: string, presenceTo: string[] = [], show?: string) =>
    watch(await connectFuzzClient(user, { kind: 'account', port: stack.c2sPort, user, presenceTo, show }));
  const wsCustomer = async (name: string) =>
    watch(await connectFuzzClient(name, { kind: 'guest-ws', port: Number(new URL(stack.websocketUrl).port) }));

  const alice = await account('alice', [`support@${DOMAIN}`]);
  const bob = await account('bob', [`support@${DOMAIN}`]);
  const carol = await account('carol', [SALES]);
  const mallory = await account('mallory');
  const customers = await Promise.all([0, 1, 2, 3].map((i) => wsCustomer(`ws${i}`)));
  const tcpGuest = watch(await connectFuzzClient('tcp-guest', { kind: 'guest-tcp', port: stack.c2sPort }));
  const senders: [number, FuzzClient, boolean][] = [
    [12, alice, true],
    [12, bob, true],
    [14, mallory, false],
    [10, tcpGuest, false],
    ...customers.map((c): [number, FuzzClient, boolean] => [13, c, false]),
  ];
  const factory = createStanzaFactory(rng, {
    domain: DOMAIN,
    desks: ['support', 'support', 'support', 'sales'],
    limit: 10_000,
    liveMasked: () => (masked.size ? rng.pick([...masked]) : undefined),
    tickets: () => [...tickets],
  });

  // The canary: a chat at sales (Carol's) that only the canary customer and its operator write in.
  let canary = { customer: await wsCustomer('canary'), chat: undefined as { op: FuzzClient; masked: string } | undefined };
  async function openCanary(n: number): Promise<void> {
    const marker = `canary-open-${o.seed}-${n}`;
    await canary.customer.send(xml('message', { to: SALES, type: 'chat' }, xml('body', {}, marker)));
    canary.chat = await until(() => intros.get(marker), 10_000);
  }
  await openCanary(0);

  /** One message each way in the canary chat: delivered, or refused with an error. */
  async function canaryRound(n: number): Promise<void> {
    const legs: [FuzzClient, string | undefined, string][] = [
      [canary.customer, SALES, `canary-c${n}`],
      [canary.chat?.op ?? carol, canary.chat?.masked, `canary-o${n}`],
    ];
    for (const [from, to, marker] of legs) {
      if (!to) continue;
      await from.send(xml('message', { to, type: 'chat', id: marker }, xml('body', {}, marker)));
      await until(() => seen.get(marker) ?? (refused.has(marker) ? 0 : undefined), 10_000);
      if (!seen.has(marker) && !refused.has(marker))
        oracle.anomalies.push(`canary ${marker} (${from.name} → ${to}): neither delivered nor refused`);
    }
    if (!canary.chat || refused.has(`canary-o${n}`)) {
      // the chat moved on (an admin took it over): a fresh canary
      await canary.customer.stop();
      canary = { customer: await wsCustomer(`canary${n}`), chat: undefined };
      await openCanary(n + 1);
    }
  }

  let sent = 0;
  let crashes = 0;
  const batch = o.batch ?? 200;
  for (let round = 0; sent < o.stanzas; round++) {
    for (let i = 0; i < batch && sent < o.stanzas; i++) {
      const [, sender, operator] = rng.weighted(senders.map(([w, c, op]) => [w, [w, c, op] as const]));
      const { stanza, expect, target } = factory.next(operator);
      if (!sender.online) continue;
      oracle.expect(sender, stanza, expect, `${sender.name} ${target} ${stanza.toString().slice(0, 200)}`);
      if (await sender.send(stanza)) sent++;
    }
    await oracle.settle(15_000);
    if (!(await healthy(stack))) {
      crashes++;
      oracle.anomalies.push(`component not healthy after ${sent} stanzas`);
      await stack.startComponent().catch(() => undefined);
    }
    await canaryRound(round);
    if (round % 25 === 0) o.progress?.(`fuzz: ${sent} stanzas, ${crashes} crashes, ${oracle.anomalies.length} anomalies`);
  }

  // The stack still serves a normal chat: a fresh customer and a fresh operator at sales, who
  // picks the customer by ticket (the fuzzers' tickets may be ahead in the queue, and dave is
  // `dnd` so that they do not fill his slots first).
  const dave = await account('dave', [SALES], 'dnd');
  const customer = await wsCustomer('final');
  const hello = `canary-final-${o.seed}`; // its intro names the operator who took it
  let ticket = 0;
  customer.onStanza = ((before) => (el: Element) => {
    before(el);
    ticket ||= Number(/Your ticket is #(\d+)/.exec(bodyOf(el))?.[1] ?? 0);
  })(customer.onStanza);
  await customer.send(xml('message', { to: SALES, type: 'chat' }, xml('body', {}, hello)));
  if (await until(() => ticket || undefined, 10_000))
    await dave.send(xml('message', { to: SALES, type: 'chat' }, xml('body', {}, `!pick ${ticket}`)));
  const intro = await until(() => intros.get(hello), 15_000);
  if (!intro) oracle.anomalies.push(`final chat: no operator got the new customer (ticket ${ticket || 'none'})`);
  else {
    const answer = `canary-final-answer-${o.seed}`;
    await intro.op.send(xml('message', { to: intro.masked, type: 'chat' }, xml('body', {}, answer)));
    if (!(await until(() => seen.get(answer), 10_000)))
      oracle.anomalies.push("final chat: the operator's answer did not reach the customer");
  }
  const internal = readFileSync(join(stack.dir, 'component.log'), 'utf8')
    .split('\n')
    .filter((l) => /unexpected failure|uncaught|unhandled/i.test(l));
  for (const line of internal.slice(0, 20)) oracle.anomalies.push(`component log: ${line.slice(0, 400)}`);
  if (internal.length > 20) oracle.anomalies.push(`component log: ${internal.length - 20} more unexpected failures`);
  await Promise.all(clients.map((c) => c.stop()));
  return {
    stanzas: sent,
    crashes,
    anomalies: oracle.anomalies,
    seed: o.seed,
    ms: Date.now() - started,
    checked: oracle.checked,
    canaries: seen.size + refused.size,
  };
}

async function healthy(stack: Stack): Promise<boolean> {
  for (let i = 0; i < 3; i++) {
    try {
      if ((await stack.health()).ok) return true;
    } catch {
      /* not answering */
    }
    await sleep(1000);
  }
  return false;
}

async function until<T>(probe: () => T | undefined, ms: number): Promise<T | undefined> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined || Date.now() > deadline) return v;
    await sleep(20);
  }
}

/**
 * Phase "takeover" (issue 19 §1, hot standby): chats and a queue on one desk, a second component
 * instance standing by (Prosody refuses it with `conflict`), then kill -9 of the active one.
 * Per round: when Prosody starts bouncing the desk's messages (it noticed), when the standby's
 * /readyz says ready, and when a customer's message first reaches its operator again. Each round
 * starts a fresh standby and kills the instance that took over in the round before.
 */
import type { BenchConn } from './conn.js';
import { connectTcp } from './c2s.js';
import { inBatches, isJoined, joinMessage, loginOperators, waitOperatorsOnline, type Operator } from './people.js';
import { GUEST_DOMAIN, TAKEOVER_DESK, type BenchInstance, type BenchStack, type OperatorSpec } from './stack.js';

export interface TakeoverRound {
  /** ms after the kill: Prosody bounced a message to the desk; the standby ready; a message relayed again. */
  detectedMs: number;
  readyMs: number;
  servedMs: number;
}

export interface TakeoverResult {
  chats: number;
  waiting: number;
  rounds: TakeoverRound[];
  /** After the last round: chats whose next message reached the same operator from the same masked JID; customers still waiting. */
  chatsContinuing: number;
  waitingAfter: number;
}

export const takeoverOperators = (n: number, cap: number): OperatorSpec[] =>
  Array.from({ length: n }, (_, i) => ({ user: `tk${i + 1}`, name: `Takeover${i + 1}`, desk: 'takeover', maxChats: cap }));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(ok: () => Promise<boolean>, what: string, timeoutMs: number, stepMs = 25): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`takeover: timed out waiting for ${what}`);
    await sleep(stepMs);
  }
}

export async function runTakeover(
  stack: BenchStack,
  o: { operators: OperatorSpec[]; waiting: number; rounds: number; log: (line: string) => void; conns: BenchConn[] },
): Promise<TakeoverResult> {
  const operators = await loginOperators(stack, o.operators);
  o.conns.push(...operators.map((op) => op.conn));
  await waitOperatorsOnline(stack, 'takeover', operators.length);
  const slots = o.operators.reduce((n, op) => n + op.maxChats, 0);
  const chats: { customer: BenchConn; operator: Operator; masked: string }[] = [];
  for (let i = 0; i < slots; i++) {
    const customer = await connectTcp({ port: stack.c2sPort, domain: GUEST_DOMAIN });
    o.conns.push(customer);
    const text = `hello from chat ${i}`;
    customer.write(joinMessage(TAKEOVER_DESK, text, `Chat ${i}`));
    const joined = await customer.next(isJoined(TAKEOVER_DESK), 'operator joined', 30_000);
    const operator = operators.find((op) => joined.attrs.from === `${TAKEOVER_DESK}/${op.spec.name}`) as Operator;
    const intro = await operator.conn.next((el) => (el.getChildText('body') ?? '').includes(text), `intro of chat ${i}`, 30_000);
    chats.push({ customer, operator, masked: intro.attrs.from as string });
  }
  const queued = await inBatches(o.waiting, 25, async (i) => {
    const c = await connectTcp({ port: stack.c2sPort, domain: GUEST_DOMAIN });
    c.write(joinMessage(TAKEOVER_DESK, `waiting ${i}`, `Waiting ${i}`));
    await c.next((el) => (el.getChildText('body') ?? '').includes('Your ticket is'), 'ticket', 30_000);
    return c;
  });
  o.conns.push(...queued.ok);
  o.log(`takeover: ${chats.length} chats, ${queued.ok.length} waiting; ${o.rounds} rounds of kill -9 with a standby waiting`);

  const probe = chats[0] as (typeof chats)[number];
  let active: BenchInstance = stack.primary();
  const rounds: TakeoverRound[] = [];
  for (let r = 1; r <= o.rounds; r++) {
    const standby = await stack.startInstance(`standby${r}`);
    await until(async () => (await standby.readyz()).standby, `standby ${r} refused with conflict`, 20_000, 100);
    await sleep(3000); // its backoff reaches the standby cap (retries 1-2 s apart), as after minutes of waiting
    const t0 = Date.now();
    await active.kill();
    let detectedMs = Number.NaN;
    let readyMs = Number.NaN;
    let servedMs = Number.NaN;
    const served = probe.operator.conn
      .next((el) => el.attrs.from === probe.masked && (el.getChildText('body') ?? '').startsWith(`probe-${r}-`), 'a relayed probe', 20_000)
      .then(() => {
        servedMs = Date.now() - t0;
      });
    const bounced = probe.customer
      .next((el) => el.attrs.type === 'error' && String(el.attrs.id).startsWith(`probe-${r}-`), 'a bounced probe', 20_000)
      .then(() => {
        detectedMs = Date.now() - t0;
      })
      .catch(() => undefined);
    const ready = until(async () => (await standby.readyz()).status === 200, 'the standby ready', 20_000).then(() => {
      readyMs = Date.now() - t0;
    });
    for (let n = 0; Number.isNaN(servedMs) && Date.now() - t0 < 20_000; n++) {
      probe.customer.write(`<message to='${TAKEOVER_DESK}' type='chat' id='probe-${r}-${n}'><body>probe-${r}-${n}</body></message>`);
      await sleep(50);
    }
    await Promise.all([served, ready]);
    void bounced; // NaN: taken over before Prosody bounced anything
    rounds.push({ detectedMs, readyMs, servedMs });
    o.log(`takeover round ${r}: Prosody bounced after ${detectedMs} ms, standby ready after ${readyMs} ms, relaying after ${servedMs} ms`);
    active = standby;
  }

  let chatsContinuing = 0;
  await Promise.all(
    chats.map(async (c, i) => {
      c.customer.write(`<message to='${TAKEOVER_DESK}' type='chat'><body>after takeover ${i}</body></message>`);
      const got = await c.operator.conn
        .next((el) => el.attrs.from === c.masked && el.getChildText('body') === `after takeover ${i}`, `chat ${i} after`, 10_000)
        .catch(() => undefined);
      if (got) chatsContinuing++;
    }),
  );
  const status = (await (await fetch(`${active.portalUrl}/api/status`)).json()) as { desks: { desk: string; waiting: number }[] };
  const waitingAfter = status.desks.find((d) => d.desk === 'takeover')?.waiting ?? Number.NaN;
  return { chats: chats.length, waiting: queued.ok.length, rounds, chatsContinuing, waitingAfter };
}

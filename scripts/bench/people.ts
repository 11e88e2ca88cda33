/**
 * Who takes part: direct-chat account pairs, operators (login, roster, presence, subscription
 * to a desk, as DESIGN §2/§5 require) and customers joined to a desk and connected to operators.
 */
import type { Element } from '@xmpp/xml';
import type { BenchConn } from './conn.js';
import { connectTcp } from './c2s.js';
import { DOMAIN, GUEST_DOMAIN, OPERATOR_DOMAIN, type BenchStack, type OperatorSpec } from './stack.js';

const MASKED = /^t\d+-[0-9a-z]{4}@/;
export const isIntro = (el: Element) =>
  el.name === 'message' &&
  el.attrs.type !== 'error' &&
  MASKED.test(el.attrs.from ?? '') &&
  (el.getChildText('body') ?? '').startsWith('New chat');
export const isJoined = (desk: string) => (el: Element) =>
  el.name === 'message' && (el.attrs.from ?? '').startsWith(`${desk}/`) && (el.getChildText('body') ?? '').endsWith('has joined');

/** Runs fn for 0..n-1, `batch` at a time; stops starting new ones after the deadline. */
export async function inBatches<T>(
  n: number,
  batch: number,
  fn: (i: number) => Promise<T>,
  deadline = Number.POSITIVE_INFINITY,
): Promise<{ ok: T[]; failed: number; errors: string[] }> {
  const ok: T[] = [];
  const errors: string[] = [];
  let failed = 0;
  for (let i = 0; i < n && Date.now() < deadline; i += batch) {
    const results = await Promise.allSettled(Array.from({ length: Math.min(batch, n - i) }, (_, k) => fn(i + k)));
    for (const r of results) {
      if (r.status === 'fulfilled') ok.push(r.value);
      else {
        failed++;
        if (errors.length < 3) errors.push(String((r.reason as Error)?.message ?? r.reason));
      }
    }
  }
  return { ok, failed, errors };
}

export async function loginPlain(stack: BenchStack, users: readonly string[]): Promise<BenchConn[]> {
  const r = await inBatches(users.length, 50, (i) =>
    connectTcp({ port: stack.c2sPort, domain: OPERATOR_DOMAIN, user: users[i] as string, resource: 'bench' }),
  );
  if (r.failed) throw new Error(`${r.failed} logins failed: ${r.errors.join('; ')}`);
  return r.ok;
}

export interface Operator {
  spec: OperatorSpec;
  conn: BenchConn;
}

/** Login, roster, presence, subscribe to the desk; resolves when the desk's presence arrives. */
export async function loginOperators(stack: BenchStack, specs: readonly OperatorSpec[]): Promise<Operator[]> {
  const r = await inBatches(specs.length, 50, async (i) => {
    const spec = specs[i] as OperatorSpec;
    const conn = await connectTcp({ port: stack.c2sPort, domain: OPERATOR_DOMAIN, user: spec.user, resource: 'desk', roster: true });
    const desk = `${spec.desk}@${DOMAIN}`;
    conn.write(`<presence to='${desk}' type='subscribe'/>`);
    await conn.next((el) => el.name === 'presence' && el.attrs.from === desk && el.attrs.type === undefined, `presence of ${desk}`);
    return { spec, conn };
  });
  if (r.failed) throw new Error(`${r.failed} operator logins failed: ${r.errors.join('; ')}`);
  return r.ok;
}

/** Polls the portal until the desk counts `n` operators online (the component saw their presence). */
export async function waitOperatorsOnline(stack: BenchStack, desk: string, n: number, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = (await stack.status()).find((d) => d.desk === desk);
    if ((s?.operatorsOnline ?? 0) >= n) return;
    if (Date.now() > deadline) throw new Error(`desk ${desk}: ${s?.operatorsOnline ?? 0}/${n} operators online after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const joinMessage = (deskJid: string, text: string, nick: string) =>
  `<message to='${deskJid}' type='chat'><body>${text}</body><nick xmlns='http://jabber.org/protocol/nick'>${nick}</nick></message>`;

/**
 * N anonymous c2s customers write to the desk; with N free operators of capacity 1 each gets
 * exactly one. Returns each operator's masked JID (its customer) once both sides are told.
 */
export async function connectCustomers(
  stack: BenchStack,
  operators: readonly Operator[],
  deskJid: string,
): Promise<{ customers: BenchConn[]; masked: string[] }> {
  const intros = operators.map((op) => op.conn.next(isIntro, `intro at ${op.spec.user}`, 30_000));
  const r = await inBatches(operators.length, 50, async (i) => {
    const c = await connectTcp({ port: stack.c2sPort, domain: GUEST_DOMAIN });
    c.write(joinMessage(deskJid, 'Hello, I need help with my order', `Customer ${i + 1}`));
    await c.next(isJoined(deskJid), 'operator joined', 30_000);
    return c;
  });
  if (r.failed) throw new Error(`${r.failed} customers failed to connect: ${r.errors.join('; ')}`);
  const masked = (await Promise.all(intros)).map((el) => el.attrs.from as string);
  return { customers: r.ok, masked };
}

export function closeAll(conns: readonly BenchConn[]): void {
  for (const c of conns) c.close();
}

/**
 * Phase 3: dispatch latency. Every operator is full (capacity 1, one customer each) and
 * customers wait; one operator at a time sends `!end` to its customer and the clock runs
 * until the next customer's intro arrives at that operator (only it has room). Interleaved, the
 * same operator pings the desk (XEP-0199; the component answers at once): the floor of any
 * round trip through Prosody and the component on this machine at that moment.
 */
import type { Element } from '@xmpp/xml';
import { connectTcp } from './c2s.js';
import { nowUs } from './marks.js';
import { inBatches, isIntro, joinMessage, type Operator } from './people.js';
import type { DispatchResult } from './results.js';
import { GUEST_DOMAIN, type BenchStack } from './stack.js';
import { createRecorder } from './stats.js';
import type { BenchConn } from './conn.js';

const isQueued = (el: Element) => el.name === 'message' && (el.getChildText('body') ?? '').startsWith('Welcome to');

export async function measureDispatch(
  stack: BenchStack,
  operators: readonly Operator[],
  masked: string[],
  deskJid: string,
  samples: number,
  deadlineMs: number,
): Promise<{ result: DispatchResult; waiting: BenchConn[] }> {
  const deadline = Date.now() + deadlineMs;
  const joined = await inBatches(
    samples,
    50,
    async (i) => {
      const c = await connectTcp({ port: stack.c2sPort, domain: GUEST_DOMAIN });
      c.write(joinMessage(deskJid, 'Hello, anyone there?', `Waiting ${i + 1}`));
      await c.next(isQueued, 'queued', 20_000);
      return c;
    },
    deadline,
  );
  const deskId = deskJid.split('@')[0];
  const waitingAtStart = (await stack.status()).find((d) => d.desk === deskId)?.waiting ?? 0;
  const rec = createRecorder(samples);
  const pings = createRecorder(samples);
  for (let i = 0; i < joined.ok.length && Date.now() < deadline; i++) {
    const k = i % operators.length;
    const op = operators[k] as Operator;
    const old = masked[k] as string;
    const intro = op.conn.next((el) => isIntro(el) && el.attrs.from !== old, `next intro at ${op.spec.user}`, 10_000);
    const t0 = nowUs();
    op.conn.write(`<message to='${old}' type='chat'><body>!end</body></message>`);
    const el = await intro;
    rec.add(nowUs() - t0);
    const id = `bp${i}`;
    const pong = op.conn.next((e) => e.name === 'iq' && e.attrs.id === id, 'ping result', 10_000);
    const p0 = nowUs();
    op.conn.write(`<iq type='get' to='${deskJid}' id='${id}'><ping xmlns='urn:xmpp:ping'/></iq>`);
    await pong;
    pings.add(nowUs() - p0);
    masked[k] = el.attrs.from as string;
  }
  return {
    result: {
      samples: rec.count(),
      p50: rec.p(0.5),
      p99: rec.p(0.99),
      max: rec.p(1),
      operators: operators.length,
      waitingAtStart,
      ping: { p50: pings.p(0.5), p99: pings.p(0.99), max: pings.p(1) },
    },
    waiting: joined.ok,
  };
}

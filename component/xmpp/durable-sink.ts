/**
 * Holds outgoing stanzas until Redis replicas have the state they report (issue 19 §4,
 * `redis.waitReplicas`): a stanza handed over in one turn leaves after a WAIT sent at the end of
 * that turn, i.e. after every write it can depend on (a ticket, a buffered message, an
 * assignment). So an ack, a welcome or an intro never announces state that a Redis failover
 * can still take back, and the evidence record of each stanza is appended and replicated before it
 * leaves. Order is kept: batches leave in the order they were handed over.
 *
 * - WAIT timed out short (no replica answering): the batch leaves anyway; durability.ts logs it.
 * - Redis unreachable (the primary died under the WAIT): the batch is dropped, as a crash would
 *   drop it: widget messages are resent (unacked), and their origin-ids were not remembered
 *   (their `whenWritten` callbacks are dropped with them), so the resends are relayed.
 * - Errors (`type='error'`) do not wait: they report a refusal, no write (and while Redis is
 *   down they are the `wait` answers the clients need).
 */
import type { Logger } from 'pino';
import type { Element } from '../protocol/xml.js';

interface Sink {
  send(stanza: Element, serialized?: string, recorded?: Promise<unknown>): void;
  whenWritten(fn: () => void): void;
}

export interface DurableSink extends Sink {
  /** Resolves when every stanza held so far has left (or been dropped): a clean stop waits for it. */
  drain(): Promise<void>;
}

interface Batch {
  stanzas: [Element, string | undefined][];
  /** The stanzas' evidence appends: the WAIT follows them too, so a failover cannot take back the record of a stanza that left. */
  records: Promise<unknown>[];
  written: (() => void)[];
  done: Promise<void>;
}

export function createDurableSink(link: () => Sink | undefined, sync: () => Promise<boolean>, log: Pick<Logger, 'warn'>): DurableSink {
  let last: Batch | undefined; // the newest batch still held
  let open: Batch | undefined; // the batch this turn adds to
  let dropped = 0;

  function release(b: Batch, deliver: boolean): void {
    if (last === b) last = undefined;
    if (!deliver) {
      dropped += b.stanzas.length;
      return;
    }
    const out = link();
    for (const [s, x] of b.stanzas) out?.send(s, x);
    if (out) for (const fn of b.written) out.whenWritten(fn);
  }

  function start(): Batch {
    const prev = last;
    const b: Batch = { stanzas: [], records: [], written: [], done: Promise.resolve() };
    // The batch closes at the end of this turn, and only then is its WAIT requested (sent even
    // later), so it follows every write the batch's stanzas were built on.
    const synced = new Promise<boolean>((resolve) =>
      setImmediate(() => {
        if (open === b) open = undefined;
        // After the appends (failed ones too: with Redis gone the WAIT fails as well, and nothing leaves).
        Promise.allSettled(b.records)
          .then(() => sync())
          .then(
            () => resolve(true),
            (err: Error) => {
              if (err.name === 'ReplyError') log.warn({ err: err.message }, 'WAIT refused by Redis: stanzas leave without it');
              resolve(err.name === 'ReplyError');
            },
          );
      }),
    );
    b.done = Promise.all([synced, prev?.done]).then(([deliver]) => {
      release(b, deliver);
      if (!deliver && b.stanzas.length)
        log.warn({ stanzas: b.stanzas.length, total: dropped }, 'Redis lost before the replicas confirmed: stanzas dropped');
    });
    last = b;
    open = b;
    return b;
  }

  return {
    send(stanza, serialized, recorded) {
      if (stanza.attrs.type === 'error') return link()?.send(stanza, serialized);
      const b = open ?? start();
      b.stanzas.push([stanza, serialized]);
      if (recorded) b.records.push(recorded);
    },
    whenWritten(fn) {
      if (last) last.written.push(fn);
      else link()?.whenWritten(fn);
    },
    drain: () => last?.done ?? Promise.resolve(),
  };
}

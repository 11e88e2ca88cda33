/**
 * The XEP-0114 link to the server, with exponential-backoff reconnect.
 * Hot standby (issue 19): a server gives a component domain to one connection at a time. Prosody
 * (mod_component, `component_conflict_resolve = "kick_new"`, its default) accepts a second
 * connection's handshake, then closes its stream with the stream error `conflict` ("Component
 * already connected", RFC 6120 §4.9.3.3). Such an instance is a standby: it retries on a short
 * jittered backoff (STANDBY_BACKOFF) and takes over as soon as the active one's link is gone.
 * References: https://xmpp.org/extensions/xep-0114.html, https://www.rfc-editor.org/rfc/rfc6120#section-4.9.3.3
 */
import { backoffDelay } from '../lib/backoff.js';
import { Component } from '@xmpp/component-core';
import { decodeUtf8Incrementally } from './utf8-decoding.js';
import type { Element } from '../protocol/xml.js';
import type { Logger } from 'pino';

export interface ComponentLinkOptions {
  service: string;
  domain: string;
  secret: string;
  log: Logger;
  onStanza: (stanza: Element) => void;
  /** Called after every (re)connection, e.g. to probe operators. */
  onOnline: () => void;
  /** The link dropped (not on stop): what was written just before may not have been routed. */
  onOffline?: () => void;
  /**
   * Several active instances on ejabberd (issue 19 §3, slots.ts): asked before each attempt; false:
   * no slot of the server's is free for this link yet, ask again shortly instead of connecting.
   */
  claim?: () => Promise<boolean>;
  /** The stream is gone (dropped, refused, or stopped): the slot this link held is free again. */
  onClosed?: () => void;
  /** False: a link that is not tried again once it is gone (an adopted slot, slots.ts). Default true. */
  reconnect?: boolean;
}

export interface ComponentLink {
  /** `serialized`: the stanza's XML when the caller has it already (one serialization for the socket and the evidence record). */
  send(stanza: Element, serialized?: string): void;
  /** Runs `fn` when the stanzas queued so far are written to the socket; never if they are dropped. */
  whenWritten(fn: () => void): void;
  isOnline(): boolean;
  /** The server refused the last attempt with `conflict`: another instance holds the domain. */
  isStandby(): boolean;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Drops the stream and connects again (with the claim): the server gave this link no slot (slot-check.ts). */
  restart(): void;
}

/** How long the server may take to answer the stream header and the handshake (XEP-0114 §3). */
const HANDSHAKE_TIMEOUT_MS = 10_000;
/** Reconnect delays: 250 ms doubling to 30 s, jittered (lib/backoff.ts). */
const BACKOFF = { baseMs: 250, maxMs: 30_000 };
/**
 * Retries while another instance holds the domain: 250 ms doubling to 2 s, jittered (so at most
 * 2 s after the active one's link is gone, 1.5 s on average, the standby is in). Each refused
 * attempt costs the server one TCP connection, a handshake and an error line in its log.
 */
const STANDBY_BACKOFF = { baseMs: 250, maxMs: 2000 };
/** Asking the slot book again while every slot is held (a returning instance waits for the hand-back). */
const CLAIM_RETRY_MS = 50;

export function createComponentLink(opts: ComponentLinkOptions): ComponentLink {
  // Each TCP read is not a whole number of characters: decode the stream, not the chunks.
  const entity = decodeUtf8Incrementally(new Component({ service: opts.service, domain: opts.domain }));
  const { log } = opts;
  let stopping = false;
  let attempt = 0;
  /** Refused with `conflict` last time (and how often in a row): standing by. */
  let standby = false;
  let refused = false; // this attempt's stream error was `conflict`
  let wasOnline = false; // this attempt got online (e.g. replaced later under `kick_old`)
  let standbyAttempt = 0;
  let timer: NodeJS.Timeout | undefined;

  /**
   * Everything sent in one event-loop turn leaves as one socket write, grouped by recipient
   * (each recipient's stanzas keep their order; RFC 6120 §10.1 orders per sender and recipient).
   * One native write per stanza was the component's top self-time (BENCHMARKS.md F4), and
   * stanzas for one client spread over the stream cost Prosody a read, a write and two epoll
   * calls each, where a client's burst kept together costs it one of each (F8).
   */
  const outbox = new Map<string, string[]>();
  let flushing = false;
  /** Waiting for this turn's write (whenWritten): the socket's callback says the kernel has it. */
  let written: (() => void)[] = [];
  function flush(): void {
    flushing = false;
    let out = '';
    for (const stanzas of outbox.values()) out += stanzas.join('');
    outbox.clear();
    const done = written;
    written = [];
    if (entity.status !== 'online') return void log.warn({ bytes: out.length }, 'dropping queued stanzas: the link went down');
    entity.write(out).then(
      () => {
        for (const fn of done) fn();
      },
      (err: Error) => log.warn({ err: err.message }, 'send failed'),
    );
  }
  function queue(to: string, xml: string): void {
    const forRecipient = outbox.get(to);
    if (forRecipient) forRecipient.push(xml);
    else outbox.set(to, [xml]);
    if (!flushing) {
      flushing = true;
      setImmediate(flush);
    }
  }

  // A busy server answers the handshake late (ejabberd on 2 loaded cores: > 2 s, component-core's default).
  entity.timeout = HANDSHAKE_TIMEOUT_MS;
  entity.on('open', async (header: Element) => {
    try {
      await entity.authenticate(String(header.attrs.id), opts.secret);
    } catch (err) {
      if ((err as { condition?: string }).condition === 'conflict') return; // standing by: logged on 'error'
      log.error({ err: (err as Error).message }, 'component handshake failed (check component.secret); reconnecting');
      // Never half open: drop the stream, and 'disconnect' tries again with back-off.
      entity.disconnect().catch(() => undefined);
    }
  });
  entity.on('connect', () => entity.socket?.setNoDelay(true)); // Nagle stalls back-to-back writes ~40 ms
  entity.on('online', () => {
    attempt = 0;
    if (standby) log.info({ domain: opts.domain, refused: standbyAttempt }, 'standby taking over: the domain is free');
    standby = false;
    standbyAttempt = 0;
    wasOnline = true;
    log.info({ domain: opts.domain }, 'component online');
    opts.onOnline();
  });
  entity.on('stanza', (stanza: Element) => opts.onStanza(stanza));
  entity.on('error', (err: Error & { condition?: string }) => {
    if (err.condition === 'conflict') refused = true;
    else if (refused)
      log.debug({ err: err.message }, 'refused connection closed'); // e.g. ECONNRESET as the server hangs up
    else log.warn({ err: err.message }, 'xmpp connection error');
  });
  entity.on('disconnect', () => {
    opts.onClosed?.(); // a claimed attempt that failed frees its claim too
    if (stopping) return;
    if (opts.reconnect === false) {
      stopping = true;
      if (wasOnline) opts.onOffline?.();
      return void log.warn({ domain: opts.domain }, 'adopted link closed');
    }
    if (refused && !standby)
      log.info({ domain: opts.domain }, 'standby: another instance holds the domain (stream error conflict); waiting to take over');
    standby = refused;
    refused = false;
    if (wasOnline) opts.onOffline?.(); // never online (refused): nothing of ours was in flight
    wasOnline = false;
    if (standby) {
      clearTimeout(timer);
      timer = setTimeout(connect, backoffDelay(standbyAttempt++, STANDBY_BACKOFF));
      return;
    }
    standbyAttempt = 0;
    const delay = backoffDelay(attempt++, BACKOFF);
    log.warn({ delayMs: delay }, 'component disconnected; reconnecting');
    clearTimeout(timer);
    timer = setTimeout(connect, delay);
  });

  async function connect(): Promise<void> {
    if (stopping) return;
    if (opts.claim) {
      const granted = await opts.claim().catch((err: Error) => {
        log.warn({ err: err.message }, 'slot book unreachable: connecting anyway');
        return true;
      });
      if (stopping) return;
      if (!granted) {
        clearTimeout(timer);
        timer = setTimeout(connect, CLAIM_RETRY_MS);
        return;
      }
    }
    try {
      await entity.connect(opts.service);
      await entity.open({ domain: opts.domain });
    } catch (err) {
      // A failed connect also emits 'disconnect' when the socket closes; schedule here otherwise.
      if (entity.status !== 'disconnect' && !stopping) {
        if (opts.reconnect === false) {
          stopping = true;
          opts.onClosed?.();
          return void log.warn({ err: (err as Error).message }, 'adopted link failed to connect');
        }
        clearTimeout(timer);
        timer = setTimeout(connect, backoffDelay(attempt++, BACKOFF));
      }
      log.debug({ err: (err as Error).message }, 'connect attempt failed');
    }
  }

  return {
    send(stanza, serialized) {
      if (entity.status !== 'online') {
        log.warn({ to: stanza.attrs.to, name: stanza.name }, 'dropping stanza while offline');
        return;
      }
      queue(String(stanza.attrs.to ?? ''), serialized ?? stanza.toString());
    },
    whenWritten(fn) {
      if (flushing) written.push(fn); // else nothing is queued: what was sent is written or dropped
    },
    isOnline: () => entity.status === 'online',
    isStandby: () => standby,
    start: connect,
    restart() {
      if (!stopping) entity.disconnect().catch(() => undefined);
    },
    async stop() {
      stopping = true;
      clearTimeout(timer);
      if (outbox.size > 0) flush(); // what this turn queued still leaves before </stream>
      try {
        await entity.stop();
      } catch {
        /* already closed */
      }
    },
  };
}

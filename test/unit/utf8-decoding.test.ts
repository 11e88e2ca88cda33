/**
 * Issue 14 item 1: characters split across TCP reads must arrive whole. A loopback server plays
 * the XMPP server and cuts a stanza with multibyte text at every byte boundary (and byte by
 * byte); the stanza parsed on the other side must hold exactly the text sent. First through
 * xmpp.js's own TCP connection with the decoder installed (the path of the test clients), with
 * each cut a separate read for certain, then through the component's real link
 * (component/xmpp/connection.ts), across a reconnect that drops a half-received character.
 */
import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { createRequire } from 'node:module';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createComponentLink, type ComponentLink } from '../../component/xmpp/connection.js';
import { decodeUtf8Incrementally } from '../../component/xmpp/utf8-decoding.js';
import type { Element } from '../../component/protocol/xml.js';

const require = createRequire(import.meta.url);
const ConnectionTCP = require('@xmpp/connection-tcp') as new (o: {
  service: string;
  domain: string;
}) => {
  socket: Socket | null;
  on(event: string, fn: (...a: never[]) => void): void;
  connect(service: string): Promise<void>;
  open(o: { domain: string }): Promise<Element>;
  disconnect(): Promise<void>;
};

// CJK, astral CJK, emoji ZWJ sequences and a flag, skin tone, combining marks (Latin,
// Vietnamese, Devanagari), RTL (Arabic, Hebrew, with an RLM), and XML's own escapes.
const TEXT = '題名受付 𠮷 👩‍👩‍👧‍👦 🏳️‍🌈 👋🏽 e\u0301 e\u0323\u0302 क्षि مرحبا \u200Fשלום ß Ж 𝄞 &<>';
const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const stanza = (id: string) =>
  Buffer.from(
    `<message from='c@guest.localhost/w' to='t1-abcd@support.localhost' type='chat' id='${id}'><body>${escapeXml(TEXT)}</body></message>`,
  );
const SERVER_HEADER = `<?xml version='1.0'?><stream:stream xmlns:stream='http://etherx.jabber.org/streams' xmlns='jabber:component:accept' id='s1' from='support.localhost'>`;

/** Every way to cut `bytes` in two, then byte by byte. */
function* cuts(bytes: Buffer): Generator<Buffer[]> {
  for (let i = 1; i < bytes.length; i++) yield [bytes.subarray(0, i), bytes.subarray(i)];
  yield [...bytes].map((b) => Buffer.from([b]));
}

/** A server on loopback that answers any stream header and XEP-0114 handshake; yields its sockets. */
async function startServer(): Promise<{ server: Server; port: number; next(): Promise<Socket> }> {
  const waiting: ((s: Socket) => void)[] = [];
  const ready: Socket[] = [];
  const server = createServer((socket) => {
    socket.setNoDelay(true);
    let seen = '';
    socket.on('data', (d: Buffer) => {
      seen += d.toString('latin1');
      if (seen.includes('<stream:stream')) {
        seen = seen.slice(seen.indexOf('<stream:stream') + 1);
        socket.write(SERVER_HEADER);
      }
      if (seen.includes('</handshake>')) {
        seen = '';
        socket.write('<handshake/>');
      }
    });
    socket.on('error', () => undefined);
    const w = waiting.shift();
    if (w) w(socket);
    else ready.push(socket);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  return {
    server,
    port,
    next: () =>
      new Promise((resolve) => {
        const s = ready.shift();
        if (s) resolve(s);
        else waiting.push(resolve);
      }),
  };
}

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

describe('incremental UTF-8 decoding', () => {
  it('an xmpp.js TCP connection with the decoder parses every cut of a multibyte stanza into the exact text', async () => {
    const { server, port, next } = await startServer();
    cleanup.push(async () => {
      server.close();
    });
    const conn = decodeUtf8Incrementally(new ConnectionTCP({ service: `xmpp://127.0.0.1:${port}`, domain: 'support.localhost' }));
    const received: Element[] = [];
    conn.on('element', (el: Element) => received.push(el));
    await conn.connect(`xmpp://127.0.0.1:${port}`);
    const peer = await next();
    await conn.open({ domain: 'support.localhost' });
    cleanup.push(async () => {
      peer.destroy();
    });
    // Count what the client socket has read, so each piece below is its own read.
    let read = 0;
    conn.socket!.on('data', (d: Buffer | string) => {
      read += Buffer.byteLength(d);
    });
    const readSoFar = () => read;
    const base = readSoFar();
    let sent = 0;
    let n = 0;
    for (const pieces of cuts(stanza('x'))) {
      for (const piece of pieces) {
        peer.write(piece);
        sent += piece.length;
        while (readSoFar() - base < sent) await new Promise((r) => setImmediate(r));
      }
      n++;
    }
    while (received.length < n) await new Promise((r) => setImmediate(r));
    expect(received).toHaveLength(n);
    const bodies = received.map((el) => el.getChildText('body'));
    expect(bodies.filter((b) => b !== TEXT)).toEqual([]);
  });

  it("the component's link parses every cut exactly, and a new socket after a reconnect starts clean", async () => {
    const { server, port, next } = await startServer();
    cleanup.push(async () => {
      server.close();
    });
    const stanzas: Element[] = [];
    let online = 0;
    const link: ComponentLink = createComponentLink({
      service: `xmpp://127.0.0.1:${port}`,
      domain: 'support.localhost',
      secret: 's',
      log: pino({ level: 'silent' }),
      onStanza: (el) => stanzas.push(el),
      onOnline: () => {
        online++;
      },
    });
    cleanup.push(() => link.stop());
    void link.start();
    let peer = await next();
    while (online < 1) await new Promise((r) => setTimeout(r, 5));
    let n = 0;
    for (const pieces of cuts(stanza(`c${n}`))) {
      for (const piece of pieces) {
        peer.write(piece);
        await new Promise((r) => setTimeout(r, 1)); // loopback: the piece is read before the next is written
      }
      n++;
    }
    while (stanzas.length < n) await new Promise((r) => setTimeout(r, 5));
    expect(stanzas.map((el) => el.getChildText('body')).filter((b) => b !== TEXT)).toEqual([]);

    // Half a character, then the socket dies: the next socket must not inherit those bytes.
    const emoji = Buffer.from('👩');
    peer.write(Buffer.concat([stanza('half').subarray(0, stanza('half').indexOf('<body>') + 6), emoji.subarray(0, 2)]));
    await new Promise((r) => setTimeout(r, 20));
    peer.destroy();
    peer = await next();
    while (online < 2) await new Promise((r) => setTimeout(r, 5));
    const after = stanza('after');
    peer.write(after.subarray(0, 3));
    await new Promise((r) => setTimeout(r, 5));
    peer.write(after.subarray(3));
    while (stanzas.length < n + 1) await new Promise((r) => setTimeout(r, 5));
    const last = stanzas[stanzas.length - 1]!;
    expect(last.attrs.id).toBe('after');
    expect(last.getChildText('body')).toBe(TEXT);
    cleanup.push(async () => {
      peer.destroy();
    });
  });
});

/**
 * A lean c2s client over raw TCP: SASL PLAIN (loopback, no TLS; Prosody verifies it against
 * the hashed credentials) or ANONYMOUS, resource binding, optional roster fetch and initial
 * presence. After login the bench writes pre-serialized stanza strings straight to the socket.
 * References: RFC 6120 §§4–7, RFC 6121 §2.1.6 (fetch the roster before presence).
 */
import { connect } from 'node:net';
import { once } from 'node:events';
import { nowUs } from './marks.js';
import { createSplitter } from './splitter.js';
import { bindRequest, boundJid, createSink, escapeXml, isFeatures, isResult, isSaslOutcome, NS_SASL, type BenchConn } from './conn.js';

export interface TcpLogin {
  port: number;
  domain: string;
  /** Omit for SASL ANONYMOUS. */
  user?: string;
  password?: string;
  resource?: string;
  roster?: boolean;
  presence?: boolean;
  timeoutMs?: number;
}

const header = (domain: string) =>
  `<?xml version='1.0'?><stream:stream to='${escapeXml(domain)}' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>`;

export async function connectTcp(o: TcpLogin): Promise<BenchConn> {
  const timeoutMs = o.timeoutMs ?? 15_000;
  const socket = connect({ port: o.port, host: '127.0.0.1' });
  socket.setNoDelay(true);
  socket.setEncoding('utf8');
  const { conn, take } = createSink(
    (raw) => {
      if (!socket.destroyed) socket.write(raw);
    },
    () => {
      if (socket.destroyed) return;
      socket.end('</stream:stream>');
      setTimeout(() => socket.destroy(), 500).unref();
    },
    'c2s',
  );
  conn.writeDrained = async (raw) => {
    if (!socket.destroyed && !socket.write(raw)) await Promise.race([once(socket, 'drain'), once(socket, 'close')]);
  };
  let streamOpened: (() => void) | undefined;
  let now = 0;
  const push = createSplitter({
    header: () => streamOpened?.(),
    stanza: (raw) => take(raw, now),
    close: () => socket.end(),
  });
  socket.on('data', (chunk: string) => {
    now = nowUs();
    push(chunk);
  });
  socket.on('close', () => {
    conn.closed = true;
  });
  socket.on('error', () => {
    conn.closed = true;
  });

  const opened = () =>
    new Promise<void>((resolve) => {
      streamOpened = resolve;
    });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    let open = opened();
    conn.write(header(o.domain));
    await open;
    await conn.next(isFeatures, 'stream features', timeoutMs);
    if (o.user) {
      const plain = Buffer.from(`\0${o.user}\0${o.password ?? o.user}`).toString('base64');
      conn.write(`<auth xmlns='${NS_SASL}' mechanism='PLAIN'>${plain}</auth>`);
    } else {
      conn.write(`<auth xmlns='${NS_SASL}' mechanism='ANONYMOUS'/>`);
    }
    const outcome = await conn.next(isSaslOutcome, 'SASL outcome', timeoutMs);
    if (outcome.name !== 'success') throw new Error(`SASL failed for ${o.user ?? 'anonymous'}@${o.domain}: ${outcome.toString()}`);
    open = opened();
    conn.write(header(o.domain));
    await open;
    await conn.next(isFeatures, 'stream features after SASL', timeoutMs);
    conn.write(bindRequest(o.resource, 'bind'));
    conn.jid = boundJid(await conn.next(isResult('bind'), 'bind result', timeoutMs));
    if (o.roster) {
      conn.write(`<iq type='get' id='roster'><query xmlns='jabber:iq:roster'/></iq>`);
      await conn.next(isResult('roster'), 'roster', timeoutMs);
    }
    if (o.presence ?? true) conn.write('<presence/>');
    // A round trip on the same stream: the presence is in effect once the answer arrives
    // (otherwise a message racing it lands in offline storage).
    conn.write(`<iq type='get' id='sync'><ping xmlns='urn:xmpp:ping'/></iq>`);
    await conn.next(isResult('sync'), 'sync ping', timeoutMs);
    return conn;
  } catch (err) {
    socket.destroy();
    throw err;
  }
}

/**
 * A lean anonymous customer over XMPP-over-WebSocket (one stanza per frame, so no splitting).
 * References: RFC 7395 (framing, <open/>/<close/>), XEP-0175 (SASL ANONYMOUS).
 */
import WebSocket from 'ws';
import { nowUs } from './marks.js';
import { bindRequest, boundJid, createSink, isFeatures, isResult, isSaslOutcome, NS_SASL, type BenchConn } from './conn.js';

const NS_FRAMING = 'urn:ietf:params:xml:ns:xmpp-framing';
const STANZA_START = /^<(message|presence|iq)(?=[\s/>])(?![^>]*xmlns=)/;
const QUALIFIED = "<$1 xmlns='jabber:client'";

export async function connectWs(o: { port: number; domain: string; timeoutMs?: number; presence?: boolean }): Promise<BenchConn> {
  const timeoutMs = o.timeoutMs ?? 20_000;
  const ws = new WebSocket(`ws://127.0.0.1:${o.port}/xmpp-websocket`, 'xmpp', { perMessageDeflate: false });
  const { conn, take } = createSink(
    // One stanza per frame, qualified: Prosody's mod_websocket refuses an unqualified <message/>.
    (raw) => {
      if (ws.readyState === WebSocket.OPEN) ws.send(raw.replace(STANZA_START, QUALIFIED));
    },
    () => {
      if (ws.readyState === WebSocket.OPEN) ws.send(`<close xmlns='${NS_FRAMING}'/>`);
      setTimeout(() => ws.terminate(), 300).unref();
    },
    'ws',
  );
  let opened: (() => void) | undefined;
  const waitOpen = () =>
    new Promise<void>((resolve) => {
      opened = resolve;
    });
  ws.on('message', (data: Buffer) => {
    const raw = data.toString();
    if (raw.startsWith('<open')) return opened?.();
    if (raw.startsWith('<close')) return void ws.close();
    take(raw, nowUs());
  });
  ws.on('close', () => {
    conn.closed = true;
  });
  ws.on('error', () => {
    conn.closed = true;
  });
  const open = `<open xmlns='${NS_FRAMING}' to='${o.domain}' version='1.0'/>`;
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('WebSocket connect timed out')), timeoutMs);
      ws.once('open', () => {
        clearTimeout(timer);
        resolve();
      });
      ws.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
    let o1 = waitOpen();
    conn.write(open);
    await o1;
    await conn.next(isFeatures, 'stream features', timeoutMs);
    conn.write(`<auth xmlns='${NS_SASL}' mechanism='ANONYMOUS'/>`);
    const outcome = await conn.next(isSaslOutcome, 'SASL outcome', timeoutMs);
    if (outcome.name !== 'success') throw new Error(`SASL ANONYMOUS failed: ${outcome.toString()}`);
    o1 = waitOpen();
    conn.write(open);
    await o1;
    await conn.next(isFeatures, 'stream features after SASL', timeoutMs);
    conn.write(bindRequest(undefined, 'bind'));
    conn.jid = boundJid(await conn.next(isResult('bind'), 'bind result', timeoutMs));
    if (o.presence ?? true) conn.write('<presence/>');
    return conn;
  } catch (err) {
    ws.terminate();
    throw err;
  }
}

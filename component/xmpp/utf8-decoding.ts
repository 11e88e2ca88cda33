/**
 * Incremental UTF-8 decoding for xmpp.js 0.13 connections (component, and the test clients).
 *
 * @xmpp/connection 0.13.3 decodes each socket chunk on its own (`_onData`: `data.toString('utf8')`),
 * so a character whose bytes straddle two TCP reads turns into U+FFFD replacement characters
 * (issue 14 item 1; Openfire's OF-2814 is the same bug). The stream is UTF-8 as a whole
 * (RFC 6120 §11.6), not chunk by chunk.
 *
 * This wraps the connection's `_attachSocket`, which runs for every socket it uses (first
 * connect, each reconnect, a STARTTLS upgrade) before that socket is connected, so no byte can
 * reach the old listener: the socket's 'data' listener is swapped for one that feeds a
 * `StringDecoder` of that socket's own (a partial character waits for its next bytes; a new
 * socket never inherits another's leftovers) and passes the complete text on, in order, to
 * `_onData`. Strings (WebSocket frames, always whole) pass through unchanged.
 * References: https://www.rfc-editor.org/rfc/rfc6120#section-11.6
 */
import type { EventEmitter } from 'node:events';
import { StringDecoder } from 'node:string_decoder';

type Listener = (...args: unknown[]) => void;
interface Connection013 {
  socket: unknown;
  socketListeners: Record<string, Listener>;
  _attachSocket(socket: EventEmitter): void;
}

/** Installs the decoder on an xmpp.js 0.13 Connection (Component, Client); call it before connecting. */
export function decodeUtf8Incrementally<T extends object>(entity: T): T {
  const connection = entity as unknown as Connection013;
  const attach = connection._attachSocket;
  if (typeof attach !== 'function' || typeof connection.socketListeners !== 'object') {
    throw new TypeError('decodeUtf8Incrementally: not an xmpp.js 0.13 connection');
  }
  if (connection.socket) throw new Error('decodeUtf8Incrementally: install it before the connection has a socket');
  connection._attachSocket = function attachSocketDecoding(this: Connection013, socket: EventEmitter) {
    attach.call(this, socket);
    const onData = this.socketListeners.data;
    if (!onData) return;
    const decoder = new StringDecoder('utf8');
    const decoded: Listener = (chunk) => {
      const text = typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer);
      if (text) onData(text);
    };
    socket.removeListener('data', onData);
    this.socketListeners.data = decoded; // _detachSocket removes this one
    socket.on('data', decoded);
  };
  return entity;
}

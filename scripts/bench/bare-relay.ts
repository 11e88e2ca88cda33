/**
 * The bench's "bare relay": the least any XEP-0114 component can do to relay a chat message —
 * rewrite two addresses and write the stanza back — with no parsing, state or log. Measured on
 * the same Prosody as the gateway, it is the ceiling for any component on this server (issue 6:
 * "a relayed message crosses Prosody twice"), so the report can say how much of the gap to the
 * direct path is Prosody's and how much is ours.
 *
 * Run as its own process (its CPU is reported like the component's):
 *   node --import tsx scripts/bench/bare-relay.ts <port> <secret> <relay domain> <user domain>
 * With BENCH_RELAY_PARSE=ltx in its environment it parses the stream with the gateway's own XML
 * toolkit instead (@xmpp/xml's Parser over ltx, as @xmpp/component-core does), re-addresses each
 * message Element and serialises it with ltx: what a component built on that toolkit pays before
 * doing anything of its own (issue 21, BENCHMARKS F23).
 * A message from `a@<user domain>/r` to `b@<relay domain>` goes out from `a@<relay domain>`
 * to `b@<user domain>`. Everything else is ignored (XEP-0114 §3: no error owed to a bench).
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { createSplitter } from './splitter.js';

const [portText, secret, relayDomain, userDomain] = process.argv.slice(2) as [string, string, string, string];
if (!portText || !secret || !relayDomain || !userDomain) {
  console.error('usage: bare-relay.ts <port> <secret> <relay domain> <user domain>');
  process.exit(2);
}

const ADDRESS = /\s(from|to)=(['"])([^'"]*)\2/g;
const localOf = (jid: string) => jid.slice(0, jid.indexOf('@'));

/** The opening tag with from/to swapped onto the other domain; the rest of the stanza as is. */
function rewrite(stanza: string): string | undefined {
  const end = stanza.indexOf('>');
  if (end === -1) return undefined;
  let from = '';
  let to = '';
  const head = stanza.slice(0, end).replace(ADDRESS, (_m, name: string, _q: string, value: string) => {
    if (name === 'from') from = value;
    else to = value;
    return '';
  });
  if (!from.includes('@') || !to.includes('@')) return undefined;
  return `${head} from='${localOf(from)}@${relayDomain}' to='${localOf(to)}@${userDomain}'${stanza.slice(end)}`;
}

interface LtxElement {
  name: string;
  attrs: Record<string, string>;
  toString(): string;
}
/** BENCH_RELAY_PARSE=ltx: after the handshake, the stream goes through @xmpp/xml's Parser. */
function ltxParser(): ((chunk: string) => void) | undefined {
  if (process.env.BENCH_RELAY_PARSE !== 'ltx') return undefined;
  const { Parser } = createRequire(import.meta.url)('@xmpp/xml') as {
    Parser: new () => { on(event: 'element', fn: (el: LtxElement) => void): void; write(s: string): void };
  };
  const parser = new Parser();
  parser.on('element', (el) => {
    if (el.name !== 'message' || !el.attrs.from?.includes('@') || !el.attrs.to?.includes('@')) return;
    el.attrs.from = `${localOf(el.attrs.from)}@${relayDomain}`;
    el.attrs.to = `${localOf(el.attrs.to)}@${userDomain}`;
    out += el.toString();
  });
  parser.write("<stream:stream xmlns='jabber:component:accept' xmlns:stream='http://etherx.jabber.org/streams'>");
  return (chunk) => parser.write(chunk);
}

const socket = connect({ host: '127.0.0.1', port: Number(portText), noDelay: true });
socket.setEncoding('utf8');
let ready = false;
let out = '';
let parse: ((chunk: string) => void) | undefined;
const push = createSplitter({
  header(raw) {
    const id = /\sid=(['"])([^'"]+)\1/.exec(raw)?.[2] ?? '';
    // XEP-0114 §2: the handshake is hex SHA-1 of the stream id followed by the secret.
    socket.write(
      `<handshake>${createHash('sha1')
        .update(id + secret)
        .digest('hex')}</handshake>`,
    );
  },
  stanza(raw) {
    if (!ready) {
      if (raw.startsWith('<handshake')) {
        ready = true;
        parse = ltxParser();
        console.log(`bare relay ready${parse ? ' (parsing with @xmpp/xml + ltx)' : ''}`);
      } else {
        console.error(`handshake refused: ${raw}`);
        process.exit(1);
      }
      return;
    }
    if (!raw.startsWith('<message')) return;
    const copy = rewrite(raw);
    if (copy) out += copy;
  },
  close() {
    process.exit(0);
  },
});
socket.on('data', (chunk: string) => {
  if (parse) parse(chunk);
  else push(chunk);
  // One write per chunk read, as the component writes once per event-loop turn.
  if (out) {
    socket.write(out);
    out = '';
  }
});
socket.on('connect', () => {
  socket.write(
    `<?xml version='1.0'?><stream:stream xmlns='jabber:component:accept' xmlns:stream='http://etherx.jabber.org/streams' to='${relayDomain}'>`,
  );
});
socket.on('error', (err) => {
  console.error(`bare relay: ${err.message}`);
  process.exit(1);
});
process.on('SIGTERM', () => {
  socket.end('</stream:stream>');
  process.exit(0);
});

/**
 * What any component built on the gateway's XML toolkit pays per relayed message before it does
 * anything of its own (issue 21: "if parsing/serialising alone is near or above 20 µs, the target
 * is physically impossible"). In one process, no sockets, no Redis, no Prosody:
 * - `splitter`: the bare relay's own work (scripts/bench/bare-relay.ts: cut the stream into
 *   stanzas with indexOf, rewrite two addresses with a regex);
 * - `parse`: the component's parser (@xmpp/xml's Parser over ltx, as @xmpp/component-core runs it),
 *   the stream fed in 4 KiB chunks as Prosody writes it, stanzas built into ltx Elements;
 * - `parse+copy+serialise`: that, plus the relayed copy built as component/protocol/relay-copy.ts
 *   builds it and serialised once (ltx toString), which is the least the gateway can do.
 *   node --import tsx scripts/bench/parse-cost.ts [messages=200000] [rounds=5]
 * Prints CPU µs per message (process.cpuUsage, user+system) per variant, median over rounds.
 */
import { createRequire } from 'node:module';
import { relayCopy } from '../../component/protocol/relay-copy.js';
import type { Element } from '../../component/protocol/xml.js';
import { markedMessage } from './marks.js';
import { createSplitter } from './splitter.js';

const require = createRequire(import.meta.url);
const { Parser } = require('@xmpp/xml') as { Parser: new () => NodeJS.EventEmitter & { write(s: string): void } };

const N = Number(process.argv[2] ?? 200_000);
const ROUNDS = Number(process.argv[3] ?? 5);
const CHUNK = 4096;

/** The stream as Prosody writes it to a component: full addresses, in 4 KiB reads. */
function streamChunks(n: number): string[] {
  let text = '';
  for (let i = 0; i < n; i++)
    text += markedMessage(`t${i % 64}-k7q3@support.localhost`, i % 64, 1_000_000 + i).replace(
      '<message ',
      `<message from='guest${i % 64}@guest.localhost/res${i % 64}' id='m${i}' xml:lang='en' `,
    );
  const chunks: string[] = [];
  for (let at = 0; at < text.length; at += CHUNK) chunks.push(text.slice(at, at + CHUNK));
  return chunks;
}

const HEADER =
  "<stream:stream xmlns='jabber:component:accept' xmlns:stream='http://etherx.jabber.org/streams' id='x' from='support.localhost'>";

type Variant = (chunks: readonly string[]) => number;

const ADDRESS = /\s(from|to)=(['"])([^'"]*)\2/g;
const splitterOnly: Variant = (chunks) => {
  let out = 0;
  const push = createSplitter({
    header() {},
    stanza(raw) {
      const end = raw.indexOf('>');
      const head = raw.slice(0, end).replace(ADDRESS, '');
      out += head.length + raw.length - end;
    },
    close() {},
  });
  push(HEADER);
  for (const c of chunks) push(c);
  return out;
};

function ltxVariant(copy: boolean): Variant {
  return (chunks) => {
    const parser = new Parser();
    let out = 0;
    parser.on('element', (el: Element) => {
      if (!copy) {
        out++;
        return;
      }
      out += relayCopy(el, 'support@support.localhost/Op1', 'guest1@guest.localhost/res1').toString().length;
    });
    parser.write(HEADER);
    for (const c of chunks) parser.write(c);
    return out;
  };
}

const VARIANTS: [string, Variant][] = [
  ['splitter + address rewrite (the bare relay)', splitterOnly],
  ['@xmpp/xml parse into ltx Elements', ltxVariant(false)],
  ['parse + relay copy + one toString (the least the gateway does)', ltxVariant(true)],
];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

const chunks = streamChunks(N);
const results = new Map<string, number[]>();
for (let round = 0; round < ROUNDS + 1; round++) {
  for (const [name, run] of VARIANTS) {
    const c0 = process.cpuUsage();
    run(chunks);
    const c = process.cpuUsage(c0);
    if (round === 0) continue; // JIT warm-up
    const list = results.get(name) ?? [];
    list.push((c.user + c.system) / N);
    results.set(name, list);
  }
}
console.log(`${N} messages of ${Math.round(chunks.join('').length / N)} bytes, ${ROUNDS} rounds after one warm-up, CPU µs per message:`);
for (const [name, xs] of results)
  console.log(`  ${name}: median ${median(xs).toFixed(2)} µs (rounds ${xs.map((x) => x.toFixed(2)).join(', ')})`);

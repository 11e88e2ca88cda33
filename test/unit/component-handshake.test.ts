/**
 * A XEP-0114 handshake that fails (the server answers late, or with something else) must not
 * leave the link half open for ever: it is dropped and retried with back-off. Seen on ejabberd
 * under load: its <handshake/> came after @xmpp/component-core's 2 s, and the component never
 * came online. A loopback server plays the XMPP server's component port.
 */
import { createServer, type Socket } from 'node:net';
import { pino } from 'pino';
import { afterEach, expect, it } from 'vitest';
import { createComponentLink, type ComponentLink } from '../../component/xmpp/connection.js';

const HEADER = (id: string) =>
  `<?xml version='1.0'?><stream:stream xmlns:stream='http://etherx.jabber.org/streams' xmlns='jabber:component:accept' id='${id}' from='support.localhost'>`;

let link: ComponentLink | undefined;
const sockets: Socket[] = [];
const server = createServer();
afterEach(async () => {
  await link?.stop();
  for (const s of sockets) s.destroy();
  await new Promise((r) => server.close(r));
});

it('a failed handshake drops the connection and tries again: the second connection comes online', async () => {
  let connections = 0;
  server.on('connection', (sock) => {
    sockets.push(sock);
    const n = ++connections;
    sock.on('data', (d) => {
      const text = d.toString();
      if (text.includes('<stream:stream')) sock.write(HEADER(`s${n}`));
      // The first handshake gets something that is not <handshake/>: component-core throws.
      if (text.includes('<handshake')) sock.write(n === 1 ? "<iq type='get' id='x1'/>" : '<handshake/>');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const online = new Promise<void>((resolve) => {
    link = createComponentLink({
      service: `xmpp://127.0.0.1:${port}`,
      domain: 'support.localhost',
      secret: 's',
      log: pino({ level: 'silent' }),
      onStanza: () => undefined,
      onOnline: resolve,
    });
  });
  await link!.start();
  await Promise.race([online, new Promise((_, reject) => setTimeout(() => reject(new Error('never came online')), 5000))]);
  expect(connections).toBe(2);
  expect(link!.isOnline()).toBe(true);
});

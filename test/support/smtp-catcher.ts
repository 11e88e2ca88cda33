/**
 * A real SMTP server on a loopback port for the mail tests (issue 17): smtp-server speaks SMTP,
 * mailparser reads what arrived. It can be stopped and started again on the same port (SMTP down).
 */
import type { AddressInfo, Socket } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface SmtpCatcher {
  port: number;
  mails: ParsedMail[];
  /** The first mail (arrived or arriving within `ms`) that matches. */
  waitFor(match: (m: ParsedMail) => boolean, what: string, ms?: number): Promise<ParsedMail>;
  stop(): Promise<void>;
  start(): Promise<void>;
  /**
   * The next this-many mails are taken (kept in `mails`) but the link drops right after the final
   * "." instead of the 250 reply: the "unclear result" of RFC 1047 / RFC 5321 §4.1.1.4.
   */
  dropAfterData: number;
}

export async function startSmtpCatcher(): Promise<SmtpCatcher> {
  const mails: ParsedMail[] = [];
  let port = 0;
  let server: SMTPServer | undefined;
  let drops = 0;
  const sockets = new Set<Socket>();
  async function start(): Promise<void> {
    const s = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      // Addresses starting with "bounce" are refused for good (RFC 5321 §4.2.2: 550).
      onRcptTo(address, _session, done) {
        if (address.address.startsWith('bounce')) {
          const err = new Error('No such user') as Error & { responseCode: number };
          err.responseCode = 550;
          return done(err);
        }
        done();
      },
      onData(stream, session, done) {
        simpleParser(stream).then(
          (m) => {
            mails.push(m);
            if (drops > 0) {
              drops--;
              for (const sock of sockets) if (sock.remotePort === session.remotePort) sock.destroy(); // no 250
              return;
            }
            done();
          },
          (err: Error) => done(err),
        );
      },
    });
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => resolve());
    });
    port = (s.server.address() as AddressInfo).port;
    s.server.on('connection', (sock: Socket) => {
      sockets.add(sock);
      sock.once('close', () => sockets.delete(sock));
    });
    server = s;
  }
  await start();
  return {
    get port() {
      return port;
    },
    mails,
    get dropAfterData() {
      return drops;
    },
    set dropAfterData(n: number) {
      drops = n;
    },
    async waitFor(match, what, ms = 10_000) {
      const until = Date.now() + ms;
      for (;;) {
        const m = mails.find(match);
        if (m) return m;
        if (Date.now() > until) throw new Error(`no mail ${what} within ${ms} ms (got: ${mails.map((x) => x.subject).join(' | ')})`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async stop() {
      const s = server;
      server = undefined;
      if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
    },
    start,
  };
}

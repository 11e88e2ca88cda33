/**
 * The dev stack's SMTP catcher (issue 17): a local SMTP server (smtp-server) that accepts every
 * mail and writes it, as sent, to <dir>/<time>-<n>.eml. DEV ONLY: no TLS, no auth, loopback.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';

export async function startMailCatcher(opts: { host: string; port: number; dir: string }): Promise<{ stop(): Promise<void> }> {
  mkdirSync(opts.dir, { recursive: true });
  let n = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, done) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const file = join(opts.dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${++n}.eml`);
        try {
          writeFileSync(file, Buffer.concat(chunks));
          console.log(`[mail] ${file}`);
          done();
        } catch (err) {
          done(err as Error);
        }
      });
    },
  });
  server.on('error', (err) => console.error(`[mail] catcher: ${err.message}`));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  return { stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

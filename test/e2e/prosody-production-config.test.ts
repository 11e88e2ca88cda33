/**
 * The production sample (prosody/prosody.production.cfg.lua) on a real Prosody: Prosody's own
 * checker finds nothing in it, it names COMPONENT_SECRET when that is missing, and a server
 * started with it offers no login before TLS (c2s_require_encryption, RFC 6120 §5.3.1) while it
 * accepts the component's XEP-0114 handshake with the secret and only with it.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePorts, waitForPort } from '../../prosody/ports.js';
import { run, startProcess, type Managed } from '../../prosody/process.js';
import { xmppServerKind } from '../../scripts/lib/xmpp-server.js';

const CONFIG = fileURLToPath(new URL('../../prosody/prosody.production.cfg.lua', import.meta.url));
const DOMAIN = 'example.com';
const SECRET = 'test-secret-production-sample';

/** Writes `out`, then collects what the server answers until `done(text)` says enough (or 5 s). */
function converse(port: number, out: (received: string) => string | undefined, done: (received: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let received = '';
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(received);
    };
    const timer = setTimeout(finish, 5000);
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(out('') ?? ''));
    socket.on('data', (chunk: string) => {
      received += chunk;
      const next = out(received);
      if (next) socket.write(next);
      if (done(received)) finish();
    });
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/** XEP-0114 §3: the handshake is the hex SHA-1 of the stream id followed by the secret. */
function componentHandshake(port: number, secret: string): Promise<string> {
  let sent = false;
  return converse(
    port,
    (received) => {
      if (received === '')
        return `<?xml version='1.0'?><stream:stream xmlns='jabber:component:accept' xmlns:stream='http://etherx.jabber.org/streams' to='support.${DOMAIN}'>`;
      const id = /\sid=(['"])([^'"]+)\1/.exec(received)?.[2];
      if (!id || sent) return undefined;
      sent = true;
      return `<handshake>${createHash('sha1')
        .update(id + secret)
        .digest('hex')}</handshake>`;
    },
    (received) => /<handshake\s*\/>|<\/stream:stream>|<stream:error/.test(received),
  );
}

// Prosody's own production sample: nothing of it runs on ejabberd, and the Prosody pass checks it.
const notProsody = xmppServerKind() !== 'prosody';
if (notProsody)
  console.log(`skipped on ${xmppServerKind()}: prosody-production-config checks Prosody's production sample (the Prosody pass runs it)`);

describe.skipIf(notProsody)('the production sample config', () => {
  const dir = mkdtempSync(join(tmpdir(), 'madoguchi-prosody-prod-'));
  let prosody: Managed | undefined;
  let ports: { c2s: number; s2s: number; component: number; https: number };
  const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
    ...process.env,
    COMPONENT_SECRET: SECRET,
    OPERATOR_DOMAIN: DOMAIN,
    PROSODY_DATA_DIR: join(dir, 'data'),
    PROSODY_CERTS_DIR: join(dir, 'certs'),
    PROSODY_PIDFILE: join(dir, 'prosody.pid'),
    PROSODY_LOG: join(dir, 'prosody.log'),
    PROSODY_ERROR_LOG: join(dir, 'prosody.err'),
    PROSODY_INTERFACE: '127.0.0.1',
    PROSODY_C2S_PORT: String(ports.c2s),
    PROSODY_S2S_PORT: String(ports.s2s),
    PROSODY_COMPONENT_PORT: String(ports.component),
    PROSODY_HTTPS_PORT: String(ports.https),
    PROSODY_RUN_AS_ROOT: process.getuid?.() === 0 ? '1' : '0',
    ...extra,
  });

  beforeAll(async () => {
    const [c2s, s2s, component, https] = (await freePorts(4)) as [number, number, number, number];
    ports = { c2s, s2s, component, https };
    mkdirSync(join(dir, 'data'), { recursive: true });
    mkdirSync(join(dir, 'certs'), { recursive: true });
    // A throwaway self-signed certificate for the operators' host, where Prosody looks for it.
    await run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      `/CN=${DOMAIN}`,
      '-keyout',
      join(dir, 'certs', `${DOMAIN}.key`),
      '-out',
      join(dir, 'certs', `${DOMAIN}.crt`),
    ]);
  });
  afterAll(async () => {
    await prosody?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('passes prosodyctl check config', async () => {
    const out = await run('prosodyctl', ['--config', CONFIG, 'check', 'config'], { env: env(), cwd: dir });
    expect(out).toContain('All checks passed');
  });

  it('names COMPONENT_SECRET when it is not set', async () => {
    const failed = await run('prosodyctl', ['--config', CONFIG, 'check', 'config'], { env: env({ COMPONENT_SECRET: '' }), cwd: dir }).then(
      () => '',
      (err: Error) => err.message,
    );
    expect(failed).toContain('COMPONENT_SECRET must be set');
  });

  it('starts; offers STARTTLS as required and no SASL mechanism before TLS; takes the component with its secret only', async () => {
    prosody = startProcess('prosody', 'prosody', ['-F', '--config', CONFIG], { env: env(), cwd: dir });
    await waitForPort(ports.c2s);
    await waitForPort(ports.component);

    const features = await converse(
      ports.c2s,
      (received) =>
        received === ''
          ? `<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='${DOMAIN}' version='1.0'>`
          : undefined,
      (received) => received.includes('</stream:features>'),
    );
    expect(features).toMatch(/<starttls xmlns=['"]urn:ietf:params:xml:ns:xmpp-tls['"]><required\s*\/><\/starttls>/);
    expect(features).not.toContain('<mechanisms');

    expect(await componentHandshake(ports.component, SECRET)).toMatch(/<handshake\s*\/>/);
    expect(await componentHandshake(ports.component, 'wrong-secret')).toMatch(/not-authorized/);
  });
});

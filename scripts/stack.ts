/**
 * The dev stack behind `npm start`: Redis (unless REDIS_URL is set), Prosody (or ejabberd with
 * XMPP_SERVER=ejabberd) with the project's config and a data dir under the project, the dev operator accounts, and the
 * component with its portal. The component is supervised: when it dies it is restarted with
 * back-off (scripts/lib/supervise.ts), Prosody and Redis keep running. Ctrl-C stops everything.
 *
 * Environment (all optional): XMPP_SERVER (prosody or ejabberd), MADOGUCHI_DATA_DIR, PROSODY_C2S_PORT, PROSODY_HTTP_PORT,
 * PROSODY_COMPONENT_PORT, PROSODY_S2S_PORT, OPERATOR_DOMAIN, GUEST_DOMAIN, COMPONENT_DOMAIN,
 * UPLOAD_DOMAIN, COMPONENT_SECRET, EJABBERD_DIST_PORT (4370), REDIS_URL, REDIS_PORT, HTTP_PORT, HTTP_HOST, MADOGUCHI_CONFIG,
 * WIDGET_WEBSOCKET_URL (the demo page's WebSocket URL for browsers; default ws://localhost:<http port>/xmpp-websocket).
 * Mail: when config `mail` points at a loopback host, a local catcher listens there and writes <data dir>/mail/*.eml.
 * Hot standby (issue 19): `npm start -- --standby` (or INSTANCES=2) also runs a second component with the same
 * config and Redis; Prosody refuses it with `conflict` until the first is gone, then it takes over. Each standby
 * has its own portal port (http.port + n) and evidence mirror (<data dir>/evidence-standby<n>), and the one key.
 * On ejabberd (issue 19 §3) INSTANCES=N runs N active instances instead: ejabberd's component_number and the
 * instances' COMPONENT_SLOTS are N, each holds a slot, and a dead one's slot is adopted (component/xmpp/slots.ts).
 */
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { loadConfig } from '../config/load.js';
import { buildComponent, componentArgs } from './lib/component-build.js';
import { startProcess } from '../prosody/process.js';
import { supervise } from './lib/supervise.js';
import { startRedisServer } from './lib/redis-server.js';
import { startXmppServer, xmppServerKind } from './lib/xmpp-server.js';
import { startMailCatcher } from './lib/mail-catcher.js';
import { parseJid } from '../src/jid.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PRIVATE_KEY_FILE } from '../component/evidence/key-pair.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const env = process.env;
const num = (name: string, fallback: number) => Number(env[name] || fallback);

async function main(): Promise<void> {
  const dataDir = resolve(env.MADOGUCHI_DATA_DIR || `${root}.data`);
  const config = loadConfig(env); // validate before starting anything
  const componentDomain = config.component.domain;
  const componentPort = num('PROSODY_COMPONENT_PORT', Number(new URL(config.component.service.replace('xmpp:', 'http:')).port || 5347));
  const stopping: (() => Promise<void>)[] = [];
  let shuttingDown = false;
  const shutdown = async (code = 0) => {
    if (shuttingDown) return;
    shuttingDown = true;
    console.log('\nStopping Madoguchi…');
    for (const stop of stopping.reverse()) await stop().catch(() => undefined);
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());

  try {
    let redisUrl = env.REDIS_URL;
    const pids: string[] = [];
    if (!redisUrl) {
      const redis = await startRedisServer({ port: num('REDIS_PORT', 6379), dataDir: `${dataDir}/redis`, detached: true });
      stopping.push(redis.stop);
      redisUrl = redis.url;
      pids.push(`redis ${redis.process.child.pid}`);
    }
    const mail = config.mail;
    const catchMail = mail !== undefined && ['127.0.0.1', 'localhost'].includes(mail.host);
    if (catchMail) stopping.push((await startMailCatcher({ host: mail.host, port: mail.port, dir: `${dataDir}/mail` })).stop);
    const operatorDomain = env.OPERATOR_DOMAIN || 'localhost';
    const kind = xmppServerKind(env);
    const instances = process.argv.includes('--standby') ? Math.max(2, num('INSTANCES', 2)) : num('INSTANCES', 1);
    // ejabberd balances the domain over the instances (issue 19 §3): one slot each (component_number), all active.
    const active = kind === 'ejabberd' && instances > 1 ? { COMPONENT_SLOTS: String(instances) } : {};
    const prosody = await startXmppServer(kind, {
      dataDir: `${dataDir}/${kind}`,
      c2sPort: num('PROSODY_C2S_PORT', 5222),
      httpPort: num('PROSODY_HTTP_PORT', 5280),
      componentPort,
      s2sPort: num('PROSODY_S2S_PORT', 5269),
      operatorDomain,
      guestDomain: env.GUEST_DOMAIN || 'guest.localhost',
      componentDomain,
      uploadDomain: env.UPLOAD_DOMAIN || 'upload.localhost',
      componentSecret: config.component.secret,
      echo: true,
      detached: true,
      // ejabberd only: a fixed node name and distribution port, so ejabberd/ctl.sh finds the node.
      nodeName: 'madoguchi@localhost',
      distPort: num('EJABBERD_DIST_PORT', 4370),
      components: instances,
    });
    stopping.push(prosody.stop);
    pids.push(`${kind} ${prosody.process.child.pid}`);
    // DEV ONLY: each dev operator's password is its account name.
    const devAccounts = config.operators.map((op) => parseJid(op.jid)).filter((j) => j.domain === operatorDomain);
    for (const j of devAccounts) await prosody.register(j.local, j.local);

    buildComponent();
    // Restart=always, as under systemd (docs/systemd/): a dead component is started again, nothing else restarts.
    const superviseComponent = (name: string, extra: Record<string, string> = {}) =>
      supervise({
        name,
        start: () =>
          startProcess(name, process.execPath, componentArgs(), {
            cwd: root,
            detached: true, // Ctrl-C reaches only this script, which stops the component before Redis
            env: {
              ...env,
              REDIS_URL: redisUrl,
              COMPONENT_SERVICE: `xmpp://127.0.0.1:${componentPort}`,
              MADOGUCHI_DATA_DIR: dataDir, // absolute: the component's evidence dir is <dataDir>/evidence (config/load.ts)
              ...(catchMail ? { MADOGUCHI_DEV_MAIL_DIR: `${dataDir}/mail` } : {}), // the portal lists it at /dev/mail
              WIDGET_WEBSOCKET_URL: env.WIDGET_WEBSOCKET_URL || `ws://localhost:${num('PROSODY_HTTP_PORT', 5280)}/xmpp-websocket`,
              ...active,
              ...extra,
            },
            echo: true,
          }),
      });
    const component = superviseComponent('component');
    stopping.push(() => component.stop());
    const standbys: string[] = [];
    if (instances > 1) {
      // The deployment's one evidence key (the first instance creates it on a fresh data dir); a mirror dir each.
      const keyPath =
        config.evidence.keyPath ?? join(loadConfig({ ...env, MADOGUCHI_DATA_DIR: dataDir }).evidence.dataDir, PRIVATE_KEY_FILE);
      for (let waited = 0; !existsSync(keyPath) && waited < 20_000; waited += 100) await new Promise((r) => setTimeout(r, 100));
      for (let n = 1; n < instances; n++) {
        const port = config.http.port + n;
        const name = kind === 'ejabberd' ? `active${n + 1}` : `standby${n}`;
        const standby = superviseComponent(name, {
          HTTP_PORT: String(port),
          EVIDENCE_DATA_DIR: `${dataDir}/evidence-${name}`,
          EVIDENCE_KEY_PATH: keyPath,
        });
        stopping.push(() => standby.stop());
        standbys.push(`${name} (portal http://${config.http.host}:${port}/readyz)`);
      }
    }

    const httpPort = config.http.port;
    const c2s = num('PROSODY_C2S_PORT', 5222);
    const wsPort = num('PROSODY_HTTP_PORT', 5280);
    console.log(`
Madoguchi is up (on ${kind}).
  Desks:      ${config.desks.map((d) => `${d.id}@${componentDomain}`).join(', ')}
  Operators:  ${devAccounts.map((j) => `${j.local}@${j.domain} (password "${j.local}", dev only)`).join(', ')}
              connect any XMPP client to 127.0.0.1:${c2s} (plaintext, loopback only) and add a desk as a contact
  Customers:  anonymous XMPP over WebSocket ws://localhost:${wsPort}/xmpp-websocket (domain ${env.GUEST_DOMAIN || 'guest.localhost'}),
              or any XMPP account writing to a desk JID
  Demo shop:  http://${config.http.host}:${httpPort}/   (the customer widget; /widget.js)
  Portal:     http://${config.http.host}:${httpPort}/api/status   (health: /healthz)
  Admin:      http://${config.http.host}:${httpPort}/admin   (sign in with an admin's XMPP account, e.g. alice@localhost)
  Redis:      ${redisUrl}
  Mail:       ${catchMail ? `caught by a local SMTP server, written to ${dataDir}/mail/*.eml, listed at http://${config.http.host}:${config.http.port}/dev/mail` : mail ? `SMTP ${mail.host}:${mail.port}` : 'off (no config mail)'}
  Processes:  ${pids.join(', ')}; the component is restarted if it dies${
    standbys.length
      ? kind === 'ejabberd'
        ? `
  Active too: ${standbys.join(', ')}: ejabberd balances ${componentDomain} over ${instances} slots, one per instance;
              kill -9 ${component.current()?.child.pid} and another adopts its slot within ~3 s (docs/architecture.md "Slot adoption")`
        : `
  Standby:    ${standbys.join(', ')}: waits while the active one holds ${componentDomain} (/readyz 503, "standby": true),
              takes over within ~2 s when it dies: try kill -9 ${component.current()?.child.pid}`
      : ''
  }
Press Ctrl-C to stop.
`);
  } catch (err) {
    console.error(`Failed to start: ${(err as Error).message}`);
    await shutdown(1);
  }
}

void main();

/**
 * Starts ejabberd 23.01 (Debian) in the foreground with ejabberd/ejabberd.yml, filled in from
 * the options, with its config, Mnesia spool, logs and Erlang cookie in a directory of ours
 * (never /etc/ejabberd, /var/lib/ejabberd). Used by `XMPP_SERVER=ejabberd npm start` and tests.
 *
 * It runs `erl … -s ejabberd` directly, as `ejabberdctl foreground` does, because ejabberdctl
 * started as root switches to the `ejabberd` user (`su`), which can neither write our dirs nor
 * read a cookie in our HOME. The node gets its own name and a fixed distribution port without
 * epmd (`-erl_epmd_port`, `-start_epmd false`), so parallel stacks never collide and no epmd
 * daemon outlives them; HOME is the data dir, where Erlang writes the node's `.erlang.cookie`.
 * Accounts are created over mod_http_api (loopback only): ~0.1 s each and in parallel, where an
 * `ejabberdctl register` boots an Erlang VM for ~1 s per account (both measured here).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startProcess, run, type Managed } from '../prosody/process.js';
import { freePort, waitForPort } from '../prosody/ports.js';
import type { ProsodyOptions } from '../prosody/launcher.js';

export const EJABBERD_TEMPLATE = fileURLToPath(new URL('./ejabberd.yml', import.meta.url));
/** Where Debian's package keeps ejabberd's Erlang applications: ejabberdctl's ERL_LIBS (per architecture). */
function erlLibs(): string {
  try {
    return /^ERL_LIBS='([^']+)'/m.exec(readFileSync('/usr/sbin/ejabberdctl', 'utf8'))?.[1] ?? '/usr/lib/x86_64-linux-gnu';
  } catch {
    throw new Error('ejabberd is not installed: apt-get install ejabberd (scripts/ensure-deps.sh does it as root)');
  }
}

export interface EjabberdOptions extends ProsodyOptions {
  /** Erlang node name (default `madoguchi-<port>@localhost`, unique per stack). */
  nodeName?: string;
  /** Erlang distribution port, for ejabberdctl (default: a free one). */
  distPort?: number;
  /**
   * How many component instances share the domain (issue 19 §3; env EJABBERD_COMPONENTS, default 1). ejabberd
   * hashes each sender over this many connections: give the number of instances that run.
   */
  components?: number;
}

export interface Ejabberd {
  process: Managed;
  env: NodeJS.ProcessEnv;
  nodeName: string;
  distPort: number;
  register(user: string, password: string): Promise<void>;
  /** An ejabberdctl command against this node (a short-lived hidden Erlang node; ~1 s). */
  ctl(args: string[]): Promise<string>;
  stop(): Promise<void>;
}

const LOG_LEVELS: Record<string, string> = { warn: 'warning', error: 'error', info: 'info', debug: 'debug' };

/** The template with every `${NAME}` replaced; an unknown name is an error, not an empty value. */
export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\$\{(\w+)\}/g, (_, name: string) => {
    const v = values[name];
    if (v === undefined) throw new Error(`ejabberd.yml: no value for \${${name}}`);
    return v.replace(/[\\"]/g, (c) => `\\${c}`); // safe inside the template's double quotes
  });
}

/** The `domain_balancing` block for several component instances (none for one: ejabberd wants 2 or more). */
function domainBalancing(domain: string, components: number): string {
  if (!(components >= 2)) return '';
  return `domain_balancing:\n  ${domain}:\n    type: bare_source\n    component_number: ${Math.min(components, 1000)}`;
}

export function ejabberdValues(o: EjabberdOptions): Record<string, string> {
  // ejabberd's SCRAM count is fixed at 4096 (~0.5 s of PBKDF2 per login in JS). Asking for fewer
  // iterations (tests) means: store passwords plain and offer PLAIN only (loopback tests).
  const fastLogins = o.scramIterations !== undefined && o.scramIterations < 4096;
  const externalUrl = process.env.EJABBERD_HTTP_EXTERNAL_URL || `http://localhost:${o.httpPort}/`;
  return {
    EJABBERD_DATA_DIR: o.dataDir,
    EJABBERD_DOMAIN_BALANCING: domainBalancing(o.componentDomain, Number(process.env.EJABBERD_COMPONENTS || o.components || 1)),
    // EJABBERD_LOG_LEVEL=debug logs every stanza ejabberd routes (for debugging a test).
    EJABBERD_LOG_LEVEL: process.env.EJABBERD_LOG_LEVEL || (LOG_LEVELS[o.logLevel ?? 'warn'] ?? 'warning'),
    EJABBERD_INTERFACE: '127.0.0.1',
    EJABBERD_C2S_PORT: String(o.c2sPort),
    EJABBERD_HTTP_PORT: String(o.httpPort),
    EJABBERD_COMPONENT_PORT: String(o.componentPort),
    EJABBERD_HTTP_EXTERNAL_URL: externalUrl,
    EJABBERD_PASSWORD_FORMAT: fastLogins ? 'plain' : 'scram',
    EJABBERD_DISABLED_SASL: ['digest-md5', 'x-oauth2', ...(fastLogins ? ['scram-sha-1', 'scram-sha-256', 'scram-sha-512'] : [])].join(', '),
    OPERATOR_DOMAIN: o.operatorDomain,
    GUEST_DOMAIN: o.guestDomain,
    COMPONENT_DOMAIN: o.componentDomain,
    UPLOAD_DOMAIN: o.uploadDomain,
    PUBSUB_DOMAIN: o.pubsubDomain ?? `pubsub.${o.operatorDomain}`,
    PUBSUB_MAX_ITEMS: process.env.PUBSUB_MAX_ITEMS || '32',
    COMPONENT_SECRET: o.componentSecret,
  };
}

export async function startEjabberd(o: EjabberdOptions): Promise<Ejabberd> {
  for (const d of ['spool', 'log', 'upload']) mkdirSync(join(o.dataDir, d), { recursive: true });
  const configPath = join(o.dataDir, 'ejabberd.yml');
  writeFileSync(configPath, fillTemplate(readFileSync(EJABBERD_TEMPLATE, 'utf8'), ejabberdValues(o)), { mode: 0o600 });
  // Erlang's resolver: names from this file only, and a DNS server that refuses at once (a UDP port
  // of ours where nothing listens), so s2s to the component's domain while it is down fails at once
  // with remote-server-not-found, never after a DNS timeout (ejabberd.yml, s2s_access).
  const inetrc = join(o.dataDir, 'inetrc');
  writeFileSync(
    inetrc,
    `{lookup, [file]}.\n{resolv_conf, ""}.\n{hosts_file, ""}.\n{host, {127,0,0,1}, ["localhost"]}.\n{nameserver, {127,0,0,1}, ${o.s2sPort}}.\n{timeout, 100}.\n{retry, 1}.\n`,
  );
  const distPort = o.distPort ?? (await freePort());
  const nodeName = o.nodeName ?? `madoguchi-${o.c2sPort}@localhost`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: o.dataDir, // the node's .erlang.cookie
    EJABBERD_CONFIG_PATH: configPath,
    EJABBERD_LOG_PATH: join(o.dataDir, 'log/ejabberd.log'),
    ERL_LIBS: erlLibs(),
    ERL_INETRC: inetrc,
    ERL_CRASH_DUMP: join(o.dataDir, 'log/erl_crash.dump'),
    ERL_CRASH_DUMP_BYTES: '0',
    ERL_MAX_PORTS: '32000',
  };
  const dist = ['-erl_epmd_port', String(distPort), '-start_epmd', 'false'];
  const args = ['-sname', nodeName, ...dist, '-noinput', '+K', 'true', '-mnesia', 'dir', `"${join(o.dataDir, 'spool')}"`, '-s', 'ejabberd'];
  const proc = startProcess('ejabberd', 'erl', args, { env, cwd: o.dataDir, echo: o.echo, detached: o.detached });
  const died = proc.exited.then((code) => {
    throw new Error(`ejabberd exited with ${code} while starting (see ${env.EJABBERD_LOG_PATH})`);
  });
  // The listeners open together once every module has started.
  // ~1.5 s on an idle machine, 15 s seen on 2 loaded cores: wait up to a minute.
  const ports = [o.c2sPort, o.componentPort, o.httpPort];
  try {
    await Promise.race([Promise.all(ports.map((p) => waitForPort(p, 60_000))), died]);
  } catch (err) {
    await proc.stop(); // never leave a half-started node behind
    throw err;
  }
  died.catch(() => undefined);
  const apiUrl = `http://127.0.0.1:${o.httpPort}/api`;
  const post = (command: string, body: Record<string, string>) =>
    fetch(`${apiUrl}/${command}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const api = async (command: string, body: Record<string, string>) => {
    const res = await post(command, body);
    if (!res.ok) throw new Error(`ejabberd: ${command} failed: ${res.status} ${await res.text()}`);
  };
  return {
    process: proc,
    env,
    nodeName,
    distPort,
    async register(user, password) {
      const res = await post('register', { user, host: o.operatorDomain, password });
      const text = await res.text();
      if (res.ok) return;
      // An existing account (a restarted dev stack) gets the password again, as `prosodyctl register` does.
      if (/already registered/i.test(text)) return void (await api('change_password', { user, host: o.operatorDomain, newpass: password }));
      throw new Error(`ejabberd: registering ${user}@${o.operatorDomain} failed: ${res.status} ${text}`);
    },
    ctl: (ctlArgs) =>
      run(
        'erl',
        [
          '-sname',
          `ctl-${process.pid}-${Date.now()}@localhost`,
          ...dist,
          '-dist_listen',
          'false',
          '-hidden',
          '-noinput',
          '-s',
          'ejabberd_ctl',
          '-extra',
          nodeName,
          ...ctlArgs,
        ],
        {
          env,
          cwd: o.dataDir,
        },
      ),
    stop: () => proc.stop(),
  };
}

/**
 * Starts Prosody in the foreground with prosody/prosody.cfg.lua, driven by the environment,
 * with its data in a directory of ours (never /etc/prosody). Used by `npm start`, tests, bench.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startProcess, run, type Managed } from './process.js';
import { waitForPort } from './ports.js';

export const PROSODY_CONFIG = fileURLToPath(new URL('./prosody.cfg.lua', import.meta.url));

export interface ProsodyOptions {
  dataDir: string;
  c2sPort: number;
  httpPort: number;
  componentPort: number;
  s2sPort: number;
  operatorDomain: string;
  guestDomain: string;
  componentDomain: string;
  uploadDomain: string;
  /** XEP-0060 service witnessing the evidence log's heads; default `pubsub.<operatorDomain>`. */
  pubsubDomain?: string;
  componentSecret: string;
  /** Lower PBKDF2 iterations make SCRAM logins fast in tests. */
  scramIterations?: number;
  logLevel?: string;
  echo?: boolean;
  /** Own process group: a terminal's Ctrl-C reaches only the stack, which stops things in order. */
  detached?: boolean;
}

export interface Prosody {
  process: Managed;
  env: NodeJS.ProcessEnv;
  register(user: string, password: string): Promise<void>;
  stop(): Promise<void>;
}

export function prosodyEnv(o: ProsodyOptions): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PROSODY_DATA_DIR: o.dataDir,
    PROSODY_C2S_PORT: String(o.c2sPort),
    PROSODY_HTTP_PORT: String(o.httpPort),
    PROSODY_COMPONENT_PORT: String(o.componentPort),
    PROSODY_S2S_PORT: String(o.s2sPort),
    OPERATOR_DOMAIN: o.operatorDomain,
    GUEST_DOMAIN: o.guestDomain,
    COMPONENT_DOMAIN: o.componentDomain,
    UPLOAD_DOMAIN: o.uploadDomain,
    PUBSUB_DOMAIN: o.pubsubDomain ?? `pubsub.${o.operatorDomain}`,
    COMPONENT_SECRET: o.componentSecret,
    PROSODY_SCRAM_ITERATIONS: String(o.scramIterations ?? 10000),
    PROSODY_LOG_LEVEL: o.logLevel ?? 'warn',
    PROSODY_RUN_AS_ROOT: process.getuid?.() === 0 ? '1' : '0',
  };
}

export async function startProsody(o: ProsodyOptions): Promise<Prosody> {
  mkdirSync(`${o.dataDir}/certs`, { recursive: true });
  const env = prosodyEnv(o);
  const proc = startProcess('prosody', 'prosody', ['-F', '--config', PROSODY_CONFIG], {
    env,
    cwd: o.dataDir,
    echo: o.echo,
    detached: o.detached,
  });
  const died = proc.exited.then((code) => {
    throw new Error(`prosody exited with ${code} while starting (see its log)`);
  });
  // c2s is the last port Prosody opens; a half-started Prosody has HTTP and component ports only.
  await Promise.race([Promise.all([waitForPort(o.c2sPort), waitForPort(o.componentPort), waitForPort(o.httpPort)]), died]);
  died.catch(() => undefined);
  return {
    process: proc,
    env,
    async register(user, password) {
      await run('prosodyctl', ['--config', PROSODY_CONFIG, 'register', user, o.operatorDomain, password], { env, cwd: o.dataDir });
    },
    stop: () => proc.stop(),
  };
}

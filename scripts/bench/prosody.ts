/**
 * Prosody for the bench: the project's own config (prosody/launcher.ts) plus an overlay: a
 * small file includes the project's config and then adds lines (each config file is parsed in
 * its own scope, so lines after the Include are global until a Component line): the bare
 * relay's component domain, and an experiment's settings, e.g. Prosody's default Nagle
 * setting, to measure what turning it off bought.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROSODY_CONFIG, prosodyEnv, startProsody, type Prosody, type ProsodyOptions } from '../../prosody/launcher.js';
import { waitForPort } from '../../prosody/ports.js';
import { run, startProcess } from '../../prosody/process.js';

export async function startBenchProsody(o: ProsodyOptions, overlay: string | undefined): Promise<Prosody & { config: string }> {
  if (!overlay) return { ...(await startProsody(o)), config: PROSODY_CONFIG };
  mkdirSync(`${o.dataDir}/certs`, { recursive: true });
  const config = join(o.dataDir, 'bench-overlay.cfg.lua');
  writeFileSync(config, `-- bench: the project's config, then these lines\nInclude ${JSON.stringify(PROSODY_CONFIG)}\n${overlay}\n`);
  const env = prosodyEnv(o);
  const proc = startProcess('prosody', 'prosody', ['-F', '--config', config], { env, cwd: o.dataDir });
  const died = proc.exited.then((code) => {
    throw new Error(`prosody exited with ${code} while starting`);
  });
  await Promise.race([Promise.all([waitForPort(o.c2sPort), waitForPort(o.componentPort), waitForPort(o.httpPort)]), died]);
  died.catch(() => undefined);
  return {
    process: proc,
    env,
    config,
    async register(user, password) {
      await run('prosodyctl', ['--config', config, 'register', user, o.operatorDomain, password], { env, cwd: o.dataDir });
    },
    stop: () => proc.stop(),
  };
}

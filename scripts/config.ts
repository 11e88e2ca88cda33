#!/usr/bin/env tsx
/**
 * The organisational settings as code (issue 16; README "Live settings").
 *   npm run config -- export > org.yaml     the live settings from Redis, as YAML (the config file's shape)
 *   npm run config -- import org.yaml       replace them: checked whole first (errors name the field;
 *                                           nothing changes), then one new revision, recorded as by
 *                                           `import` in the evidence log and announced to every instance
 * Uses the component's configuration (MADOGUCHI_CONFIG and the environment, as `npm start`): its Redis,
 * and its evidence key (run it where the component runs). Exit codes: 0 done; 2 usage, invalid file,
 * refused change, configuration or storage error.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { parse, stringify } from 'yaml';
import { ConfigError, loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { orgFromConfig, orgToFile, parseOrgFile, settingsOf } from '../config/org-settings.js';
import { createEvidence } from '../component/evidence/setup.js';
import { PRIVATE_KEY_FILE } from '../component/evidence/key-pair.js';
import { createDeskStore } from '../component/store/desk-store.js';
import { connectRedis, createRedis } from '../component/store/redis-client.js';
import { createOrgAudit } from '../component/services/admin/org-audit.js';
import { createDeskUsage } from '../component/services/admin/desk-usage.js';
import { importSettings } from '../component/services/admin/org-import.js';
import { entitiesFromStore } from '../component/services/admin/org-snapshot.js';
import { isDomainError } from '../src/errors.js';

const USAGE = 'usage: config export | config import <file.yaml>\n';

function readOrgFile(path: string) {
  let raw: unknown;
  try {
    raw = parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ConfigError(`Cannot read ${path}: ${(err as Error).message}`);
  }
  return parseOrgFile(raw ?? {}, path);
}

/** The component's evidence log, without a mirror of its own; never a new key (that would not be the deployment's). */
function evidenceOf(config: Config, redis: Parameters<typeof createEvidence>[1]) {
  const ev = config.evidence;
  if (ev.enabled && !ev.keyPath && !existsSync(join(ev.dataDir, PRIVATE_KEY_FILE))) {
    throw new ConfigError(`no evidence key in ${ev.dataDir}: run this where the component runs (MADOGUCHI_DATA_DIR, EVIDENCE_DATA_DIR)`);
  }
  return createEvidence(
    { ...config, evidence: { ...ev, mirror: false } },
    redis,
    (l) => `${l}@${config.component.domain}`,
    pino({ level: 'warn' }),
  );
}

async function main(args: string[]): Promise<number> {
  const [command, file] = args;
  if (!(command === 'export' && !file) && !(command === 'import' && file)) {
    process.stderr.write(USAGE);
    return 2;
  }
  const next = command === 'import' ? readOrgFile(file as string) : undefined; // a bad file stops here, before any connection
  const config = loadConfig();
  const redis = createRedis(config.redis, pino({ level: 'warn' }));
  await connectRedis(redis);
  try {
    const store = createDeskStore(redis, config.redis.prefix, {
      endedRetentionSeconds: 7 * 24 * 3600,
      defaultAvgHandleMs: 0,
      maxBufferedMessages: 200,
    });
    const read = await store.org.read();
    const current = read.rev === 0 ? orgFromConfig(config) : settingsOf(entitiesFromStore(read.entities));
    if (!next) {
      if (read.rev === 0)
        process.stderr.write(
          "config: Redis has no settings yet (the component seeds them on its first start): this is the config file's\n",
        );
      process.stdout.write(stringify(orgToFile(current)));
      return 0;
    }
    const evidence = evidenceOf(config, redis);
    try {
      const deskBusy = createDeskUsage(store, () => [...current.operators, ...next.operators]);
      const audit = createOrgAudit({ evidence: evidence.recorder, org: store.org, now: Date.now });
      const r = await importSettings({ org: store.org, audit, bootstrapAdmins: config.bootstrapAdmins, deskBusy }, next);
      const count = (a: string) => r.changes.filter((c) => c.action === a).length;
      process.stdout.write(
        r.changes.length
          ? `imported ${file}: ${count('create')} created, ${count('update')} updated, ${count('delete')} removed (settings rev ${r.rev})\n`
          : `imported ${file}: no change (settings rev ${r.rev})\n`,
      );
      return 0;
    } finally {
      await evidence.log?.close(); // signs a checkpoint over the records written
    }
  } finally {
    await redis.quit();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`config: ${isDomainError(err) || err instanceof ConfigError ? '' : 'error: '}${err.message}\n`);
    process.exit(2);
  },
);

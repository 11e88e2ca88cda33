#!/usr/bin/env tsx
/**
 * Report rollups (docs/reports.md).
 *   npm run reports -- rebuild    drop the rollups and count them again from the evidence log (Redis, and
 *                                 the JSONL mirror for records trimmed from Redis; refused, nothing
 *                                 dropped, when the log at hand does not go back to its first record)
 * Uses the component's configuration (MADOGUCHI_CONFIG and the environment, as `npm start`).
 * Exit codes: 0 done; 2 usage, configuration or storage error.
 */
import { join } from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../config/load.js';
import { createEvidenceStore } from '../component/evidence/evidence-store.js';
import { rebuildReports } from '../component/services/report-rebuild.js';
import { createDeskStore } from '../component/store/desk-store.js';
import { connectRedis, createRedis } from '../component/store/redis-client.js';
import { entitiesFromStore } from '../component/services/admin/org-snapshot.js';
import { settingsOf } from '../config/org-settings.js';

async function main(args: string[]): Promise<number> {
  if (args[0] !== 'rebuild') {
    process.stderr.write('usage: reports rebuild\n');
    return 2;
  }
  const config = loadConfig();
  const redis = createRedis(config.redis, pino({ level: 'warn' }));
  await connectRedis(redis);
  try {
    const store = createDeskStore(redis, config.redis.prefix, {
      endedRetentionSeconds: 7 * 24 * 3600,
      defaultAvgHandleMs: config.routing.avgHandleSeconds * 1000,
      maxBufferedMessages: 200,
      reports: config.reports,
    });
    const org = await store.org.read(); // the live settings (issue 16); the config file's before the first start
    const desks = org.rev ? settingsOf(entitiesFromStore(org.entities)).desks : config.desks;
    const zones = new Map(desks.map((d) => [d.id, d.timeZone]));
    const mirrorDir = config.evidence.mirror ? join(config.evidence.dataDir, 'log') : undefined;
    const r = await rebuildReports(store, createEvidenceStore(redis, config.redis.prefix), (d) => zones.get(d) ?? 'UTC', { mirrorDir });
    process.stdout.write(
      `rebuilt the report rollups from ${r.records} evidence records (${r.facts} facts), ${r.fromMirror} of them read from the mirror\n`,
    );
    return 0;
  } finally {
    await redis.quit();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`reports: ${err.message}\n`);
    process.exit(2);
  },
);

/** Builds the evidence log and its recorder from config (or a recorder that records nothing). */
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { redisDurability } from '../../config/redis-settings.js';
import type { Config } from '../../config/schema.js';
import type { SignedHead } from '../../src/evidence/head.js';
import { createEvidenceLog, type EvidenceLog } from './evidence-log.js';
import { loadOrCreateKeyPair } from './key-pair.js';
import { createEvidenceRecorder, type EvidenceRecorder } from './recorder.js';
import { createTranscripts, type Transcripts } from './transcripts.js';

/**
 * Appends wait up to this long to go out as one batch (one Redis call, one stream entry, one
 * mirror write): at a relay's usual rates that makes batches ~10× bigger and the log's CPU per
 * record several times smaller (BENCHMARKS.md F25). Nothing waits for it, unless
 * redis.waitReplicas holds stanzas for their records: then there is no window.
 */
export const EVIDENCE_BATCH_WINDOW_MS = 5;

export interface Evidence {
  log: EvidenceLog | undefined;
  recorder: EvidenceRecorder;
  /** Transcripts from the log (undefined when the log is disabled): forTicket, search, redactTicket, bundle. */
  transcripts: Transcripts | undefined;
}

/** `onCheckpoint`: each signed head, for a witness outside the files (./README.md "Trust model"). */
export function createEvidence(
  config: Config,
  redis: Redis,
  maskedJid: (local: string) => string,
  log: Logger,
  onCheckpoint?: (head: SignedHead) => void,
  /** The live operators (names in transcripts); default: the config file's. */
  operators?: () => readonly { jid: string; name: string }[],
): Evidence {
  const ev = config.evidence;
  const keyPair = ev.enabled ? loadOrCreateKeyPair(ev.keyPath ? { pemPath: ev.keyPath } : { dataDir: ev.dataDir }) : undefined;
  const evidenceLog =
    keyPair &&
    createEvidenceLog({
      redis,
      prefix: config.redis.prefix,
      keyPair,
      mirrorDir: ev.mirror ? join(ev.dataDir, 'log') : undefined,
      mirrorMaxFileBytes: ev.mirrorMaxFileMB * 1024 * 1024,
      mirrorFsync: ev.mirrorFsync,
      checkpointEvery: ev.checkpointEvery,
      checkpointMs: ev.checkpointMs,
      redisKeepRecords: ev.redisKeepRecords,
      batchWindowMs: redisDurability(config.redis).replicas > 0 ? 0 : EVIDENCE_BATCH_WINDOW_MS,
      onCheckpoint,
      onError: (err) => log.error({ err: err.message }, 'evidence log'),
    });
  // Append failures are logged once by onError above.
  const transcripts =
    evidenceLog &&
    createTranscripts({
      log: evidenceLog,
      componentDomain: config.component.domain,
      operators: operators ?? config.operators.map((o) => ({ jid: o.jid, name: o.name })),
    });
  return { log: evidenceLog, recorder: createEvidenceRecorder(evidenceLog, { maskedJid, onError: () => undefined }), transcripts };
}

#!/usr/bin/env tsx
/**
 * Verifies Madoguchi evidence log files offline, trusting only the deployment's public key.
 *   npm run verify-log -- <file-or-dir>... --public-key <pem> [--manifest <path>] [--require-signed] [--json]
 *   npm run verify-log -- <ticket bundle file> --public-key <pem>   (GET /api/transcripts/:ticket/bundle)
 * Exit codes: 0 intact; 1 a bad record (the first one is named by seq); 2 usage or I/O error;
 * 3 intact but with unsigned records and --require-signed. Semantics: component/evidence/README.md.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { verifyLogFiles, type FileVerifyResult } from '../component/evidence/verify-files.js';

const USAGE = 'usage: verify-log <file-or-dir>... --public-key <pem> [--manifest <path>] [--require-signed] [--json]';

function range(a?: number, b?: number): string {
  return a === undefined || b === undefined ? '-' : a === b ? `${a}` : `${a}-${b}`;
}

function describe(r: FileVerifyResult): string[] {
  const lines = [`files: ${r.files.length}, records: ${r.records} (seq ${range(r.firstSeq, r.lastSeq)})`, `key: ${r.keyId}`];
  if (r.failure) {
    const seq = r.failure.seq === null ? 'no position' : `seq ${r.failure.seq}`;
    lines.push(`FAIL: first bad entry: ${seq}${r.failure.where ? ` (${r.failure.where})` : ''}: ${r.failure.reason}`);
    return lines;
  }
  lines.push(`chain: intact${r.fromGenesis ? ' from genesis' : ` (starts at seq ${r.firstSeq}; earlier records not included)`}`);
  lines.push(`checkpoints: ${r.checkpoints} valid; signed through seq ${r.signedThrough ?? 'none'}`);
  if (r.bundle) {
    lines.push(`manifest: signed bundle of ticket ${r.bundle.ticket}, seq ${range(r.firstSeq, r.lastSeq)}, complete`);
    lines.push(`ticket ${r.bundle.ticket}: ${r.ticketRecords ?? 0} record(s), all present; ${r.elided ?? 0} record(s) of other tickets with content elided (headers only)`);
  } else if (r.manifest === 'verified') lines.push(`manifest: signed export of seq ${range(r.firstSeq, r.lastSeq)}, complete`);
  else lines.push('manifest: none (records after the last checkpoint cannot be proven complete)');
  if (r.unsignedTail > 0) {
    lines.push(`unsigned tail: ${r.unsignedTail} record(s) after the last checkpoint: chained, but not yet signed; truncation there is undetectable`);
  }
  lines.push(`redacted: ${r.redacted} (each matched by its redaction record)`);
  if (r.redactionsOutsideRange) lines.push(`redaction records for earlier entries (outside these files): ${r.redactionsOutsideRange}`);
  if (r.redactionsNotApplied) lines.push(`redaction records whose target still shows its content: ${r.redactionsNotApplied}`);
  lines.push('OK');
  return lines;
}

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        'public-key': { type: 'string' }, manifest: { type: 'string' }, 'require-signed': { type: 'boolean' }, json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) return console.log(USAGE), 0;
  if (positionals.length === 0 || !values['public-key']) return console.error(USAGE), 2;
  let result: FileVerifyResult;
  try {
    const pem = readFileSync(values['public-key'], 'utf8');
    result = await verifyLogFiles(positionals, pem, { manifestPath: values.manifest });
  } catch (err) {
    console.error(`verify-log: ${(err as Error).message}`);
    return 2;
  }
  console.log(values.json ? JSON.stringify(result, null, 2) : describe(result).join('\n'));
  if (!result.ok) return 1;
  return values['require-signed'] && result.unsignedTail > 0 ? 3 : 0;
}

main().then((code) => process.exit(code), (err: Error) => {
  console.error(err);
  process.exit(2);
});

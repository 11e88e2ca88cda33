#!/usr/bin/env tsx
/**
 * Verifies Madoguchi evidence log files offline, trusting only the deployment's public key.
 *   npm run verify-log -- <file-or-dir>... --public-key <pem> [--manifest <path>] [--require-signed] [--json]
 *     [--expect-head <seq:hash> | --expect-head-file <head.json> | --expect-head-url <http…/api/evidence/head>]
 *   npm run verify-log -- <ticket bundle file> --public-key <pem>   (GET /api/transcripts/:ticket/bundle)
 * Without a witnessed head, the files cannot show that their newest records were not cut off.
 * Exit codes: 0 intact; 1 a bad record (the first one is named by seq); 2 usage or I/O error;
 * 3 intact but with unsigned records and --require-signed. Semantics: component/evidence/README.md.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { verifyLogFiles, type FileVerifyResult } from '../component/evidence/verify-files.js';
import { parseHeadArg, parseSignedHead, type ExpectedHead } from '../src/evidence/head.js';

const USAGE =
  'usage: verify-log <file-or-dir>... --public-key <pem> [--manifest <path>] [--require-signed] [--json]\n' +
  '  [--expect-head <seq:hash> | --expect-head-file <head.json or PubSub item> | --expect-head-url <http://…/api/evidence/head>]';

/** The witnessed head from whichever option gave it (a usage error as a string). */
async function expectedHead(v: {
  'expect-head'?: string;
  'expect-head-file'?: string;
  'expect-head-url'?: string;
}): Promise<ExpectedHead | string | undefined> {
  const given = [v['expect-head'], v['expect-head-file'], v['expect-head-url']].filter((x) => x !== undefined);
  if (given.length > 1) return 'give one of --expect-head, --expect-head-file, --expect-head-url';
  if (v['expect-head'] !== undefined) return parseHeadArg(v['expect-head']);
  let text: string;
  if (v['expect-head-file'] !== undefined) text = readFileSync(v['expect-head-file'], 'utf8');
  else if (v['expect-head-url'] !== undefined) {
    const res = await fetch(v['expect-head-url']);
    if (!res.ok) return `${v['expect-head-url']}: HTTP ${res.status}`;
    text = await res.text();
  } else return undefined;
  return parseSignedHead(text);
}

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
    lines.push(
      `ticket ${r.bundle.ticket}: ${r.ticketRecords ?? 0} record(s), all present; ${r.elided ?? 0} record(s) of other tickets with content elided (headers only)`,
    );
  } else if (r.manifest === 'verified') lines.push(`manifest: signed export of seq ${range(r.firstSeq, r.lastSeq)}, complete`);
  else lines.push('manifest: none');
  if (r.unsignedTail > 0) {
    const vouched = r.head?.tailVouched ? `; ${r.head.tailVouched} of them vouched for by the witnessed head` : '';
    lines.push(`unsigned tail: ${r.unsignedTail} record(s) after the last checkpoint: chained, but not yet signed${vouched}`);
  }
  lines.push(`redacted: ${r.redacted} (each matched by its redaction record)`);
  if (r.redactionsOutsideRange) lines.push(`redaction records for earlier entries (outside these files): ${r.redactionsOutsideRange}`);
  if (r.redactionsNotApplied) lines.push(`redaction records whose target still shows its content: ${r.redactionsNotApplied}`);
  lines.push(...endLines(r));
  lines.push(
    r.bundle
      ? 'OK'
      : r.head && r.head.status !== 'before-files' && r.head.after === 0
        ? `OK: intact, and complete through the witnessed head (seq ${r.head.seq})`
        : `OK: intact as far as these files go; truncation after seq ${r.lastSeq} not ruled out`,
  );
  return lines;
}

/** What the files show about the log's end: only a witnessed head can rule out a cut-off end. */
function endLines(r: FileVerifyResult): string[] {
  if (r.bundle) return []; // the bundle's signed manifest covers the ticket
  const h = r.head;
  const none = `truncation after seq ${r.lastSeq} cannot be ruled out without a witnessed head (--expect-head)`;
  if (!h) return [`end: ${none}`];
  if (h.status === 'before-files')
    return [`head: the witnessed head (seq ${h.seq}) lies before these files and says nothing about their end`, `end: ${none}`];
  const lines = [
    h.status === 'matched'
      ? `head: witnessed head at seq ${h.seq} matches: every record through seq ${h.seq} is present`
      : `head: the files end at seq ${h.seq - 1}, the hash the witnessed head at seq ${h.seq} signs: every record before that checkpoint is present`,
  ];
  if (h.after > 0)
    lines.push(
      `end: ${h.after} record(s) after the witnessed head; truncation after seq ${r.lastSeq} cannot be ruled out without a newer witnessed head`,
    );
  return lines;
}

const parseCommandLine = () =>
  parseArgs({
    allowPositionals: true,
    options: {
      'public-key': { type: 'string' },
      manifest: { type: 'string' },
      'require-signed': { type: 'boolean' },
      json: { type: 'boolean' },
      'expect-head': { type: 'string' },
      'expect-head-file': { type: 'string' },
      'expect-head-url': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });

async function main(): Promise<number> {
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine();
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length === 0 || !values['public-key']) {
    console.error(USAGE);
    return 2;
  }
  let result: FileVerifyResult;
  try {
    const pem = readFileSync(values['public-key'], 'utf8');
    const expectHead = await expectedHead(values);
    if (typeof expectHead === 'string') {
      console.error(`verify-log: witnessed head: ${expectHead}\n${USAGE}`);
      return 2;
    }
    result = await verifyLogFiles(positionals, pem, { manifestPath: values.manifest, expectHead });
  } catch (err) {
    console.error(`verify-log: ${(err as Error).message}`);
    return 2;
  }
  console.log(values.json ? JSON.stringify(result, null, 2) : describe(result).join('\n'));
  if (!result.ok) return 1;
  return values['require-signed'] && result.unsignedTail - (result.head?.tailVouched ?? 0) > 0 ? 3 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(err);
    process.exit(2);
  },
);

/**
 * Pre-registers Prosody accounts by writing mod_auth_internal_hashed's files before Prosody
 * starts: one prosodyctl process per account costs ~0.3 s, hundreds of operators would cost
 * minutes. Same record as provider.create_user (SCRAM-SHA-1, hex keys), so SCRAM and PLAIN
 * logins both work.
 */
import { createHash, createHmac, pbkdf2Sync, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Prosody's datamanager path encoding: every character outside [a-zA-Z0-9] as %xx. */
const encodePath = (s: string) => s.replace(/[^a-zA-Z0-9]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`);

const lua = (s: string) => JSON.stringify(s); // ASCII-only values: JSON string syntax is valid Lua

export function writeAccounts(
  dataDir: string,
  host: string,
  users: readonly { user: string; password: string }[],
  iterations: number,
): void {
  const dir = join(dataDir, encodePath(host), 'accounts');
  mkdirSync(dir, { recursive: true });
  for (const { user, password } of users) {
    const salt = randomUUID();
    const salted = pbkdf2Sync(password, salt, iterations, 20, 'sha1');
    const clientKey = createHmac('sha1', salted).update('Client Key').digest();
    const storedKey = createHash('sha1').update(clientKey).digest('hex');
    const serverKey = createHmac('sha1', salted).update('Server Key').digest('hex');
    writeFileSync(
      join(dir, `${encodePath(user)}.dat`),
      `return {\n\t["iteration_count"] = ${iterations};\n\t["salt"] = ${lua(salt)};\n` +
        `\t["stored_key"] = ${lua(storedKey)};\n\t["server_key"] = ${lua(serverKey)};\n};\n`,
    );
  }
}

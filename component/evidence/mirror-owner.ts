/**
 * One process per mirror directory. The mirror resumes its files at start-up (it truncates a torn
 * last line) and fills gaps from Redis as if it were their only writer, so a second instance on
 * the same directory (a hot standby started with the same config, issue 19) would cut the active
 * one's file and later write its records twice. The owner's pid is kept in `owner.pid`; an owner
 * that is gone (kill -9) leaves it behind, and the next process takes it over.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const OWNER_FILE = 'owner.pid';

export class MirrorDirTaken extends Error {
  override name = 'MirrorDirTaken';
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // there, but someone else's
  }
}

/** Claims `dir` for this process; resolves to the release. Throws MirrorDirTaken while another live process holds it. */
export async function claimMirrorDir(dir: string, pid = process.pid): Promise<() => Promise<void>> {
  await mkdir(dir, { recursive: true, mode: 0o750 });
  const path = join(dir, OWNER_FILE);
  const release = () => rm(path, { force: true });
  for (;;) {
    try {
      await writeFile(path, `${pid}\n`, { flag: 'wx', mode: 0o640 });
      return release;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const owner = Number((await readFile(path, 'utf8').catch(() => '')).trim());
    if (owner === pid) return release;
    if (Number.isSafeInteger(owner) && owner > 0 && alive(owner)) {
      throw new MirrorDirTaken(
        `evidence mirror ${dir} is written by process ${owner}: give each instance its own evidence.dataDir ` +
          "(EVIDENCE_DATA_DIR) and the deployment's one key (evidence.keyPath, EVIDENCE_KEY_PATH)",
      );
    }
    await rm(path, { force: true }); // its owner is gone
  }
}

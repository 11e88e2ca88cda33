/**
 * Issue 14 item 3: the production units in docs/systemd/ are valid for systemd itself
 * (`systemd-analyze verify`, which also needs ExecStart's binary to exist: the test verifies
 * a copy pointing at this machine's node and this tree's .build), restart always, and load
 * without a single warning (verify exits 0 even for unknown keys, so its output must be empty).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const UNITS = join(ROOT, 'docs/systemd');
const analyze = ['/usr/bin/systemd-analyze', '/bin/systemd-analyze'].find((p) => existsSync(p));
if (!analyze)
  console.warn(
    'systemd-analyze missing (Debian package `systemd`; scripts/ensure-deps.sh installs it for npm test as root): unit checks skipped',
  );

function verify(unitPath: string): { status: number | null; output: string } {
  const r = spawnSync(analyze!, ['verify', unitPath], { encoding: 'utf8', env: { ...process.env, SYSTEMD_LOG_COLOR: '0' } });
  return { status: r.status, output: `${r.stdout}${r.stderr}`.trim() };
}

describe.skipIf(!analyze)('systemd units (docs/systemd)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'madoguchi-units-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('madoguchi.service verifies cleanly, restarts always and takes secrets from an EnvironmentFile', () => {
    const unit = readFileSync(join(UNITS, 'madoguchi.service'), 'utf8');
    expect(unit).toMatch(/^Restart=always$/m);
    expect(unit).toMatch(/^EnvironmentFile=\/etc\/madoguchi\/madoguchi\.env$/m);
    expect(unit).toMatch(/^NoNewPrivileges=yes$/m);
    expect(unit).not.toMatch(/SECRET=|TOKEN=/); // secrets stay out of the unit
    const node = execFileSync('sh', ['-c', 'command -v node'], { encoding: 'utf8' }).trim();
    const local = unit.replace('/usr/bin/node', node).replaceAll('/opt/madoguchi', ROOT.replace(/\/$/, ''));
    const path = join(dir, 'madoguchi.service');
    writeFileSync(path, local);
    expect(verify(path)).toEqual({ status: 0, output: '' });
    // The check can fail: a typo in a value is reported.
    writeFileSync(path, local.replace(/^Restart=always$/m, 'Restart=allways'));
    expect(verify(path).output).toMatch(/restart specifier/);
  });

  it("the Prosody drop-in makes Debian's prosody.service restart always", () => {
    const debian = '/lib/systemd/system/prosody.service';
    if (!existsSync(debian) || !existsSync('/usr/bin/prosody')) return; // checked where Prosody is installed from Debian
    mkdirSync(join(dir, 'prosody.service.d'));
    copyFileSync(debian, join(dir, 'prosody.service'));
    copyFileSync(join(UNITS, 'prosody.service.d/restart.conf'), join(dir, 'prosody.service.d/restart.conf'));
    expect(verify(join(dir, 'prosody.service'))).toEqual({ status: 0, output: '' });
    expect(readFileSync(join(dir, 'prosody.service.d/restart.conf'), 'utf8')).toMatch(/^Restart=always$/m);
    // verify reads the drop-in beside the unit: a broken one is reported.
    writeFileSync(join(dir, 'prosody.service.d/restart.conf'), '[Service]\nRestart=allways\n');
    expect(verify(join(dir, 'prosody.service')).output).toMatch(/restart\.conf.*restart specifier/);
  });
});

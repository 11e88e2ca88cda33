/**
 * How every stack (npm start, the end-to-end tests, the bench) runs the component: compiled by
 * scripts/build-component.sh to .build/ and started on plain Node, as in production (README),
 * rather than through tsx, whose loader thread costs the process ~20–30 MB (BENCHMARKS.md F17).
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Rebuilds .build/ when a source file is newer than it (well under a second; builds take turns). */
export function buildComponent(): void {
  execFileSync('bash', [join(ROOT, 'scripts/build-component.sh'), '--if-stale'], { stdio: 'inherit' });
}

/** Node's arguments for the compiled component (source maps: stack traces name the .ts lines). */
export function componentArgs(): string[] {
  return ['--enable-source-maps', join(ROOT, '.build/component/main.js')];
}

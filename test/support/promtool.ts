/** Prometheus's promtool (Debian package `prometheus`; scripts/ensure-deps.sh installs it for npm test as root), or undefined. */
import { existsSync } from 'node:fs';

export const promtool = ['/usr/bin/promtool', '/usr/local/bin/promtool'].find((p) => existsSync(p));
if (!promtool)
  console.warn('promtool missing (Debian package `prometheus`): the promtool checks of docs/monitoring and /metrics are skipped');

#!/usr/bin/env bash
# Installs what Madoguchi needs on a Debian machine: Prosody, ejabberd, redis-server, redis-sentinel (and, for the tests,
# WITH_CHROMIUM=1: Chromium and openssl) via apt when root; npm packages via npm ci.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v prosody >/dev/null 2>&1 || need+=(prosody)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
# The second XMPP server: `XMPP_SERVER=ejabberd npm start`, and the tests' ejabberd pass.
[ -x /usr/sbin/ejabberdctl ] || need+=(ejabberd)
# Redis Sentinel (issue 19): test/e2e/redis-failover.test.ts runs a sentinel beside a primary and a replica.
command -v redis-sentinel >/dev/null 2>&1 || need+=(redis-sentinel)
if [ "${WITH_CHROMIUM:-0}" = 1 ] && [ ! -x /usr/bin/chromium ]; then need+=(chromium); fi
# The console's screenshots (docs/screenshots/admin-*.png) show Japanese: a CJK font, else boxes.
if [ "${WITH_CHROMIUM:-0}" = 1 ] && [ ! -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ]; then need+=(fonts-noto-cjk); fi
# The production-config test signs a throwaway certificate with the openssl CLI.
if [ "${WITH_CHROMIUM:-0}" = 1 ] && ! command -v openssl >/dev/null 2>&1; then need+=(openssl); fi
# test/unit/systemd-units.test.ts checks docs/systemd/ with systemd-analyze verify.
if [ "${WITH_CHROMIUM:-0}" = 1 ] && [ ! -x /usr/bin/systemd-analyze ] && [ ! -x /bin/systemd-analyze ]; then need+=(systemd); fi
# test/unit/monitoring.test.ts and test/e2e/metrics.test.ts check docs/monitoring/ and /metrics with promtool.
if [ "${WITH_CHROMIUM:-0}" = 1 ] && ! command -v promtool >/dev/null 2>&1; then need+=(prometheus); fi
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "Installing Debian packages: ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q "${need[@]}"
    # Debian starts the system services on install; Madoguchi runs its own instances.
    for svc in prosody redis-server ejabberd redis-sentinel; do
      if command -v systemctl >/dev/null 2>&1; then systemctl stop "$svc" >/dev/null 2>&1 || true; fi
      service "$svc" stop >/dev/null 2>&1 || true
    done
  else
    echo "Missing Debian packages: ${need[*]}" >&2
    echo "Install them as root, then run this again:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y ${need[*]}" >&2
    exit 1
  fi
fi
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "Installing npm packages (npm ci)"
  npm ci --no-audit --no-fund
fi

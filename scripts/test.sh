#!/usr/bin/env bash
# `npm test`: install what is missing, type-check, check formatting, lint and import direction,
# then every test suite (unit, integration, in-process, end-to-end against a real Prosody and Redis
# the suite starts itself, browser), then the end-to-end and browser suites again on ejabberd.
set -euo pipefail
cd "$(dirname "$0")/.."
WITH_CHROMIUM=1 bash scripts/ensure-deps.sh
node_modules/.bin/tsc --noEmit
node_modules/.bin/tsc --noEmit -p web-client
node_modules/.bin/tsc --noEmit -p web-client/admin
# Formatting and lint rules (biome.json), then the direction of imports between rooms
# (.dependency-cruiser.cjs, docs/architecture.md): `npm run format` fixes what it can.
node_modules/.bin/biome ci --reporter=summary .
node_modules/.bin/depcruise --config .dependency-cruiser.cjs component src config prosody ejabberd
bash scripts/build-widget.sh
if [ $# -gt 0 ]; then exec node_modules/.bin/vitest run "$@"; fi # named files: once, on XMPP_SERVER (default Prosody)
XMPP_SERVER=prosody node_modules/.bin/vitest run
# The end-to-end and browser suites again on ejabberd, the second server (README "Running on ejabberd").
# Left out there: files whose subject is the portal's reports and the mail queue, not the XMPP path
# (their XMPP traffic is what the other files test on both servers); they keep the suite well under
# 15 minutes on 2 cores.
echo "The end-to-end and browser suites on ejabberd (XMPP_SERVER=ejabberd):"
XMPP_SERVER=ejabberd exec node_modules/.bin/vitest run test/e2e test/browser \
  --exclude 'test/**/reports-*.test.ts' --exclude 'test/**/mail-delivery-faults.test.ts' --exclude 'test/**/loader-impressions.test.ts'

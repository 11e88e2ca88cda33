#!/usr/bin/env bash
# `npm test`: install what is missing, type-check, then every test suite (unit, integration,
# end-to-end against a real Prosody and Redis the suite starts itself).
set -euo pipefail
cd "$(dirname "$0")/.."
WITH_CHROMIUM=1 bash scripts/ensure-deps.sh
node_modules/.bin/tsc --noEmit
node_modules/.bin/tsc --noEmit -p web-client
bash scripts/build-widget.sh
exec node_modules/.bin/vitest run "$@"

#!/usr/bin/env bash
# `npm start`: install what is missing, then bring the whole dev stack up in the foreground.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
bash scripts/build-widget.sh
exec node_modules/.bin/tsx scripts/stack.ts "$@"

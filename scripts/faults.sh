#!/usr/bin/env bash
# `npm run faults`: the full fault suite (test/e2e/faults.test.ts, test/support/fault-runs.ts):
# widget-like customers chat with an operator while the component is killed with SIGKILL 20 times,
# Redis once and Prosody is restarted once; prints "faults injected: N, lost: L, duplicated: D"
# and fails on any loss or duplicate. FAULT_PLAN (e.g. component:50) and FAULT_SEED override.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
export FAULT_PLAN="${FAULT_PLAN:-component:20,redis:1,prosody:1}"
exec node_modules/.bin/vitest run test/e2e/faults.test.ts "$@"

#!/usr/bin/env bash
# Bundles the customer widget (web-client/src, StanzaJS included) into one minified IIFE served
# by the portal as /widget.js: web-client/dist/widget.js (gitignored). Takes well under a second.
# Built in a private directory and renamed into place, so two test files building at once never
# serve a half-written bundle. Prints the bundle's size (raw and gzip).
set -euo pipefail
cd "$(dirname "$0")/.."
tmp="web-client/dist/.build-$$"
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
node_modules/.bin/esbuild web-client/src/main.ts --bundle --format=iife --platform=browser --target=es2020 \
  --minify --sourcemap --legal-comments=none --log-level=warning --outfile="$tmp/widget.js"
mv -f "$tmp/widget.js.map" web-client/dist/widget.js.map
mv -f "$tmp/widget.js" web-client/dist/widget.js
if [[ -z "${QUIET_BUILD:-}" ]]; then
  echo "widget.js: $(wc -c < web-client/dist/widget.js) bytes, $(gzip -9c web-client/dist/widget.js | wc -c) gzipped"
fi
# The admin console beside the widget (issue 16), in the same build step.
bash scripts/build-console.sh

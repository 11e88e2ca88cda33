#!/usr/bin/env bash
# Bundles the customer widget (web-client/src, StanzaJS included) into one IIFE served by the
# portal as /widget.js: web-client/dist/widget.js (gitignored). Takes well under a second.
set -euo pipefail
cd "$(dirname "$0")/.."
node_modules/.bin/esbuild web-client/src/main.ts --bundle --format=iife --platform=browser --target=es2020 \
  --minify --sourcemap --legal-comments=none --log-level=warning --outfile=web-client/dist/widget.js

#!/usr/bin/env bash
# Bundles the admin console (web-client/admin: Preact + StanzaJS) into web-client/dist/admin/
# (console.js, console.css; gitignored), served by the portal at /admin. Run by build-widget.sh, so
# `npm start`, `npm test` and the browser tests build it with the widget. Built in a private
# directory and renamed into place, as the widget is.
set -euo pipefail
cd "$(dirname "$0")/.."
out="web-client/dist/admin"
tmp="web-client/dist/.build-console-$$"
mkdir -p "$tmp" "$out"
trap 'rm -rf "$tmp"' EXIT
node_modules/.bin/esbuild web-client/admin/src/main.tsx --bundle --format=iife --platform=browser --target=es2020 \
  --jsx=automatic --jsx-import-source=preact --minify --sourcemap --legal-comments=none --log-level=warning \
  --outfile="$tmp/console.js"
cat web-client/admin/src/console.css node_modules/uplot/dist/uPlot.min.css > "$tmp/console.css"
for f in console.js.map console.css console.js; do mv -f "$tmp/$f" "$out/$f"; done
if [[ -z "${QUIET_BUILD:-}" ]]; then
  echo "admin/console.js: $(wc -c < "$out/console.js") bytes, $(gzip -9c "$out/console.js" | wc -c) gzipped"
fi

#!/usr/bin/env bash
# Builds the customer widget (issue 20) into web-client/dist (gitignored), served by the portal:
# - chat-<hash>.js: the chat chunk (web-client/src/chat-main.ts, StanzaJS included), named by its
#   content's hash, so it can be cached for a year;
# - widget.js: the light loader (web-client/src/loader/main.ts) that the site's tag loads; it knows
#   the chunk's name and loads it when the visitor opens the chat;
# - widget-manifest.json: the current chunk's name, for loaders older than this build.
# Each file gets a .gz beside it (the portal sends it to browsers that take gzip). Chunks of the
# last builds stay (pages holding an older loader still load theirs). Built in a private directory
# and renamed into place (chunk first, loader last), so two test files building at once never
# serve a half-written bundle. Takes about a second; prints the sizes (raw and gzip).
set -euo pipefail
cd "$(dirname "$0")/.."
dist=web-client/dist
tmp="$dist/.build-$$"
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
common=(--bundle --format=iife --platform=browser --target=es2020 --minify --sourcemap --legal-comments=none --log-level=warning)
node_modules/.bin/esbuild web-client/src/chat-main.ts "${common[@]}" --entry-names='chat-[hash]' --outdir="$tmp"
chunk=$(cd "$tmp" && ls chat-*.js)
node_modules/.bin/esbuild web-client/src/loader/main.ts "${common[@]}" --define:__MDG_CHAT_CHUNK__="\"$chunk\"" --outfile="$tmp/widget.js"
printf '{"chat":"%s"}\n' "$chunk" > "$tmp/widget-manifest.json"
for f in "$chunk" widget.js; do gzip -9 -k -n "$tmp/$f"; done
for f in "$chunk" "$chunk.map" "$chunk.gz" widget-manifest.json widget.js.map widget.js.gz widget.js; do
  mv -f "$tmp/$f" "$dist/$f"
  touch "$dist/$f"
done
# Keep the newest 10 chunks (a release's pages keep loading theirs while caches turn over).
ls -t "$dist"/chat-*.js 2>/dev/null | tail -n +11 | while read -r old; do rm -f "$old" "$old.map" "$old.gz"; done
rm -f "$dist/widget.js.map.gz"
if [[ -z "${QUIET_BUILD:-}" ]]; then
  echo "widget.js (loader): $(wc -c < "$dist/widget.js") bytes, $(wc -c < "$dist/widget.js.gz") gzipped"
  echo "$chunk (chat): $(wc -c < "$dist/$chunk") bytes, $(wc -c < "$dist/$chunk.gz") gzipped"
fi
# The admin console beside the widget (issue 16), in the same build step.
bash scripts/build-console.sh

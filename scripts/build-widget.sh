#!/usr/bin/env bash
# Builds the customer widget (issue 20) into web-client/dist (gitignored), served by the portal:
# - chat-<hash>.js: the chat chunk (web-client/src/chat-main.ts, StanzaJS included), named by its
#   content's hash, so it can be cached for a year;
# - loader-<hash>.js: the light loader (web-client/src/loader/main.ts); it knows the chunk's name
#   and loads it when the visitor opens the chat; content-hashed too;
# - widget.js: the tiny entry the site's tag loads (web-client/src/loader/entry.ts), the only file
#   cached briefly; it knows the loader's name;
# - widget-manifest.json: the current chunk's and loader's names, for files older than this build.
# Each script gets a .gz beside it (the portal sends it to browsers that take gzip). Loaders and
# chunks of the last builds stay (pages holding an older entry or loader still load theirs). Built
# in a private directory and renamed into place (chunk, loader, entry last), so two test files
# building at once never serve a half-written bundle. Takes about a second; prints the sizes.
set -euo pipefail
cd "$(dirname "$0")/.."
dist=web-client/dist
tmp="$dist/.build-$$"
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
common=(--bundle --format=iife --platform=browser --target=es2020 --minify --sourcemap --legal-comments=none --log-level=warning)
node_modules/.bin/esbuild web-client/src/chat-main.ts "${common[@]}" --entry-names='chat-[hash]' --outdir="$tmp"
chunk=$(cd "$tmp" && ls chat-*.js)
node_modules/.bin/esbuild web-client/src/loader/main.ts "${common[@]}" --define:__MDG_CHAT_CHUNK__="\"$chunk\"" --entry-names='loader-[hash]' --outdir="$tmp"
loader=$(cd "$tmp" && ls loader-*.js)
node_modules/.bin/esbuild web-client/src/loader/entry.ts "${common[@]}" --define:__MDG_LOADER__="\"$loader\"" --outfile="$tmp/widget.js"
printf '{"chat":"%s","loader":"%s"}\n' "$chunk" "$loader" > "$tmp/widget-manifest.json"
for f in "$chunk" "$loader" widget.js; do gzip -9 -k -n "$tmp/$f"; done
for f in "$chunk" "$chunk.map" "$chunk.gz" "$loader" "$loader.map" "$loader.gz" widget-manifest.json widget.js.map widget.js.gz widget.js; do
  mv -f "$tmp/$f" "$dist/$f"
  touch "$dist/$f"
done
# Keep the newest 10 chunks and loaders (a release's pages keep loading theirs while caches turn over).
for kind in chat loader; do
  ls -t "$dist"/$kind-*.js 2>/dev/null | tail -n +11 | while read -r old; do rm -f "$old" "$old.map" "$old.gz"; done
done
rm -f "$dist/widget.js.map.gz"
if [[ -z "${QUIET_BUILD:-}" ]]; then
  echo "widget.js (entry): $(wc -c < "$dist/widget.js") bytes, $(wc -c < "$dist/widget.js.gz") gzipped"
  echo "$loader (loader): $(wc -c < "$dist/$loader") bytes, $(wc -c < "$dist/$loader.gz") gzipped"
  echo "$chunk (chat): $(wc -c < "$dist/$chunk") bytes, $(wc -c < "$dist/$chunk.gz") gzipped"
fi
# The admin console beside the widget (issue 16), in the same build step.
bash scripts/build-console.sh

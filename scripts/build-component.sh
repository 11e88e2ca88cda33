#!/usr/bin/env bash
# Compiles the component (component/, src/, config/) to plain ES modules in .build/ (gitignored),
# file by file with esbuild, the same transform tsx applies on the fly, plus the files the
# component reads at run time: its Lua scripts (copied), config/default.yaml and web-client/ (linked). The
# process then runs on plain Node without a TypeScript loader: Node 20 runs loader hooks on a
# thread of their own, ~20–30 MB of RSS (BENCHMARKS.md F17). Type-checking is `tsc --noEmit`'s job.
# Takes well under a second. Builds take turns (flock), each in a private directory swapped into
# place, so no one sees a half-written tree; a process already running keeps the modules it loaded.
# --if-stale: skip when .build is newer than every source file.
set -euo pipefail
cd "$(dirname "$0")/.."
sources=(component src config)
exec 9>.build.lock
flock 9
if [[ "${1:-}" == "--if-stale" && -f .build/.built ]] && [[ -z "$(find "${sources[@]}" -newer .build/.built -type f -print -quit)" ]]; then
  exit 0
fi
tmp=".build.tmp-$$"
old=".build.old-$$"
trap 'rm -rf "$tmp" "$old"' EXIT
mkdir -p "$tmp"
mapfile -t entries < <(find "${sources[@]}" -name '*.ts' ! -name '*.d.ts' -type f)
node_modules/.bin/esbuild "${entries[@]}" --outdir="$tmp" --outbase=. --format=esm --platform=node --target=node20 \
  --sourcemap --log-level=warning
find component src -type f ! -name '*.ts' ! -name '*.md' -exec cp --parents {} "$tmp/" \; # Lua: code, built with it
ln -s ../../config/default.yaml "$tmp/config/default.yaml" # configuration: edits apply without a rebuild
ln -s ../web-client "$tmp/web-client" # the portal serves web-client/dist and the demo page from here
touch "$tmp/.built"
if [[ -e .build ]]; then mv -T .build "$old"; fi
mv -T "$tmp" .build

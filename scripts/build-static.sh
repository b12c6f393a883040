#!/usr/bin/env bash
# A trailscan that runs on a Linux machine without Swift: a release build
# with the Swift runtime and Foundation linked statically
# (--static-swift-stdlib), in its own build folder so the normal build is
# untouched. The binary needs only the C library (glibc 2.36 or later: it is
# built against this machine's; build on the oldest system you target) and
# zlib (libz.so.1, in every base image). ISA-L (libisal.so.2) and SQLite
# (libsqlite3.so.0, for --db) are opened with dlopen when used: without them
# `--inflater auto` runs zlib and --db says it needs libsqlite3.
#
#   scripts/build-static.sh [--output FILE]   # default: .build/static/trailscan
#
# Prints the binary's path on stdout. scripts/test-static.sh runs it in a
# minimal Debian root; the Dockerfile runs this script in its build stage.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
output="$repo/.build/static/trailscan"
while [ $# -gt 0 ]; do
  case "$1" in
    --output) output=$2; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "build-static.sh: unknown argument $1 (--output FILE)" >&2; exit 2 ;;
  esac
done
"$repo/scripts/ensure-deps.sh"
scratch="$repo/.build/static-build"
swift build --package-path "$repo" --scratch-path "$scratch" -c release --product trailscan \
  --static-swift-stdlib >&2
mkdir -p "$(dirname "$output")"
cp "$scratch/release/trailscan" "$output"
# No Swift library may remain dynamic: only the C library family and zlib.
if command -v ldd >/dev/null 2>&1; then
  extra=$(ldd "$output" | awk '{print $1}' \
    | grep -vE '^(linux-vdso|/lib64/ld-linux|/lib/ld-linux|ld-linux|libc\.so|libm\.so|libdl\.so|libpthread\.so|librt\.so|libutil\.so|libz\.so|libgcc_s\.so|libstdc\+\+\.so)' || true)
  if [ -n "$extra" ]; then
    echo "build-static.sh: $output still needs: $(echo $extra)" >&2
    exit 1
  fi
fi
echo "$output"

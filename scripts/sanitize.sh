#!/usr/bin/env bash
# The test suite under a sanitizer: `scripts/sanitize.sh thread` (the
# default; TSan: the Dispatch fan-out and the merge) or
# `scripts/sanitize.sh address` (ASan: the unsafe buffers, mmap, zlib).
# Extra arguments go to `swift test` (e.g. --filter Hostile).
#
# Each sanitizer builds in its own scratch folder (.build-tsan, .build-asan),
# so it never invalidates the normal build. TRAILSCAN_SANITIZER tells the
# heaviest tests (gzip bombs, the 100 MB string, 5,000 files) to run at a
# fraction of their size: same code paths, sanitizers make each byte slower.
set -euo pipefail
cd "$(dirname "$0")/.."
sanitizer="${1:-thread}"
[[ $# -gt 0 ]] && shift
case "$sanitizer" in
    thread) scratch=.build-tsan ;;
    address) scratch=.build-asan ;;
    *) echo "sanitize.sh: unknown sanitizer '$sanitizer' (thread or address)" >&2; exit 2 ;;
esac
scripts/ensure-deps.sh
export TRAILSCAN_SANITIZER="$sanitizer"
# Any report fails the run: TSan and ASan exit non-zero at the end (TSan
# with 66) or at the first error (ASan).
export TSAN_OPTIONS="${TSAN_OPTIONS:-second_deadlock_stack=1}"
# LeakSanitizer is on, minus two known leaks outside trailscan: XCTest's
# suite objects and the weak-reference side table of Foundation's Process.
suppressions="$scratch/lsan.supp"
mkdir -p "$scratch"
printf 'leak:libXCTest.so\nleak:libFoundation.so\n' >"$suppressions"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$PWD/$suppressions}"
swift build --build-tests --sanitize="$sanitizer" --scratch-path "$scratch"
swift test --skip-build --sanitize="$sanitizer" --scratch-path "$scratch" "$@"

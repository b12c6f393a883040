#!/usr/bin/env bash
# Fails when a library target imports Foundation (or a libc module where it
# must not): TrailScanCore, TrailScanGenerator and TrailScanVerify are pure
# Swift (no Foundation, no syscalls); TrailScanIO, TrailScanEngine and
# TrailScanWriter talk to the OS through Glibc only. The executable, the
# tests and the test reference (_TrailScanReference) may use Foundation.
#
# Also fails when the command-line target does domain work that belongs to
# the library (ARCHITECTURE.md): resolving, merging, scanning, the store.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
check() {
  local folder=$1 pattern=$2 why=$3
  local hits
  hits=$(grep -rnE "^\s*(@preconcurrency\s+)?(public\s+|internal\s+|package\s+)?import\s+($pattern)\b" "$folder" || true)
  if [ -n "$hits" ]; then
    echo "check-imports: $why:"
    echo "$hits"
    status=1
  fi
}
check Sources/TrailScanCore 'Foundation|FoundationEssentials|Glibc|Musl|Darwin|CZlib|Dispatch' \
  "TrailScanCore must stay pure (no Foundation, libc, zlib or Dispatch)"
check Sources/TrailScanGenerator 'Foundation|FoundationEssentials|Glibc|Musl|Darwin|CZlib|Dispatch' \
  "TrailScanGenerator must stay pure"
check Sources/TrailScanIO 'Foundation|FoundationEssentials|TrailScanGenerator' \
  "TrailScanIO must not import Foundation (nor the generator: writing trails is TrailScanWriter's)"
check Sources/TrailScanEngine 'Foundation|FoundationEssentials' "TrailScanEngine must not import Foundation"
check Sources/TrailScanWriter 'Foundation|FoundationEssentials' "TrailScanWriter must not import Foundation"
check Sources/TrailScanVerify 'Foundation|FoundationEssentials|Glibc|Musl|Darwin|CZlib|Dispatch' \
  "TrailScanVerify must stay pure (swift-crypto does the cryptography)"

# The command line parses arguments, calls the library and writes output:
# none of the engine's own types may be built or driven from it.
domain=$(grep -rnE '\b(AuditResolver|ParallelScan|FileScanner|TrailScanner|RecordStream|UsageTally|SQLiteDatabase|JSONSerialization)\b|\.combine\(|\.merge\(|UsageReport\(' Sources/trailscan | grep -v 'PartialMerge\.combine(' || true)
if [ -n "$domain" ]; then
  echo "check-imports: the command-line target does domain work (move it to TrailScanEngine or TrailScanCore):"
  echo "$domain"
  status=1
fi
[ $status -eq 0 ] && echo "check-imports: library targets are clean"
exit $status

#!/usr/bin/env bash
# Fails when a library target imports Foundation (or a libc module where it
# must not): TrailScanCore, TrailScanGenerator and TrailScanVerify are pure
# Swift (no Foundation, no syscalls); TrailScanIO talks to the OS through Glibc only.
# The executable and the tests may use Foundation.
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
check Sources/TrailScanIO 'Foundation|FoundationEssentials' "TrailScanIO must not import Foundation"
check Sources/TrailScanVerify 'Foundation|FoundationEssentials|Glibc|Musl|Darwin|CZlib|Dispatch' \
  "TrailScanVerify must stay pure (swift-crypto does the cryptography)"
[ $status -eq 0 ] && echo "check-imports: library targets are clean"
exit $status

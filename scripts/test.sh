#!/usr/bin/env bash
# The test command: installs build dependencies if missing, then runs the
# whole test suite (unit, differential, end-to-end CLI and, when
# ../shared/conformance exists, the conformance check on real samples).
# Extra arguments go to `swift test` (e.g. --filter Differential).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-deps.sh
scripts/check-imports.sh
swift build --build-tests
swift test --skip-build "$@"

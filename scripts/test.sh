#!/usr/bin/env bash
# The test command: checks the build dependencies, prepares the Python
# virtual environment of the tests (.build/venv: duckdb, dask), then runs the
# whole test suite (unit, differential, end-to-end CLI and, when
# ../shared/conformance exists, the conformance check on real samples).
#
#   scripts/test.sh [--install-deps] [swift test arguments, e.g. --filter Differential]
#
# Installs nothing outside the repository unless asked: PyPI packages go into
# .build/venv (each install is named on stderr); system packages (apt-get:
# zlib1g-dev, libisal-dev, python3-venv) only with --install-deps or
# TRAILSCAN_INSTALL_DEPS=1 (.ci/run sets it). Without them a missing
# package is a one-line message: the build fails without zlib1g-dev, builds
# with zlib only without libisal-dev, and the Python tests skip without venv.
set -euo pipefail
cd "$(dirname "$0")/.."
deps=()
if [ "${1:-}" = "--install-deps" ]; then
  deps=(--install)
  export TRAILSCAN_INSTALL_DEPS=1
  shift
fi
scripts/ensure-deps.sh "${deps[@]}"
scripts/check-imports.sh
python=$(scripts/python-env.sh duckdb=duckdb 'dask.distributed=dask[distributed]')
# The tests run this Python (CLITests.python); empty: python3 on PATH.
[ -n "$python" ] && export TRAILSCAN_PYTHON="$python"
swift build --build-tests
swift test --skip-build "$@"

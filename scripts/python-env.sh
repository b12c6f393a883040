#!/usr/bin/env bash
# The Python the tests and the benchmarks use: a virtual environment in
# .build/venv (created with --system-site-packages, so modules already
# installed system-wide are used as they are), into which the missing PyPI
# packages are installed. Nothing is installed outside .build/venv.
#
#   scripts/python-env.sh [--install-deps] MODULE=PACKAGE ...
#   e.g. scripts/python-env.sh duckdb=duckdb dask.distributed='dask[distributed]'
#
# Prints the venv's python on stdout (nothing when there is none), and one
# line on stderr for each install it makes or cannot make. Creating the venv
# needs Python's venv module (Debian python3-venv); when it is missing, that
# system package is installed only with --install-deps or
# TRAILSCAN_INSTALL_DEPS=1, else a one-line message says so and the tests
# that need Python modules skip. Exit status 0 either way: every user of
# these modules skips or marks a row without them.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
venv="$repo/.build/venv"
install=0
case "${TRAILSCAN_INSTALL_DEPS:-0}" in 1|yes|true) install=1 ;; esac
wanted=()
for arg in "$@"; do
  case "$arg" in
    --install-deps) install=1 ;;
    *=*) wanted+=("$arg") ;;
    *) echo "python-env: unknown argument $arg (MODULE=PACKAGE or --install-deps)" >&2; exit 2 ;;
  esac
done
note() { echo "python-env: $*" >&2; }

command -v python3 >/dev/null 2>&1 || { note "python3 is not installed; the tests and peers that need Python are skipped"; exit 0; }
if [ ! -x "$venv/bin/python3" ]; then
  if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
    if [ "$install" = 1 ] && command -v apt-get >/dev/null 2>&1; then
      sudo=""
      [ "$(id -u)" -eq 0 ] || sudo="sudo"
      note "installing python3-venv with apt-get (to create .build/venv)"
      $sudo apt-get update -qq || true
      DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3-venv >/dev/null 2>&1 \
        || note "apt-get install python3-venv failed"
    fi
  fi
  mkdir -p "$repo/.build"
  if ! python3 -m venv --system-site-packages "$venv" >/dev/null 2>&1; then
    rm -rf "$venv"
    note "cannot create .build/venv: Python's venv module is missing (Debian python3-venv; rerun with --install-deps); the tests and peers that need PyPI packages are skipped"
    exit 0
  fi
  note "created the virtual environment .build/venv (Python packages for the tests and benchmarks go there)"
fi
python="$venv/bin/python3"
for pair in "${wanted[@]}"; do
  module=${pair%%=*} package=${pair#*=}
  "$python" -c "import $module" >/dev/null 2>&1 && continue
  note "pip install $package into .build/venv"
  "$python" -m pip install -q --disable-pip-version-check "$package" >/dev/null 2>&1 \
    || note "pip install $package failed (no network?); what needs $module is skipped"
done
echo "$python"

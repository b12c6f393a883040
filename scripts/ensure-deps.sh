#!/usr/bin/env bash
# Checks what building trailscan needs and, when asked, installs what is
# missing with apt-get:
#
#   scripts/ensure-deps.sh             # check only: one line per missing package
#   scripts/ensure-deps.sh --install   # also apt-get install them (root or sudo)
#   TRAILSCAN_INSTALL_DEPS=1 scripts/ensure-deps.sh   # same as --install
#
# Required: the zlib headers (Debian zlib1g-dev) and pkg-config; without them
# this script fails with a one-line message. Optional: the ISA-L headers
# (libisal-dev, which brings libisal2), for the faster inflater that
# `--inflater auto` (the default) picks; when they cannot be installed (no
# apt-get, no such package, no network) the build still succeeds with zlib
# alone, after a one-line note. A build made without libisal-dev recompiles
# its ISA-L support on the next `swift build` once the headers appear (see
# Package.swift, target CISAL): no clean needed.
#
# scripts/demo.sh and scripts/install.sh install (they say so on stderr);
# scripts/test.sh and scripts/bench.sh install only with --install-deps or
# TRAILSCAN_INSTALL_DEPS=1, which .ci/run sets. Safe to run repeatedly.
set -euo pipefail

install=0
case "${TRAILSCAN_INSTALL_DEPS:-0}" in 1|yes|true) install=1 ;; esac
for arg in "$@"; do
  case "$arg" in
    --install) install=1 ;;
    --no-install) install=0 ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    *) echo "ensure-deps: unknown argument $arg (--install or --no-install)" >&2; exit 2 ;;
  esac
done

isal_header=/usr/include/isa-l/igzip_lib.h
isal_why=""
required=()
[ -f /usr/include/zlib.h ] || required+=(zlib1g-dev)
command -v pkg-config >/dev/null 2>&1 || required+=(pkg-config)
optional=()
[ -f "$isal_header" ] || optional+=(libisal-dev)

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 && sudo="sudo" || sudo="none"
fi
can_apt() { command -v apt-get >/dev/null 2>&1 && [ "$sudo" != none ]; }
# Whether apt knows a package to install (a candidate version).
# (Not `| grep -q`: with pipefail, grep's early exit would fail apt-cache.)
apt_has() {
  local policy
  policy=$(apt-cache policy "$1" 2>/dev/null) || return 1
  [[ "$policy" =~ Candidate:\ [^\(] ]]
}

if [ "$install" = 1 ] && [ $((${#required[@]} + ${#optional[@]})) -gt 0 ] && can_apt; then
  wanted=("${required[@]}" "${optional[@]}")
  echo "ensure-deps: installing ${wanted[*]} with apt-get" >&2
  $sudo apt-get update -qq || echo "ensure-deps: apt-get update failed; trying the package lists as they are" >&2
  if [ ${#required[@]} -gt 0 ]; then
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${required[@]}" >/dev/null
  fi
  for package in "${optional[@]}"; do
    if ! apt_has "$package"; then
      isal_why="apt has no $package package"
    elif ! DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$package" >/dev/null 2>&1; then
      isal_why="apt-get install $package failed"
    fi
  done
fi

missing=()
[ -f /usr/include/zlib.h ] || missing+=(zlib1g-dev)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$install" = 1 ]; then
    echo "ensure-deps: the build needs ${missing[*]} (Debian packages) and they could not be installed here" >&2
  else
    echo "ensure-deps: the build needs ${missing[*]} (Debian packages): apt-get install ${missing[*]}, or rerun with --install (scripts/test.sh --install-deps)" >&2
  fi
  exit 1
fi

if [ ! -f "$isal_header" ]; then
  if [ "$install" = 1 ]; then
    why=${isal_why:-"no apt-get (or no root/sudo) to install libisal-dev"}
  else
    why="libisal-dev is not installed (apt-get install libisal-dev, or rerun with --install)"
  fi
  echo "ensure-deps: note: building without ISA-L, zlib only: $why" >&2
fi

command -v swift >/dev/null 2>&1 || {
  echo "ensure-deps: swift is not on PATH; install Swift 6.2 or later (swift.org)" >&2
  exit 1
}

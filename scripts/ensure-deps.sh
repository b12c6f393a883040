#!/usr/bin/env bash
# Installs what building trailscan needs when it is missing: the zlib
# headers (Debian package zlib1g-dev). Safe to run repeatedly; does nothing when all
# is present. Needs root (or sudo) only when it has to install.
set -euo pipefail

need=()
[ -f /usr/include/zlib.h ] || need+=(zlib1g-dev)
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)

if [ ${#need[@]} -gt 0 ]; then
  echo "ensure-deps: installing ${need[*]}" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

command -v swift >/dev/null 2>&1 || {
  echo "ensure-deps: swift is not on PATH; install Swift 6.2 or later (swift.org)" >&2
  exit 1
}

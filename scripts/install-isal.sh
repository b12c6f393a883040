#!/usr/bin/env bash
# Optional: installs ISA-L (Debian package libisal-dev, which brings the
# runtime library libisal2) so that a build of trailscan includes the faster
# inflater (`trailscan scan --inflater isal`, the default when available).
# The default build does not need it: without ISA-L, trailscan builds and
# runs with zlib alone. Rebuild trailscan after installing.
# Safe to run repeatedly; needs root (or sudo) only when it has to install.
set -euo pipefail

if [ -f /usr/include/isa-l/igzip_lib.h ]; then
  echo "install-isal: libisal-dev is already installed" >&2
else
  echo "install-isal: installing libisal-dev" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq libisal-dev >/dev/null
fi
echo "install-isal: now rebuild trailscan (swift build -c release); check with" \
  "'trailscan scan --inflater isal' (its summary names the inflater)" >&2

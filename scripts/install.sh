#!/usr/bin/env bash
# Puts trailscan on PATH: builds it in release mode and copies the binary to
# PREFIX/bin, with shell completions (bash, zsh, fish) and the manual page
# under PREFIX/share.
#
#   sudo scripts/install.sh                 # /usr/local/bin/trailscan
#   scripts/install.sh --prefix ~/.local    # ~/.local/bin/trailscan, no root
#
# Options:
#   --prefix DIR      where to install (default /usr/local)
#   --static          install the static binary of scripts/build-static.sh
#                     (runs without the Swift toolchain's libraries; larger)
#   --binary FILE     install FILE instead of building
#   --no-completions  skip the completion scripts
#   --no-man          skip the manual page (made by swift-argument-parser's
#                     generate-manual plugin)
#   --install-deps    apt-get install missing build dependencies (zlib1g-dev,
#                     pkg-config, libisal-dev); without it they are only checked
#
# A normal release build links the Swift runtime from the toolchain that
# built it (found through the binary's run path): keep that toolchain, or
# use --static for a binary you can copy to another machine.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
prefix=/usr/local
static=0
binary=""
completions=1
man=1
deps=(--no-install)
case "${TRAILSCAN_INSTALL_DEPS:-0}" in 1|yes|true) deps=(--install) ;; esac
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) prefix=${2:?--prefix needs a folder}; shift 2 ;;
    --prefix=*) prefix=${1#--prefix=}; shift ;;
    --static) static=1; shift ;;
    --binary) binary=${2:?--binary needs a file}; shift 2 ;;
    --no-completions) completions=0; shift ;;
    --no-man) man=0; shift ;;
    --install-deps) deps=(--install); shift ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
say() { echo "install.sh: $*" >&2; }
case "$prefix" in /*) ;; *) prefix="$PWD/$prefix" ;; esac

mkdir -p "$prefix/bin" 2>/dev/null || true
if [ ! -w "$prefix/bin" ]; then
  say "cannot write to $prefix/bin: run it as root (sudo scripts/install.sh) or choose another folder (--prefix ~/.local)"
  exit 1
fi

if [ -z "$binary" ]; then
  "$repo/scripts/ensure-deps.sh" "${deps[@]}"
  if [ "$static" = 1 ]; then
    binary=$("$repo/scripts/build-static.sh")
  else
    swift build --package-path "$repo" -c release --product trailscan >&2
    binary="$(swift build --package-path "$repo" -c release --product trailscan --show-bin-path)/trailscan"
  fi
fi
[ -x "$binary" ] || { say "no trailscan binary at $binary"; exit 1; }

install -m 0755 "$binary" "$prefix/bin/trailscan"
installed=("$prefix/bin/trailscan")

if [ "$completions" = 1 ]; then
  targets=(
    "bash:$prefix/share/bash-completion/completions/trailscan"
    "zsh:$prefix/share/zsh/site-functions/_trailscan"
    "fish:$prefix/share/fish/vendor_completions.d/trailscan.fish"
  )
  for entry in "${targets[@]}"; do
    shell=${entry%%:*} target=${entry#*:}
    mkdir -p "$(dirname "$target")"
    "$prefix/bin/trailscan" --generate-completion-script "$shell" >"$target.tmp" && mv "$target.tmp" "$target" \
      && installed+=("$target") || { rm -f "$target.tmp"; say "note: no $shell completion script"; }
  done
fi

if [ "$man" = 1 ]; then
  pages="$repo/.build/plugins/GenerateManual/outputs/trailscan"
  if swift package --package-path "$repo" plugin generate-manual >/dev/null 2>&1 && [ -f "$pages/trailscan.1" ]; then
    mkdir -p "$prefix/share/man/man1"
    for page in "$pages"/*.1; do
      install -m 0644 "$page" "$prefix/share/man/man1/"
      installed+=("$prefix/share/man/man1/$(basename "$page")")
    done
  else
    say "note: the manual page was not made (swift package plugin generate-manual failed); skipped"
  fi
fi

say "installed ${installed[*]}"
case ":$PATH:" in
  *":$prefix/bin:"*) "$prefix/bin/trailscan" --version >&2 ;;
  *) say "$prefix/bin is not on your PATH: add it, e.g. export PATH=\"$prefix/bin:\$PATH\" in ~/.profile" ;;
esac

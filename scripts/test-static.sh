#!/usr/bin/env bash
# The static binary (scripts/build-static.sh) on a machine without Swift: a
# minimal Debian root made with debootstrap (--variant=minbase: the C
# library, zlib, a shell; no Swift, no ISA-L, no SQLite), the binary copied
# where the Dockerfile puts it (/usr/local/bin/trailscan), and run there with
# chroot. It must generate the same trail as the normal build, scan it to the
# same CSV and NDJSON, report a corrupt file the same way (exit 1, or 0 with
# --failed-files-exit-zero), fall back to zlib without ISA-L, and say in one
# line that --db needs libsqlite3. Then the same in a copy of the root with
# the runtime packages the Dockerfile's image adds (libisal2, libsqlite3-0,
# installed with the root's own apt-get): --version names ISA-L, the CSV is
# the same, and --db works.
#
#   scripts/test-static.sh [--install-deps] [--binary FILE]
#
# Needs root (debootstrap, chroot, mounting /proc: a static Swift binary
# reads its command line from /proc/self/cmdline, as in any container) and
# debootstrap (apt-get install debootstrap; installed only with
# --install-deps or TRAILSCAN_INSTALL_DEPS=1, which .ci/run sets). The root
# is made once from the Debian mirror apt is configured with (or
# $TRAILSCAN_DEBIAN_MIRROR) and cached in .build/debian-root-SUITE (about
# 200 MB, a minute to make); --binary skips the static build.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
install=0
case "${TRAILSCAN_INSTALL_DEPS:-0}" in 1|yes|true) install=1 ;; esac
binary=""
while [ $# -gt 0 ]; do
  case "$1" in
    --install-deps) install=1; shift ;;
    --binary) binary=$2; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "test-static: unknown argument $1 (--install-deps, --binary FILE)" >&2; exit 2 ;;
  esac
done
say() { echo "test-static: $*" >&2; }
fail() { say "FAIL: $*"; exit 1; }

[ "$(id -u)" -eq 0 ] || { say "needs root (debootstrap, chroot and mount); run it as root, as .ci/run does"; exit 1; }
if ! command -v debootstrap >/dev/null 2>&1; then
  if [ "$install" = 1 ]; then
    say "installing debootstrap with apt-get"
    apt-get update -qq || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
  else
    say "needs debootstrap (Debian package): apt-get install debootstrap, or rerun with --install-deps"
    exit 1
  fi
fi

# The suite of this machine and the Debian mirror apt uses for it.
suite=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")
suite=${suite:-bookworm}
mirror=${TRAILSCAN_DEBIAN_MIRROR:-$(python3 - "$suite" <<'PY'
import glob, sys
suite = sys.argv[1]
for path in sorted(glob.glob("/etc/apt/sources.list.d/*.sources")):
    for stanza in open(path).read().split("\n\n"):
        fields = {}
        for line in stanza.splitlines():
            if ":" in line and not line.lstrip().startswith("#"):
                key, value = line.split(":", 1)
                fields[key.strip().lower()] = value.split()
        if suite in fields.get("suites", []) and "deb" in fields.get("types", []) and fields.get("uris"):
            print(fields["uris"][0]); sys.exit()
for path in ["/etc/apt/sources.list"] + sorted(glob.glob("/etc/apt/sources.list.d/*.list")):
    try:
        lines = open(path).read().splitlines()
    except OSError:
        continue
    for line in lines:
        words = [w for w in line.split("#")[0].split() if not w.startswith("[")]
        if len(words) >= 3 and words[0] == "deb" and words[2] == suite:
            print(words[1]); sys.exit()
print("http://deb.debian.org/debian")
PY
)}

root="$repo/.build/debian-root-$suite"
slim="$root-slim"
if [ ! -f "$root/.trailscan-root" ]; then
  rm -rf "$slim"
  rm -rf "$root" "$root.partial"
  mkdir -p "$repo/.build"
  say "making a minimal Debian $suite root from $mirror (once; cached in ${root#"$repo"/})"
  if ! debootstrap --variant=minbase "$suite" "$root.partial" "$mirror" >"$repo/.build/debootstrap.log" 2>&1; then
    tail -5 "$repo/.build/debootstrap.log" >&2
    fail "debootstrap failed (log: .build/debootstrap.log)"
  fi
  echo "$suite $mirror" >"$root.partial/.trailscan-root"
  mv "$root.partial" "$root"
fi
if [ ! -f "$slim/.trailscan-root" ]; then
  rm -rf "$slim" "$slim.partial"
  say "adding libisal2 and libsqlite3-0 to a copy of the root (as the Dockerfile's image; once)"
  cp -a "$root" "$slim.partial"
  mount -t proc proc "$slim.partial/proc" || fail "cannot mount /proc in the root"
  set +e
  chroot "$slim.partial" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive sh -c \
    'apt-get update -qq && apt-get install -y -qq --no-install-recommends libisal2 libsqlite3-0 && apt-get clean' \
    >"$repo/.build/debootstrap-slim.log" 2>&1
  status=$?
  set -e
  umount "$slim.partial/proc"
  [ $status = 0 ] || fail "apt-get install libisal2 libsqlite3-0 in the root failed (log: .build/debootstrap-slim.log)"
  mv "$slim.partial" "$slim"
fi
[ ! -e "$root/opt/swift" ] && [ -z "$(find "$root" -xdev -name 'libswiftCore.so*' -print -quit)" ] \
  || fail "the Debian root has Swift in it"

[ -n "$binary" ] || binary=$(scripts/build-static.sh)
say "normal build for comparison (swift build --product trailscan)"
swift build --product trailscan >&2
normal=$(swift build --product trailscan --show-bin-path)/trailscan

work=$(mktemp -d "${TMPDIR:-/tmp}/trailscan-static.XXXXXX")
mounted=()
cleanup() {
  for m in "${mounted[@]}"; do umount "$m" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
for r in "$root" "$slim"; do
  install -m 0755 "$binary" "$r/usr/local/bin/trailscan"
done
# Without /proc a static Swift binary has no command line: one line, exit 2.
if ! mountpoint -q "$root/proc"; then
  set +e
  chroot "$root" /usr/local/bin/trailscan --version >/dev/null 2>"$work/noproc"; noproc=$?
  set -e
  [ "$noproc" = 2 ] && grep -q "/proc is not mounted" "$work/noproc" && [ "$(wc -l <"$work/noproc")" = 1 ] \
    || fail "without /proc: exit $noproc, $(cat "$work/noproc")"
fi
for r in "$root" "$slim"; do
  if ! mountpoint -q "$r/proc"; then
    mount -t proc proc "$r/proc" || fail "cannot mount /proc in the root"
    mounted+=("$r/proc")
  fi
done
# As in a container: a clean environment, the trailscan on PATH.
in_root() { local r=$1; shift; chroot "$r" /usr/bin/env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=/root "$@"; }

# ------------------------------------------------ the bare root: libc and zlib
in_root "$root" sh -c 'command -v swift' >/dev/null 2>&1 && fail "swift is on PATH in the root"
version=$(in_root "$root" trailscan --version) || fail "trailscan --version failed in the root"
say "bare root: $version"
case "$version" in
  *"(inflater: zlib "*"; no isal: cannot load libisal.so.2)") ;;
  *) fail "--version in a root without ISA-L should name zlib: $version" ;;
esac

rm -rf "$root/sample"
in_root "$root" trailscan generate --out /sample --bytes 3M --seed 7 --style adversarial 2>/dev/null \
  || fail "trailscan generate failed in the root"
"$normal" generate --out "$work/sample" --bytes 3M --seed 7 --style adversarial 2>/dev/null
diff -r "$root/sample" "$work/sample" >/dev/null || fail "the root's generated trail differs from the normal build's"

for format in csv ndjson; do
  in_root "$root" trailscan scan /sample -f "$format" -q >"$work/static.$format" || fail "scan -f $format failed in the root"
  "$normal" scan "$root/sample" -f "$format" -q >"$work/normal.$format"
  [ "$(wc -l <"$work/normal.$format")" -gt 20 ] || fail "the normal build's $format report is too short"
  cmp -s "$work/static.$format" "$work/normal.$format" || fail "scan -f $format differs from the normal build's"
done

# A corrupt log file: reported, exit 1; exit 0 with --failed-files-exit-zero.
printf 'not gzip' >"$root/sample/AWSLogs/broken.json.gz"
set +e
in_root "$root" trailscan scan /sample -f csv >/dev/null 2>"$work/errors"; broken=$?
in_root "$root" trailscan scan /sample -f csv --failed-files-exit-zero >/dev/null 2>/dev/null; tolerant=$?
in_root "$root" trailscan scan /sample --db /tmp/k.db -f csv >/dev/null 2>"$work/db"; db=$?
set -e
rm -f "$root/sample/AWSLogs/broken.json.gz"
[ "$broken" = 1 ] && grep -q "/sample/AWSLogs/broken.json.gz" "$work/errors" \
  || fail "a corrupt file should exit 1 and be named (exit $broken)"
[ "$tolerant" = 0 ] || fail "--failed-files-exit-zero should exit 0 (exit $tolerant)"
[ "$db" = 2 ] && [ "$(wc -l <"$work/db")" = 1 ] && grep -q "libsqlite3" "$work/db" \
  || fail "--db without libsqlite3 should be a one-line usage error (exit $db: $(cat "$work/db"))"

# ------------------------- the Dockerfile's image: + libisal2, libsqlite3-0
version=$(in_root "$slim" trailscan --version) || fail "trailscan --version failed in the image root"
say "image root: $version"
case "$version" in
  *"(inflater: isal "*" / zlib "*")") ;;
  *) fail "--version with libisal2 installed should name isal: $version" ;;
esac
rm -rf "$slim/sample" "$slim/tmp/k.db"
cp -a "$root/sample" "$slim/sample"
in_root "$slim" trailscan scan /sample -f csv -q >"$work/image.csv" || fail "scan failed in the image root"
cmp -s "$work/image.csv" "$work/normal.csv" || fail "scan with ISA-L in the image root differs from the normal build's"
# A store answers as a full scan does.
for run in 1 2; do
  in_root "$slim" trailscan scan /sample --db /tmp/k.db -f csv >"$work/db.csv" 2>"$work/db.err" \
    || fail "--db run $run failed in the image root: $(cat "$work/db.err")"
  cmp -s "$work/db.csv" "$work/normal.csv" || fail "--db run $run differs from the normal build's scan"
done
grep -q "0 folder(s) scanned" "$work/db.err" || fail "the second --db run should rescan nothing: $(cat "$work/db.err")"

say "ok: $(du -h "$binary" | cut -f1) static binary, no Swift in the root: same trail, CSV and NDJSON ($(wc -l <"$work/normal.csv") lines) as the normal build; zlib fallback, exit codes, --db message; with libisal2 and libsqlite3-0, ISA-L and --db"

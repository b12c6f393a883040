#!/usr/bin/env bash
# End-to-end comparison: trailscan against the decompression floors and the
# peers a user would reach for, on one generated trail, in one run.
#
#   scripts/bench.sh                          # 1.5G of JSON, 3 runs each
#   scripts/bench.sh --bytes 200M --runs 1    # quick check
#   scripts/bench.sh --update BENCHMARKS.md   # also replace the results there
#
# What it does, in order:
#  1. installs the PyPI packages of the Python peers (duckdb, orjson,
#     pysimdjson) into the virtual environment .build/venv, naming each on
#     stderr (scripts/python-env.sh; nothing with --no-install); and, only
#     with --install-deps or TRAILSCAN_INSTALL_DEPS=1, the missing Debian
#     packages with apt-get (jq, isal for igzip, libisal-dev for trailscan's
#     --inflater isal, libdeflate-tools, pigz, time, procps, zlib1g-dev).
#     A peer that is missing gets a "skipped: why" row.
#  2. builds trailscan in release (`swift build -c release --product trailscan`;
#     --scratch-path or $TRAILSCAN_BENCH_SCRATCH, default .build).
#  3. generates the trail with `trailscan generate` into --dir (default
#     corpus/trail-SIZE-seedN, git-ignored), or reuses it when a previous
#     generation there completed with the same size and seed; and a
#     sub-corpus (hard links to a sample of its files, --sub-bytes of JSON)
#     for the slow peers, jq and DuckDB.
#  4. reads every file once (the page cache is warm for every command), runs
#     every command once untimed (warm-up, answers checked too), then times
#     them round-robin: run 1 of every command, then run 2 of every command,
#     ... so drifts in machine speed hit every command alike.
#     trailscan runs with --no-resolve-aliases --no-dedup throughout: the
#     peers compute docs/counting.md's counts, which is that mode (the cost of the
#     audit refinements is scripts/bench-audit.sh's table).
#  5. checks every answer against trailscan --jobs 2's CSV (✓/✗ next to the
#     time, as ripgrep's benchsuite prints line counts), and prints a
#     Markdown table with medians, GB/s of JSON, the ratio to trailscan
#     --jobs 2 on the same corpus, and peak RSS; the same text goes to the
#     results file (--results), and with --update into the
#     <!-- bench:begin --> ... <!-- bench:end --> block of a Markdown file.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)

usage() {
  cat <<'EOF'
usage: scripts/bench.sh [options]
  --bytes SIZE        uncompressed JSON of the generated trail (default 1.5G)
  --seed N            generator seed (default 1)
  --runs N            timed runs of each command (default 3)
  --warmup N          untimed runs of each command before timing (default 1)
  --dir DIR           trail folder (default corpus/trail-SIZE-seedN)
  --sub-bytes SIZE    JSON in the sub-corpus for jq and DuckDB (default 100M)
  --scratch-path DIR  SwiftPM build folder (default: $TRAILSCAN_BENCH_SCRATCH or .build)
  --results FILE      where to write the results (default corpus/bench-results-DATE.md)
  --update FILE       replace the block between <!-- bench:begin --> and
                      <!-- bench:end --> in FILE (e.g. BENCHMARKS.md) with the results
  --install-deps      apt-get install the missing Debian packages (also
                      TRAILSCAN_INSTALL_DEPS=1); without it, none is installed
  --no-install        do not pip install into .build/venv either
  --no-build          use the trailscan already built in the scratch path
  --only REGEX        time only the commands whose id matches (ids: see the table)
  --cardinality       also time groupings with millions of distinct values
                      (scripts/bench-cardinality.sh: --by key,event vs key,principal
                      vs key,resource, peak RSS), appended to the results
  --wait-quiet        before timing, wait (up to 30 min) until the 1-minute load
                      average is under 0.5 and no Swift compiler is running
EOF
}

bytes=1.5G
seed=1
runs=3
warmup=1
dir=""
sub_bytes=100M
scratch=${TRAILSCAN_BENCH_SCRATCH:-.build}
results=""
update=""
install=1
apt_install=0
case "${TRAILSCAN_INSTALL_DEPS:-0}" in 1|yes|true) apt_install=1 ;; esac
build=1
only=""
wait_quiet=0
cardinality=0
while [ $# -gt 0 ]; do
  case "$1" in
    --bytes) bytes=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    --sub-bytes) sub_bytes=$2; shift 2 ;;
    --scratch-path) scratch=$2; shift 2 ;;
    --results) results=$2; shift 2 ;;
    --update) update=$2; shift 2 ;;
    --no-install) install=0; apt_install=0; shift ;;
    --install-deps) apt_install=1; shift ;;
    --no-build) build=0; shift ;;
    --only) only=$2; shift 2 ;;
    --wait-quiet) wait_quiet=1; shift ;;
    --cardinality) cardinality=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "bench.sh: --runs must be a positive integer" >&2; exit 2; }
[[ "$warmup" =~ ^[0-9]+$ ]] || { echo "bench.sh: --warmup must be an integer" >&2; exit 2; }

log() { echo "bench.sh: $*" >&2; }

# Sizes like 1.5G, 100M, 512K or plain bytes (binary units, as trailscan generate).
to_bytes() {
  python3 -c '
import sys
s = sys.argv[1].strip().upper()
m = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
print(int(float(s[:-1]) * m[s[-1]]) if s and s[-1] in m else int(s))' "$1"
}
bytes_n=$(to_bytes "$bytes")
sub_n=$(to_bytes "$sub_bytes")

case "$scratch" in /*) ;; *) scratch="$repo/$scratch" ;; esac
[ -n "$dir" ] || dir="$repo/corpus/trail-$bytes-seed$seed"
case "$dir" in /*) ;; *) dir="$PWD/$dir" ;; esac
dir=${dir%/}
sub="$dir-sub$sub_bytes"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
[ -n "$results" ] || results="$(dirname "$dir")/bench-results-$stamp.md"

# ---------------------------------------------------------------- install
declare -A skip_reason=()   # peer id -> why it is skipped

deps_flag=(--no-install)
[ "$apt_install" = 1 ] && deps_flag=(--install)
"$repo/scripts/ensure-deps.sh" "${deps_flag[@]}"
need=()
command -v jq >/dev/null || need+=(jq)
command -v igzip >/dev/null || need+=(isal)
command -v pigz >/dev/null || need+=(pigz)
command -v libdeflate-gunzip >/dev/null || need+=(libdeflate-tools)
[ -x /usr/bin/time ] || need+=(time)
command -v free >/dev/null || need+=(procps)
if [ ${#need[@]} -gt 0 ] && [ "$apt_install" = 1 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  log "installing ${need[*]} with apt-get"
  $sudo apt-get update -qq || true
  for p in "${need[@]}"; do
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$p" >/dev/null 2>&1 \
      || log "apt-get install $p failed"
  done
elif [ ${#need[@]} -gt 0 ]; then
  log "missing Debian packages ${need[*]}: their rows are skipped (rerun with --install-deps to apt-get install them)"
fi
# The Python of the peers: .build/venv with duckdb, orjson and pysimdjson
# (installed there unless --no-install), else python3 on PATH.
py=""
if [ "$install" = 1 ]; then
  py=$("$repo/scripts/python-env.sh" duckdb=duckdb orjson=orjson simdjson=pysimdjson)
elif [ -x "$repo/.build/venv/bin/python3" ]; then
  py="$repo/.build/venv/bin/python3"
fi
[ -n "$py" ] || py=$(command -v python3)
[ -x /usr/bin/time ] || { echo "bench.sh: /usr/bin/time (Debian package time) is required (rerun with --install-deps)" >&2; exit 1; }
command -v jq >/dev/null || skip_reason[jq]="jq is not installed (Debian package jq; --install-deps)"
command -v pigz >/dev/null || skip_reason[pigz]="pigz is not installed (Debian package pigz; --install-deps)"
command -v igzip >/dev/null || skip_reason[igzip]="igzip is not installed (Debian package isal; --install-deps)"
command -v libdeflate-gunzip >/dev/null || skip_reason[libdeflate]="libdeflate-gunzip is not installed (Debian package libdeflate-tools; --install-deps)"
"$py" -c 'import duckdb' 2>/dev/null || skip_reason[duckdb]="Python module duckdb is not installed (pip install duckdb into .build/venv failed or --no-install)"
"$py" -c 'import orjson' 2>/dev/null || skip_reason[py_orjson]="Python module orjson is not installed (pip install orjson into .build/venv failed or --no-install)"
if ! "$py" -c 'import simdjson' 2>/dev/null; then
  skip_reason[py_simdjson]="Python module simdjson is not installed (pip install pysimdjson into .build/venv failed or --no-install)"
  skip_reason[py_simdjson_lazy]=${skip_reason[py_simdjson]}
fi

# ------------------------------------------------------------------ build
if [ "$build" = 1 ]; then
  log "building trailscan (release, scratch path $scratch)"
  swift build --package-path "$repo" -c release --product trailscan --scratch-path "$scratch" >&2
fi
bin="$scratch/release/trailscan"
[ -x "$bin" ] || { echo "bench.sh: no trailscan binary at $bin" >&2; exit 1; }

# ----------------------------------------------------------------- corpus
marker="$dir/.bench-trail"
want="bytes=$bytes_n seed=$seed style=compact"
if [ -f "$marker" ] && [ "$(head -1 "$marker")" = "$want" ]; then
  log "reusing the trail in $dir ($(sed -n 2p "$marker"))"
else
  if [ -e "$dir" ] && [ ! -f "$marker" ] && [ -n "$(ls -A "$dir" 2>/dev/null)" ]; then
    echo "bench.sh: $dir exists and is not a trail this script generated; choose another --dir" >&2
    exit 1
  fi
  rm -rf "$dir" "$sub"
  log "generating $bytes of JSON (seed $seed) into $dir"
  gen_line=$("$bin" generate --out "$dir" --bytes "$bytes_n" --seed "$seed" 2>&1 >/dev/null | tail -1)
  log "$gen_line"
  printf '%s\n%s\n' "$want" "$gen_line" >"$marker"
fi

# Log files, largest first (for xargs -P2 and the sub-corpus sample).
work=$(mktemp -d "${TMPDIR:-/tmp}/trailscan-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
(cd "$dir" && find . -name '*.json.gz' -not -path '*/CloudTrail-Digest/*' -not -path '*/CloudTrail-Insight/*' -printf '%s\t%P\n') \
  | sort -t$'\t' -k1,1nr -k2 >"$work/files-by-size"
[ -s "$work/files-by-size" ] || { echo "bench.sh: no log files in $dir" >&2; exit 1; }
awk -F'\t' -v d="$dir" '{ printf "%s/%s%c", d, $2, 0 }' "$work/files-by-size" >"$work/full.list0"
sort -z "$work/full.list0" >"$work/full.bypath.list0"

# The sub-corpus: every k-th file in path order that still fits in the
# budget (compressed bytes scaled by the trail's compression ratio).
if [ ! -f "$sub/.bench-sub" ] || [ "$(cat "$sub/.bench-sub")" != "$want sub=$sub_n" ]; then
  rm -rf "$sub"
  mkdir -p "$sub"
  python3 - "$dir" "$sub" "$sub_n" "$work/files-by-size" <<'PY'
import os, sys, shutil
src, dst, budget, listing = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
files = sorted((line.rstrip("\n").split("\t", 1)[1], int(line.split("\t", 1)[0])) for line in open(listing))
gz_total = sum(size for _, size in files)
json_total = 0
for line in open(os.path.join(src, ".bench-trail")).read().split("\n")[:1]:
    json_total = int(line.split()[0].split("=")[1])
ratio = json_total / gz_total if gz_total else 1
limit = budget / ratio          # compressed bytes that hold about `budget` of JSON
stride = max(1, round(json_total / budget))
order = [files[i] for start in range(stride) for i in range(start, len(files), stride)]
taken = 0
for rel, size in order:
    if taken + size > limit:
        continue
    taken += size
    target = os.path.join(dst, rel)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    try:
        os.link(os.path.join(src, rel), target)
    except OSError:
        shutil.copyfile(os.path.join(src, rel), target)
PY
  echo "$want sub=$sub_n" >"$sub/.bench-sub"
fi
(cd "$sub" && find . -name '*.json.gz' -printf '%s\t%P\n') | sort -t$'\t' -k1,1nr -k2 \
  | awk -F'\t' -v d="$sub" '{ printf "%s/%s%c", d, $2, 0 }' >"$work/sub.list0"
sort -z "$work/sub.list0" >"$work/sub.bypath.list0"

# Warm the page cache: every file is read once before any timing.
log "reading every file once (warm page cache)"
cat "$dir"/.bench-trail >/dev/null
xargs -0 cat <"$work/full.list0" >/dev/null
xargs -0 cat <"$work/sub.list0" >/dev/null

# Reference answers and corpus facts, from trailscan --jobs 2.
zlib_args=()
"$bin" scan --help 2>/dev/null | grep -q -- '--inflater' && zlib_args=(--inflater zlib)
"$bin" scan "$dir" --no-resolve-aliases --no-dedup --format csv --jobs 2 --quiet "${zlib_args[@]}" >"$work/ref-full.csv"
"$bin" scan "$sub" --no-resolve-aliases --no-dedup --format csv --jobs 2 --quiet "${zlib_args[@]}" >"$work/ref-sub.csv"
"$bin" scan "$dir" --no-resolve-aliases --no-dedup --format json --jobs 2 --quiet "${zlib_args[@]}" >"$work/facts-full.json"
"$bin" scan "$sub" --no-resolve-aliases --no-dedup --format json --jobs 2 --quiet "${zlib_args[@]}" >"$work/facts-sub.json"

# --------------------------------------------------------------- commands
# One line per command: id | label | corpus (full|sub) | cores | answer (csv|none) | shell command
peers="$repo/scripts/peers"
cmds="$work/commands"
: >"$cmds"
add() { printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$cmds"; }
skipped() { printf '%s\t%s\t%s\t-\tskip\t%s\n' "$1" "$2" "$3" "${skip_reason[$1]}" >>"$cmds"; }
q() { printf '%q' "$1"; }

# The reference rows use zlib; a binary with --inflater (which may default to
# a faster library) is told so explicitly, and the other inflaters it
# accepts get rows of their own.
zlib=""
has_inflater=0
if "$bin" scan --help 2>/dev/null | grep -q -- '--inflater'; then
  has_inflater=1
  zlib=" --inflater zlib"
fi
add ts_j2 "trailscan --jobs 2 (zlib)" full 2 csv "$(q "$bin") scan $(q "$dir") --no-resolve-aliases --no-dedup --format csv --jobs 2 --quiet$zlib"
add ts_j1 "trailscan --jobs 1 (zlib)" full 1 csv "$(q "$bin") scan $(q "$dir") --no-resolve-aliases --no-dedup --format csv --jobs 1 --quiet$zlib"
add ts_inflate_j2 "trailscan --inflate-only --jobs 2 (zlib, no scan)" full 2 none "$(q "$bin") scan $(q "$dir") --no-resolve-aliases --no-dedup --format csv --jobs 2 --quiet --inflate-only$zlib"
add ts_inflate_j1 "trailscan --inflate-only --jobs 1 (zlib, no scan)" full 1 none "$(q "$bin") scan $(q "$dir") --no-resolve-aliases --no-dedup --format csv --jobs 1 --quiet --inflate-only$zlib"
if [ "$has_inflater" = 1 ]; then
  for inf in isal libdeflate; do
    if "$bin" scan "$sub" --inflater "$inf" --no-resolve-aliases --no-dedup --format csv --jobs 1 --quiet 2>/dev/null | cmp -s - "$work/ref-sub.csv"; then
      add "ts_${inf}_j2" "trailscan --inflater $inf --jobs 2" full 2 csv "$(q "$bin") scan $(q "$dir") --no-resolve-aliases --no-dedup --format csv --jobs 2 --quiet --inflater $inf"
      add "ts_${inf}_j1" "trailscan --inflater $inf --jobs 1" full 1 csv "$(q "$bin") scan $(q "$dir") --no-resolve-aliases --no-dedup --format csv --jobs 1 --quiet --inflater $inf"
      add "ts_${inf}_inflate_j2" "trailscan --inflater $inf --inflate-only --jobs 2 (no scan)" full 2 none "$(q "$bin") scan $(q "$dir") --no-resolve-aliases --no-dedup --format csv --jobs 2 --quiet --inflate-only --inflater $inf"
      add "ts_${inf}_inflate_j1" "trailscan --inflater $inf --inflate-only --jobs 1 (no scan)" full 1 none "$(q "$bin") scan $(q "$dir") --no-resolve-aliases --no-dedup --format csv --jobs 1 --quiet --inflate-only --inflater $inf"
    fi
  done
fi
# Decompression floors: the same files, largest first, two workers.
floor() { echo "xargs -0 -P2 -n 16 $1 <$(q "$work/full.list0") >/dev/null"; }
add gzip "gzip -dc (GNU gzip's own inflate), xargs -P2" full 2 none "$(floor 'gzip -dc')"
if [ -n "${skip_reason[pigz]:-}" ]; then skipped pigz "pigz -p 1 -dc (zlib's inflate), xargs -P2" full
else add pigz "pigz -p 1 -dc (zlib's inflate), xargs -P2" full 2 none "$(floor 'pigz -p 1 -dc')"; fi
if [ -n "${skip_reason[igzip]:-}" ]; then skipped igzip "igzip -dc (ISA-L), xargs -P2" full
else add igzip "igzip -dc (ISA-L), xargs -P2" full 2 none "$(floor 'igzip -dc')"; fi
if [ -n "${skip_reason[libdeflate]:-}" ]; then skipped libdeflate "libdeflate-gunzip -c, xargs -P2" full
else add libdeflate "libdeflate-gunzip -c, xargs -P2" full 2 none "$(floor 'libdeflate-gunzip -c')"; fi
# Peers that compute the same counts.
add py_json "python3 kms_counts.py --parser json (gzip + json)" full 1 csv "$(q "$py") $(q "$peers/kms_counts.py") --parser json $(q "$dir")"
if [ -n "${skip_reason[py_orjson]:-}" ]; then skipped py_orjson "python3 kms_counts.py --parser orjson" full
else add py_orjson "python3 kms_counts.py --parser orjson" full 1 csv "$(q "$py") $(q "$peers/kms_counts.py") --parser orjson $(q "$dir")"; fi
if [ -n "${skip_reason[py_simdjson]:-}" ]; then
  skipped py_simdjson "python3 kms_counts.py --parser simdjson (as_dict)" full
  skipped py_simdjson_lazy "python3 kms_counts.py --parser simdjson-lazy (proxies)" full
else
  add py_simdjson "python3 kms_counts.py --parser simdjson (as_dict)" full 1 csv "$(q "$py") $(q "$peers/kms_counts.py") --parser simdjson $(q "$dir")"
  add py_simdjson_lazy "python3 kms_counts.py --parser simdjson-lazy (proxies)" full 1 csv "$(q "$py") $(q "$peers/kms_counts.py") --parser simdjson-lazy $(q "$dir")"
fi
# The two fastest Python peers again on both cores: two processes, the
# files dealt out largest first, counts merged.
if [ -z "${skip_reason[py_orjson]:-}" ]; then
  add py_orjson_j2 "python3 kms_counts.py --parser orjson --jobs 2" full 2 csv "$(q "$py") $(q "$peers/kms_counts.py") --parser orjson --jobs 2 $(q "$dir")"
fi
if [ -z "${skip_reason[py_simdjson_lazy]:-}" ]; then
  add py_simdjson_lazy_j2 "python3 kms_counts.py --parser simdjson-lazy --jobs 2" full 2 csv "$(q "$py") $(q "$peers/kms_counts.py") --parser simdjson-lazy --jobs 2 $(q "$dir")"
fi
# The slow peers, on the sub-corpus, next to trailscan on the same files.
add ts_sub_j2 "trailscan --jobs 2 (zlib)" sub 2 csv "$(q "$bin") scan $(q "$sub") --no-resolve-aliases --no-dedup --format csv --jobs 2 --quiet$zlib"
add ts_sub_j1 "trailscan --jobs 1 (zlib)" sub 1 csv "$(q "$bin") scan $(q "$sub") --no-resolve-aliases --no-dedup --format csv --jobs 1 --quiet$zlib"
if [ -n "${skip_reason[jq]:-}" ]; then skipped jq "zcat | jq (kms_counts.jq)" sub
else add jq "xargs zcat | jq -f kms_counts.jq" sub 1 csv "xargs -0 zcat <$(q "$work/sub.bypath.list0") | jq -rn -f $(q "$peers/kms_counts.jq")"; fi
if [ -n "${skip_reason[duckdb]:-}" ]; then skipped duckdb "DuckDB read_json (kms_counts_duckdb.py)" sub
else add duckdb "DuckDB read_json (kms_counts_duckdb.py)" sub 2 csv "$(q "$py") $(q "$peers/kms_counts_duckdb.py") $(q "$sub")"; fi

if [ -n "$only" ]; then
  awk -F'\t' -v re="$only" '$1 ~ re || $1 == "ts_j2" || $1 == "ts_sub_j2"' "$cmds" >"$cmds.only" && mv "$cmds.only" "$cmds"
fi

# ----------------------------------------------------------------- timing
mkdir -p "$work/out"
timings="$work/timings"   # id run seconds maxrss_kb exit answer_ok
: >"$timings"
run_one() {  # id run corpus answer command
  local id=$1 r=$2 corpus=$3 answer=$4 cmd=$5 out="$work/out/$1.$2" start end rc ok
  start=$EPOCHREALTIME
  set +e
  /usr/bin/time -f '%M' -o "$out.time" bash -c "$cmd" >"$out.csv" 2>"$out.err"
  rc=$?
  set -e
  end=$EPOCHREALTIME
  ok=-
  if [ "$answer" = csv ]; then
    if [ $rc -eq 0 ] && cmp -s "$out.csv" "$work/ref-$corpus.csv"; then ok=1; else ok=0; fi
  fi
  local rss
  rss=$(grep -E '^[0-9]+$' "$out.time" | tail -1 || true)
  printf '%s %s %s %s %s %s\n' "$id" "$r" "$(python3 -c "print(f'{$end - $start:.4f}')")" "${rss:-0}" "$rc" "$ok" >>"$timings"
  [ $rc -eq 0 ] || log "$id run $r exited $rc: $(tail -2 "$out.err" | tr '\n' ' ')"
  if [ "$ok" = 0 ] && [ ! -f "$work/out/$id.diff" ]; then diff "$work/ref-$corpus.csv" "$out.csv" | head -20 >"$work/out/$id.diff" || true; fi
  rm -f "$out.csv"
}

if [ "$wait_quiet" = 1 ]; then
  deadline=$((SECONDS + 1800))
  while :; do
    load1=$(cut -d' ' -f1 /proc/loadavg)
    compilers=$(ps -eo comm= | grep -cE '^(swift-build|swift-frontend|swift-test)$' || true)
    if [ "$compilers" = 0 ] && awk -v l="$load1" 'BEGIN { exit !(l < 0.5) }'; then break; fi
    if [ $SECONDS -ge $deadline ]; then log "still busy after 30 min (load $load1); timing anyway"; break; fi
    log "waiting for a quiet machine (load $load1, $compilers Swift compiler processes)"
    sleep 30
  done
fi
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
total=$(( (runs + warmup) * $(awk -F'\t' '$5 != "skip"' "$cmds" | wc -l) ))
n=0
for ((r = 1 - warmup; r <= runs; r++)); do
  while IFS=$'\t' read -r id label corpus cores answer cmd; do
    [ "$answer" = skip ] && continue
    n=$((n + 1))
    if [ $r -le 0 ]; then log "[$n/$total] warm-up: $label ($corpus)"; else log "[$n/$total] run $r/$runs: $label ($corpus)"; fi
    run_one "$id" "$r" "$corpus" "$answer" "$cmd"
  done <"$cmds"
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# ----------------------------------------------------------------- report
swift_version=$(swift --version 2>&1 | grep -m1 -i 'swift version' || echo unknown)
commit=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)
[ -z "$(git -C "$repo" status --porcelain --untracked-files=no 2>/dev/null)" ] || commit="$commit (with uncommitted changes)"
{
  echo "cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "cores=$(nproc)"
  echo "ram=$(free -g | awk '/^Mem:/ { print $2 " GiB" }')"
  echo "kernel=$(uname -sr)"
  echo "swift=$swift_version"
  echo "commit=$commit"
  echo "gzip=$(gzip --version 2>&1 | head -1)"
  # A tool that is missing (no --install-deps) is named so, not by bash's error.
  tool_version() { command -v "$1" >/dev/null && "$@" 2>&1 | head -1 || echo "$1 not installed"; }
  echo "igzip=$(tool_version igzip --version)"
  echo "libdeflate=libdeflate-gunzip: $(tool_version libdeflate-gunzip -V)"
  echo "pigz=$(tool_version pigz --version)"
  echo "jq=$(jq --version 2>&1 || true)"
  echo "python=$("$py" --version 2>&1)"
  echo "pypkgs=$("$py" -c 'import importlib.metadata as m
out = []
for p in ("duckdb", "orjson", "pysimdjson"):
    try: out.append(f"{p} {m.version(p)}")
    except Exception: out.append(f"{p} missing")
print(", ".join(out))')"
  echo "load_before=$load_before"
  echo "load_after=$load_after"
  echo "runs=$runs"
  echo "warmup=$warmup"
  echo "stamp=$stamp"
  echo "dir=$dir"
  echo "sub=$sub"
  echo "seed=$seed"
  echo "bytes=$bytes"
  echo "sub_bytes=$sub_bytes"
} >"$work/env"

python3 - "$work" >"$results" <<'PY'
import json, os, statistics, sys
work = sys.argv[1]
env = dict(line.rstrip("\n").split("=", 1) for line in open(os.path.join(work, "env")))
facts = {c: json.load(open(os.path.join(work, f"facts-{c}.json")))["summary"] for c in ("full", "sub")}
cmds = [line.rstrip("\n").split("\t") for line in open(os.path.join(work, "commands"))]
runs = {}
for line in open(os.path.join(work, "timings")):
    cid, r, secs, rss, rc, ok = line.split()
    if int(r) >= 1:
        runs.setdefault(cid, []).append((float(secs), int(rss), int(rc), ok))
warm_ok = {}
for line in open(os.path.join(work, "timings")):
    cid, r, secs, rss, rc, ok = line.split()
    if int(r) < 1:
        warm_ok.setdefault(cid, []).append(ok)
rows_full = sum(1 for _ in open(os.path.join(work, "ref-full.csv"))) - 1
rows_sub = sum(1 for _ in open(os.path.join(work, "ref-sub.csv"))) - 1

def median(cid):
    return statistics.median(s for s, *_ in runs[cid]) if cid in runs else None

base = {"full": median("ts_j2"), "sub": median("ts_sub_j2")}
gb = lambda n: n / 1e9
mb = lambda n: n / 1e6

def corpus_name(c):
    return "trail" if c == "full" else "sub-corpus"

out = []
p = out.append
p(f"### Results {env['stamp']}")
p("")
p("| command | corpus | cores | median s | GB/s JSON | × time of trailscan -j2 (zlib) | peak RSS MiB | answer |")
p("| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |")
for cid, label, corpus, cores, answer, cmd in cmds:
    label = label.replace("|", "\\|")
    if answer == "skip":
        p(f"| {label} | {corpus_name(corpus)} | - | - | - | - | - | skipped: {cmd} |")
        continue
    if cid not in runs:
        continue
    rs = runs[cid]
    med = median(cid)
    rate = gb(facts[corpus]["bytesUncompressed"]) / med if med > 0 else float("inf")
    ratio = med / base[corpus] if base[corpus] else float("nan")
    rss = max(m for _, m, _, _ in rs) / 1024
    failed = [rc for _, _, rc, _ in rs if rc != 0]
    if answer == "none":
        check = "n/a (no answer)" if not failed else f"✗ exit {failed[0]}"
    else:
        oks = [ok for *_, ok in rs] + warm_ok.get(cid, [])
        rows = rows_full if corpus == "full" else rows_sub
        if all(ok == "1" for ok in oks):
            check = f"✓ {rows} rows" + (" (reference)" if cid in ("ts_j2", "ts_sub_j2") else "")
        else:
            bad = sum(1 for ok in oks if ok != "1")
            check = f"✗ differs in {bad}/{len(oks)} runs" + (f" (exit {failed[0]})" if failed else "")
    spread = f" ({min(s for s, *_ in rs):.2f}–{max(s for s, *_ in rs):.2f})" if len(rs) > 1 else ""
    p(f"| {label} | {corpus_name(corpus)} | {cores} | {med:.2f}{spread} | {rate:.3f} | {ratio:.2f} | {rss:.0f} | {check} |")
p("")

def ratio(a, b):
    ma, mb_ = median(a), median(b)
    return f"{ma / mb_:.2f}" if ma and mb_ else "n/a"

p("Derived, from the medians above:")
p("")
if median("ts_j1") and median("ts_inflate_j1"):
    share = (median("ts_j1") - median("ts_inflate_j1")) / median("ts_j1")
    p(f"- scanner's share of trailscan --jobs 1 (1 − inflate-only / full): {share * 100:.0f}%")
p(f"- trailscan --jobs 1 / --jobs 2 (speed-up from the second core; target ≥ 1.8): {ratio('ts_j1', 'ts_j2')}")
p(f"- trailscan --jobs 2 / trailscan --inflate-only --jobs 2 (zlib, no scan; target ≤ 1.25): {ratio('ts_j2', 'ts_inflate_j2')}")
p(f"- trailscan --jobs 2 / gzip -dc on 2 workers: {ratio('ts_j2', 'gzip')}; / pigz -dc (zlib) on 2 workers: {ratio('ts_j2', 'pigz')}")
for inf in ("isal", "libdeflate"):
    if f"ts_{inf}_j2" in runs:
        p(f"- trailscan --jobs 2 (zlib) / trailscan --inflater {inf} --jobs 2 (target ≥ 1.8): {ratio('ts_j2', f'ts_{inf}_j2')}")
        p(f"- trailscan --inflater {inf} --jobs 2 / --inflate-only --jobs 2 with {inf} (no scan): {ratio(f'ts_{inf}_j2', f'ts_{inf}_inflate_j2')}; / igzip -dc on 2 workers: {ratio(f'ts_{inf}_j2', 'igzip')}")
if "ts_j2" in runs:
    p(f"- peak RSS of trailscan --jobs 2: {max(m for _, m, _, _ in runs['ts_j2']) / 1024:.0f} MiB (target ≤ 64)")
p("")
f, s = facts["full"], facts["sub"]
p(f"Corpus: `trailscan generate --bytes {env['bytes']} --seed {env['seed']}` (compact JSON, gzip level 6): "
  f"{f['files']} log files ({f['filesSkipped']} digest files skipped), {f['records']:,} records "
  f"({f['kmsRecords']:,} KMS), {gb(f['bytesUncompressed']):.3f} GB JSON in {mb(f['bytesCompressed']):.1f} MB gzip "
  f"(ratio {f['bytesUncompressed'] / f['bytesCompressed']:.1f}); the answer is {rows_full} CSV rows.")
p(f"Sub-corpus (jq, DuckDB and the trailscan rows they are compared with): hard links to every k-th log file "
  f"in path order that fits a {env['sub_bytes']} JSON budget (so it leans to smaller files): {s['files']} files, "
  f"{s['records']:,} records, {gb(s['bytesUncompressed']):.3f} GB JSON in {mb(s['bytesCompressed']):.1f} MB gzip; "
  f"{rows_sub} CSV rows. Its GB/s and ratios are against trailscan on the same sub-corpus.")
p("")
p(f"Machine: {env['cpu']}, {env['cores']} cores, {env['ram']} RAM, {env['kernel']}; "
  f"load average before {env['load_before']}, after {env['load_after']}.")
p(f"Toolchain: {env['swift']}; trailscan at commit {env['commit']}, built `-c release`. "
  f"Tools: {env['gzip']}; {env['pigz']}; {env['igzip']}; {env['libdeflate']}; {env['jq']}; {env['python']} ({env['pypkgs']}).")
p("")
p(f"Method: page cache warm (every file is read once before timing, and the trail is far smaller than RAM); "
  f"{env['warmup']} untimed warm-up run of every command, then {env['runs']} timed run(s), round-robin "
  "(run 1 of every command, then run 2 of every command, ...); median wall-clock seconds (min–max in brackets); "
  "GB/s = 10^9 bytes of uncompressed JSON per second; the ratio is this command's median over trailscan --jobs 2's "
  "median on the same corpus (above 1: slower than trailscan). Peak RSS is GNU time's %M: the largest single "
  "process of the command (for `xargs -P2` and `zcat | jq`, the largest of its processes, not their sum). "
  "Every answer of every run (warm-up included) is compared byte for byte with trailscan --jobs 2's CSV. "
  "Cores: the processes or threads a command keeps busy; the Python peers are one process (1 core) "
  "unless `--jobs 2` (two processes over the files, largest first, counts merged), "
  "DuckDB uses its default thread count (all cores), jq runs beside its zcat (1 core + zcat).")
print("\n".join(out))
PY

if [ "$cardinality" = 1 ]; then
  log "groupings with millions of values: scripts/bench-cardinality.sh --runs $runs"
  { echo; echo "Groupings with millions of distinct values (\`scripts/bench-cardinality.sh --runs $runs\`, the same run):"; echo
    TRAILSCAN_BENCH_SCRATCH=$scratch scripts/bench-cardinality.sh --runs "$runs" --no-build; } >>"$results"
fi

cat "$results"
log "results written to $results"
for d in "$work"/out/*.diff; do
  [ -e "$d" ] || continue
  log "answer of $(basename "$d" .diff) differs from trailscan's (first lines of diff ref vs it):"
  cat "$d" >&2
done

if [ -n "$update" ]; then
  python3 - "$update" "$results" <<'PY'
import re, sys
target, results = sys.argv[1], open(sys.argv[2]).read().rstrip("\n")
text = open(target).read()
# The markers count only alone on their lines (the docs may quote them).
block = re.compile(r"^<!-- bench:begin -->[ \t]*\n.*?^<!-- bench:end -->[ \t]*$", re.M | re.S)
found = block.findall(text)
if len(found) != 1:
    sys.exit(f"bench.sh: {target} needs exactly one block of a line <!-- bench:begin --> ... "
             f"a line <!-- bench:end --> (found {len(found)})")
replacement = "<!-- bench:begin -->\n" + results + "\n<!-- bench:end -->"
open(target, "w").write(block.sub(lambda _: replacement, text))
PY
  log "updated the results block in $update"
fi

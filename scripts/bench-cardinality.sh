#!/usr/bin/env bash
# Groupings with millions of distinct values (issue #16), side by side in one
# run: on a high-cardinality trail (`trailscan generate --sessions N
# --objects N`: N KMS Decrypt calls through S3, each by its own role session
# on its own S3 object, 1,000 keys), `--by key,event` (1,000 rows), `--by
# key,principal` and `--by key,resource` (N rows each), and `--by
# key,principal` on a trail of N/2 (the cost of doubling the distinct
# values). Rounds alternate the commands; each reports the median wall and
# CPU seconds, the median peak RSS, the rows written, and its wall time as a
# multiple of `--by key,event`'s. Every run's CSV must be the same as the
# first run's (checked by hash), and the row counts must be N + 1 (header).
#
#   scripts/bench-cardinality.sh [--sessions 2000000] [--runs 3] [--jobs 2] [--baseline BIN]
#   scripts/bench.sh --cardinality ...   # runs this after the main table
#
# --baseline BIN also times BIN's `--by key,principal` on the N/2 trail (a
# build from before a change; its CSV must equal this build's).
set -euo pipefail
cd "$(dirname "$0")/.."
sessions=2000000 runs=3 jobs=2 build=1 baseline=""
while [ $# -gt 0 ]; do
  case "$1" in
    --sessions) sessions=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    --baseline) baseline=$2; shift 2 ;;
    *) echo "usage: $0 [--sessions 2000000] [--runs 3] [--jobs 2] [--no-build] [--baseline BIN]" >&2; exit 2 ;;
  esac
done
[[ "$sessions" =~ ^[0-9]+$ && "$sessions" -ge 2 ]] || { echo "$0: --sessions must be an integer of at least 2" >&2; exit 2; }
scratch=${TRAILSCAN_BENCH_SCRATCH:-.build}
[ "$build" = 1 ] && swift build -c release --product trailscan --scratch-path "$scratch" >/dev/null
bin=$scratch/release/trailscan
half=$((sessions / 2))
tmp=${TMPDIR:-/tmp}
generate() {  # N -> trail folder (kept between runs: generation is deterministic)
  local dir=$tmp/trailscan-bench-cardinality-$1
  if [ ! -f "$dir/.complete" ]; then
    rm -rf "$dir"
    "$bin" generate --out "$dir" --sessions "$1" --objects "$1" >&2
    touch "$dir/.complete"
  fi
  echo "$dir"
}
full=$(generate "$sessions")
small=$(generate "$half")
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
common="--format csv --quiet --jobs $jobs"
names=("--by key,event" "--by key,principal" "--by key,resource" "--by key,principal (N/2 trail)")
cmds=("$bin scan $full $common --by key,event" "$bin scan $full $common --by key,principal"
  "$bin scan $full $common --by key,resource" "$bin scan $small $common --by key,principal")
expected_rows=(1001 $((sessions + 1)) $((sessions + 1)) $((half + 1)))
if [ -n "$baseline" ]; then
  names+=("baseline $baseline: --by key,principal (N/2 trail)")
  cmds+=("$baseline scan $small $common --by key,principal")
  expected_rows+=($((half + 1)))
fi
declare -A cpu wall rss hash rows
for ((r = 0; r <= runs; r++)); do  # round 0 warms the page cache
  for i in "${!cmds[@]}"; do
    stats=$( { /usr/bin/time -f "%U %S %e %M" ${cmds[$i]} -o "$out/$i.csv"; } 2>&1 | tail -n 1)
    h=$(md5sum <"$out/$i.csv" | cut -d' ' -f1)
    if [ -z "${rows[$i]:-}" ]; then
      rows[$i]=$(wc -l <"$out/$i.csv")
      if [ "${rows[$i]}" != "${expected_rows[$i]}" ]; then
        echo "$0: ${names[$i]} wrote ${rows[$i]} lines, expected ${expected_rows[$i]}" >&2; exit 1
      fi
    fi
    # The baseline's answer must be this build's (same rows, same bytes).
    [ "$i" = 4 ] && [ -z "${hash[4]:-}" ] && hash[4]=${hash[3]}
    if [ -z "${hash[$i]:-}" ]; then
      hash[$i]=$h
    elif [ "$h" != "${hash[$i]}" ]; then
      echo "$0: ${names[$i]} gave a different CSV in round $r" >&2; exit 1
    fi
    rm -f "$out/$i.csv"
    [ $r -eq 0 ] && continue
    read -r u s e m <<<"$stats"
    cpu[$i]+="$(awk -v u="$u" -v s="$s" 'BEGIN {print u + s}') "
    wall[$i]+="$e "
    rss[$i]+="$m "
  done
done
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
base=$(echo "${wall[0]}" | median)
echo "| command ($sessions distinct sessions and objects, jobs $jobs) | wall s (median of $runs) | CPU s | peak RSS MB | rows | × key,event wall |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
for i in "${!cmds[@]}"; do
  w=$(echo "${wall[$i]}" | median); c=$(echo "${cpu[$i]}" | median); m=$(echo "${rss[$i]}" | median)
  printf '| %s | %s | %s | %s | %s | %s |\n' "${names[$i]}" "$w" "$c" "$((m / 1024))" "$((rows[$i] - 1))" \
    "$(awk -v w="$w" -v b="$base" 'BEGIN {printf "%.2f", w / b}')"
done
w1=$(echo "${wall[3]}" | median); w2=$(echo "${wall[1]}" | median)
echo
echo "Doubling the distinct principals ($half → $sessions): × $(awk -v a="$w2" -v b="$w1" 'BEGIN {printf "%.2f", a / b}') wall."

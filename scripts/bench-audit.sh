#!/usr/bin/env bash
# What the audit reports cost against the default report (issue #5), side by
# side in one run: the same trail scanned by each command, rounds alternated,
# median user+sys CPU seconds and wall seconds per command, and the ratio to
# the engine's plain key/event count. With --baseline BIN, that binary's
# default report (e.g. a build from before the audit options) runs too.
#
#   scripts/bench-audit.sh [--bytes 300M] [--runs 3] [--baseline BIN]
set -euo pipefail
cd "$(dirname "$0")/.."
bytes=300M runs=3 baseline=""
while [ $# -gt 0 ]; do
  case "$1" in
    --bytes) bytes=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --baseline) baseline=$2; shift 2 ;;
    *) echo "usage: $0 [--bytes 300M] [--runs 3] [--baseline BIN]" >&2; exit 2 ;;
  esac
done
scripts/ensure-deps.sh >/dev/null
swift build -c release --product trailscan >/dev/null
bin=.build/release/trailscan
trail=${TMPDIR:-/tmp}/trailscan-bench-audit-$bytes
[ -d "$trail" ] || "$bin" generate --out "$trail" --bytes "$bytes" --seed 3 >/dev/null
common="--format csv --quiet --inflater zlib --jobs 1"
names=("engine (--no-resolve-aliases --no-dedup)" "default" "--by key,principal,identity-type --times"
  "--errors-only --by key,event,error-code,principal" "--report idle" "--since/--until one day --by day")
cmds=("$bin scan $trail $common --no-resolve-aliases --no-dedup" "$bin scan $trail $common"
  "$bin scan $trail $common --by key,principal,identity-type --times"
  "$bin scan $trail $common --errors-only --by key,event,error-code,principal"
  "$bin scan $trail $common --report idle"
  "$bin scan $trail $common --since 2026-10-02 --until 2026-10-03 --by day")
if [ -n "$baseline" ]; then names+=("baseline default ($baseline)"); cmds+=("$baseline scan $trail $common"); fi
declare -A cpu wall
for ((r = 0; r <= runs; r++)); do  # round 0 warms the page cache
  for i in "${!cmds[@]}"; do
    out=$( { /usr/bin/time -f "%U %S %e" ${cmds[$i]} >/dev/null; } 2>&1 | tail -n 1)
    [ $r -eq 0 ] && continue
    read -r u s e <<<"$out"
    cpu[$i]+="$(awk -v u="$u" -v s="$s" 'BEGIN {print u + s}') "
    wall[$i]+="$e "
  done
done
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
base=$(echo "${cpu[0]}" | median)
echo "| command (jobs 1, zlib, $bytes generated trail) | CPU s (median of $runs) | wall s | × engine CPU |"
echo "| --- | --- | --- | --- |"
for i in "${!cmds[@]}"; do
  c=$(echo "${cpu[$i]}" | median); w=$(echo "${wall[$i]}" | median)
  echo "| ${names[$i]} | $c | $w | $(awk -v c="$c" -v b="$base" 'BEGIN {printf "%.3f", c / b}') |"
done

#!/usr/bin/env bash
# Builds the libFuzzer targets of FuzzTesting/ (swift-protobuf's layout) and
# runs each for a given time, or replays the saved crashers.
#
#   scripts/fuzz.sh [--seconds N] [--target NAME] [--regressions] [--release] [--jobs N]
#
#   --seconds N     run each target for N seconds (default 60)
#   --target NAME   FuzzScanner, FuzzValidation, FuzzInflate or FuzzDigest (default: all,
#                   one after the other)
#   --regressions   only replay FuzzTesting/FailCases/<target>-* (each must pass)
#   --release       build with -c release (finds different bugs; default debug)
#   --jobs N        libFuzzer -fork=N processes per target (default 1)
#
# The seed corpus is written by FuzzTesting/make-corpus.py (small generated
# trails and edge cases; nothing binary is committed) into
# FuzzTesting/.build/seeds/; the growing corpus lives in
# FuzzTesting/.build/corpus/<target>/. A crash, leak or check failure is saved
# as FuzzTesting/FailCases/<target>-crash-<sha1>: minimize it
# (`<binary> -minimize_crash=1 -runs=10000 FILE`), keep the minimized file in
# FailCases/ and add a named regression test in Tests/.
#
# SWIFT_BACKTRACE=enable=no: otherwise Swift's backtracer takes over on the
# first crash and hangs instead of letting libFuzzer write the crasher
# (STYLE.md §9). Fuzzers run under `nice -n 10`.
#
# Needs a `trailscan` binary for the seed corpus: $TRAILSCAN, else
# .build/debug/trailscan after `swift build --product trailscan`.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=60
targets=(FuzzScanner FuzzValidation FuzzInflate FuzzDigest)
regressions=0
configuration=debug
jobs=1
while [[ $# -gt 0 ]]; do
    case "$1" in
        --seconds) seconds="$2"; shift 2 ;;
        --target) targets=("$2"); shift 2 ;;
        --regressions) regressions=1; shift ;;
        --release) configuration=release; shift ;;
        --jobs) jobs="$2"; shift 2 ;;
        -h|--help) sed -n '2,29p' "$0"; exit 0 ;;
        *) echo "fuzz.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done

export SWIFT_BACKTRACE=enable=no
fuzz=FuzzTesting
(cd "$fuzz" && swift build -c "$configuration" --scratch-path .build \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library 2>&1 |
    grep -v "Cannot export local symbol" || true)
bin="$fuzz/.build/$configuration"
for target in "${targets[@]}"; do
    [[ -x "$bin/$target" ]] || { echo "fuzz.sh: $bin/$target was not built" >&2; exit 1; }
done

if [[ $regressions -eq 1 ]]; then
    status=0
    for target in "${targets[@]}"; do
        shopt -s nullglob
        cases=("$fuzz/FailCases/$target"-*)
        shopt -u nullglob
        echo "== $target: ${#cases[@]} saved case(s)"
        [[ ${#cases[@]} -eq 0 ]] && continue
        if ! "$bin/$target" -runs=1 "${cases[@]}" >/dev/null 2>"$fuzz/.build/$target-regressions.log"; then
            echo "fuzz.sh: $target fails on a saved case; see $fuzz/.build/$target-regressions.log" >&2
            tail -30 "$fuzz/.build/$target-regressions.log" >&2
            status=1
        fi
    done
    exit $status
fi

seeds="$fuzz/.build/seeds"
if [[ ! -d "$seeds/FuzzScanner" || ! -d "$seeds/FuzzDigest" ]]; then
    trailscan="${TRAILSCAN:-}"
    if [[ -z "$trailscan" ]]; then
        swift build --product trailscan
        trailscan=.build/debug/trailscan
    fi
    python3 "$fuzz/make-corpus.py" "$trailscan" "$seeds"
fi

for target in "${targets[@]}"; do
    corpus="$fuzz/.build/corpus/$target"
    mkdir -p "$corpus"
    log="$fuzz/.build/$target-$(date -u +%Y%m%dT%H%M%S).log"
    echo "== $target for ${seconds}s (log: $log)"
    fork=()
    [[ "$jobs" -gt 1 ]] && fork=(-fork="$jobs" -ignore_crashes=0)
    set +e
    seeded="$seeds/$target"
    # FuzzValidation takes plain documents, as FuzzScanner does.
    [[ "$target" == FuzzValidation ]] && seeded="$seeds/FuzzScanner"
    nice -n 10 "$bin/$target" "$corpus" "$seeded" "${fork[@]}" \
        -dict="$fuzz/trailscan.dict" -max_total_time="$seconds" -max_len=8192 -timeout=10 \
        -rss_limit_mb=3072 -report_slow_units=60 -print_final_stats=1 -artifact_prefix="$fuzz/FailCases/$target-" >"$log" 2>&1
    rc=$?
    set -e
    grep -E "^stat::|Done [0-9]+ runs|SUMMARY|FUZZ CHECK FAILED|Test unit written" "$log" || true
    echo "   corpus: $(ls "$corpus" | wc -l) inputs; exit status $rc"
    if [[ $rc -ne 0 ]]; then
        echo "fuzz.sh: $target found a failure; see $log and $fuzz/FailCases/" >&2
        exit 1
    fi
done

#!/usr/bin/env bash
# The main job: installs build dependencies if missing, builds trailscan in
# release mode, and runs `trailscan scan` with the given arguments (paths are
# relative to where you run it). With no arguments it scans the built-in
# sample trail and shows its 10 busiest keys and the summary.
#   scripts/demo.sh                      # sample trail, table of the top keys
#   scripts/demo.sh ~/trail --format csv
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
"$repo/scripts/ensure-deps.sh"
swift build --package-path "$repo" -c release --product trailscan >&2
if [ $# -eq 0 ]; then
  exec "$repo/.build/release/trailscan" scan --top 10
fi
exec "$repo/.build/release/trailscan" scan "$@"

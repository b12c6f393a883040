#!/usr/bin/env python3
"""Scan a trail with trailscan on a Dask cluster, one shard per task, then merge.

Each task runs `trailscan scan ROOT --shard K/N --format json` on whichever
worker Dask gives it and returns the JSON report; the driver writes the
reports to a folder and runs `trailscan merge` on them, which prints exactly
what one scan of the whole trail prints. Sharding is by a stable hash of each
file's S3 key, so workers only need the trail mounted (at any path).

    # one machine: a local cluster of PROCESSES worker processes
    dask_scan.py --trailscan .build/release/trailscan --shards 8 /data/trail -- --format csv
    # a running cluster
    dask_scan.py --scheduler tcp://scheduler:8786 --shards 64 /mnt/trail -- --format json -o kms.json

Arguments after `--` go to `trailscan merge` (format, output). Install with
`pip install "dask[distributed]"`. Exit status: trailscan merge's (0, or 1
when some files failed), 2 when a shard could not run at all, or trailscan
(--trailscan, default the one on PATH) cannot be run (a one-line message).
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile


def scan_shard(trailscan, root, shard, shards, jobs):
    """Runs one shard; returns (shard, exit status, JSON report, stderr)."""
    command = [trailscan, "scan", root, "--shard", f"{shard}/{shards}", "--format", "json", "--quiet"]
    if jobs:
        command += ["--jobs", str(jobs)]
    try:
        done = subprocess.run(command, capture_output=True, text=True)
    except OSError as error:  # not on this worker, or not executable
        return shard, 127, "", f"cannot run {trailscan} on this worker: {error.strerror}"
    return shard, done.returncode, done.stdout, done.stderr


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", help="the trail folder (the same path on every worker)")
    parser.add_argument("--trailscan", default="trailscan", help="path to the trailscan binary on the workers")
    parser.add_argument("--shards", type=int, default=os.cpu_count() or 1, help="number of shards (tasks)")
    parser.add_argument("--scheduler", help="address of a running Dask scheduler (default: a local cluster)")
    parser.add_argument("--processes", type=int, default=2, help="worker processes of the local cluster")
    parser.add_argument("--jobs", type=int, default=1, help="trailscan --jobs inside each task")
    args, merge_args = parser.parse_known_args()
    if merge_args and merge_args[0] == "--":
        merge_args = merge_args[1:]
    if args.shards < 1:
        parser.error("--shards must be at least 1")

    # The driver runs `trailscan merge` itself: check before starting tasks.
    found = shutil.which(args.trailscan)
    if found is None:
        if os.sep not in args.trailscan:
            where = f"'{args.trailscan}' is not on PATH"
        elif os.path.exists(args.trailscan):
            where = f"{args.trailscan} is not executable"
        else:
            where = f"{args.trailscan} does not exist"
        print(f"dask_scan.py: cannot run trailscan: {where} (install it, see the README's Install section, "
              "or pass --trailscan PATH)", file=sys.stderr)
        return 2
    args.trailscan = os.path.abspath(found) if os.sep in args.trailscan else args.trailscan

    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as error:
        print(f"dask_scan.py: needs dask.distributed ({error}); install it with "
              "pip install \"dask[distributed]\"", file=sys.stderr)
        return 2

    if args.scheduler:
        client = Client(args.scheduler)
    else:
        cluster = LocalCluster(n_workers=args.processes, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    try:
        futures = [client.submit(scan_shard, args.trailscan, args.root, k, args.shards, args.jobs, pure=False)
                   for k in range(1, args.shards + 1)]
        results = client.gather(futures)
    finally:
        client.close()

    with tempfile.TemporaryDirectory(prefix="trailscan-dask-") as folder:
        paths = []
        for shard, status, report, errors in sorted(results):
            if status not in (0, 1) or not report:
                print(f"dask_scan.py: shard {shard}/{args.shards} failed (exit {status}): {errors.strip()}",
                      file=sys.stderr)
                return 2
            path = os.path.join(folder, f"part-{shard}.json")
            with open(path, "w") as out:
                out.write(report)
            paths.append(path)
        return subprocess.run([args.trailscan, "merge", *paths, *merge_args]).returncode


if __name__ == "__main__":
    sys.exit(main())

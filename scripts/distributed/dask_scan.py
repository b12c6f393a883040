#!/usr/bin/env python3
"""Scan a trail with trailscan on a Dask cluster, one shard per task, then merge.

Each task runs `trailscan scan ROOT --shard K/N --format partial` on
whichever worker Dask gives it and returns the partial result; the driver
writes the parts to a folder and runs `trailscan merge` on them, which prints
exactly what one scan of the whole trail with the same options prints.
Sharding is by a stable hash of each file's S3 key, so workers only need the
trail mounted (at any path).

    # one machine: a local cluster of PROCESSES worker processes
    dask_scan.py --trailscan .build/release/trailscan --shards 8 /data/trail -- --format csv
    # a running cluster, an audit grouping
    dask_scan.py --scheduler tcp://scheduler:8786 --shards 64 /mnt/trail -- --by key,principal -f json -o kms.json

Arguments after `--` are trailscan's: the output options (-f/--format,
-o/--output, -q/--quiet) go to `trailscan merge`, every other one (--by,
--report, filters, --no-dedup...) to each shard's `trailscan scan`. Install
with `pip install "dask[distributed]"`. Exit status: trailscan merge's (0, or
1 when some files failed), 2 when a shard could not run at all.
"""
import argparse
import os
import subprocess
import sys
import tempfile


# Options of `trailscan merge` (the rest of the arguments after `--` are the
# scan's): those that take a value, and flags.
MERGE_OPTIONS = {"-f": True, "--format": True, "-o": True, "--output": True, "-q": False, "--quiet": False}


def split_arguments(arguments):
    """Splits trailscan arguments into (scan arguments, merge arguments)."""
    scan, merge = [], []
    i = 0
    while i < len(arguments):
        word = arguments[i]
        name = word.split("=", 1)[0]
        if name in MERGE_OPTIONS:
            merge.append(word)
            if MERGE_OPTIONS[name] and "=" not in word and i + 1 < len(arguments):
                merge.append(arguments[i + 1])
                i += 1
        else:
            scan.append(word)
        i += 1
    return scan, merge


def scan_shard(trailscan, root, shard, shards, jobs, scan_args):
    """Runs one shard; returns (shard, exit status, partial result, stderr)."""
    command = [trailscan, "scan", root, "--shard", f"{shard}/{shards}", *scan_args, "--format", "partial", "--quiet"]
    if jobs:
        command += ["--jobs", str(jobs)]
    done = subprocess.run(command, capture_output=True, text=True)
    return shard, done.returncode, done.stdout, done.stderr


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", help="the trail folder (the same path on every worker)")
    parser.add_argument("--trailscan", default="trailscan", help="path to the trailscan binary on the workers")
    parser.add_argument("--shards", type=int, default=os.cpu_count() or 1, help="number of shards (tasks)")
    parser.add_argument("--scheduler", help="address of a running Dask scheduler (default: a local cluster)")
    parser.add_argument("--processes", type=int, default=2, help="worker processes of the local cluster")
    parser.add_argument("--jobs", type=int, default=1, help="trailscan --jobs inside each task")
    args, rest = parser.parse_known_args()
    if rest and rest[0] == "--":
        rest = rest[1:]
    scan_args, merge_args = split_arguments(rest)
    if args.shards < 1:
        parser.error("--shards must be at least 1")

    from dask.distributed import Client, LocalCluster

    if args.scheduler:
        client = Client(args.scheduler)
    else:
        cluster = LocalCluster(n_workers=args.processes, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    try:
        futures = [client.submit(scan_shard, args.trailscan, args.root, k, args.shards, args.jobs, scan_args,
                                 pure=False)
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
            path = os.path.join(folder, f"part-{shard}.partial.json")
            with open(path, "w") as out:
                out.write(report)
            paths.append(path)
        return subprocess.run([args.trailscan, "merge", *paths, *merge_args]).returncode


if __name__ == "__main__":
    sys.exit(main())

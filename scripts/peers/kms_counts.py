#!/usr/bin/env python3
"""Per-KMS-key counts of a CloudTrail trail, in trailscan's CSV format.

An independent implementation of docs/counting.md on Python's json module, used
as a benchmark peer (scripts/bench.sh) and as a cross-check of trailscan's
CSV on trails the Swift tests never saw. It walks the same files trailscan
walks (*.json.gz and *.json, skipping CloudTrail-Digest/ and
CloudTrail-Insight/), counts files that fail to parse on stderr, and prints
`key,event_name,calls,errors` sorted by key then event name in byte order.

Usage: kms_counts.py [--parser json|orjson|simdjson|simdjson-lazy] [--jobs N] PATH...

--parser simdjson converts each document to Python objects (as_dict());
--parser simdjson-lazy walks pysimdjson's Object/Array proxies instead and
converts only the fields the rules read (pysimdjson's advice for speed).
"""
import argparse, csv, gzip, io, os, re, sys
from collections import Counter

KEY_ARN = re.compile(r"^arn:[^:]+:kms:[^:]*:[^:]*:key/.+", re.S)
SKIPPED = {"CloudTrail-Digest", "CloudTrail-Insight"}
# JSON arrays and objects as the parser returns them (pysimdjson's lazy
# proxies are added by --parser simdjson-lazy).
LIST_TYPES = (list,)
DICT_TYPES = (dict,)


def files_under(paths):
    for root in paths:
        if os.path.isfile(root):
            yield root
            continue
        for folder, dirs, names in os.walk(root, followlinks=True):
            dirs.sort()
            if SKIPPED & set(os.path.relpath(folder, root).split(os.sep)):
                continue
            for name in sorted(names):
                if name.endswith(".json.gz") or name.endswith(".json"):
                    yield os.path.join(folder, name)


def partition(region):
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


def s(value):
    return value if isinstance(value, str) else None


def keys_of(record):
    keys = []

    def add(k):
        if k not in keys:
            keys.append(k)

    resources = record.get("resources")
    if isinstance(resources, LIST_TYPES):
        for r in resources:
            arn = s(r.get("ARN")) if isinstance(r, DICT_TYPES) else None
            if arn is not None and KEY_ARN.match(arn):
                add(arn)
    if keys:
        return keys
    response = record.get("responseElements")
    if isinstance(response, DICT_TYPES):
        k = s(response.get("keyId"))
        if k is not None and KEY_ARN.match(k):
            return [k]
    request = record.get("requestParameters")
    if isinstance(request, DICT_TYPES):
        region = s(record.get("awsRegion")) or ""
        identity = record.get("userIdentity")
        account = s(record.get("recipientAccountId"))
        if account is None and isinstance(identity, DICT_TYPES):
            account = s(identity.get("accountId"))
        account = account or ""
        for field in ("keyId", "targetKeyId", "sourceKeyId", "destinationKeyId"):
            v = s(request.get(field))
            if not v:
                continue
            if v.startswith("arn:"):
                add(v)
            elif v.startswith("alias/"):
                add(f"arn:{partition(region)}:kms:{region}:{account}:{v}")
            else:
                add(f"arn:{partition(region)}:kms:{region}:{account}:key/{v}")
    return keys or [""]


def make_loads(parser_name):
    """The document parser for --parser (and the array/object types it returns)."""
    global LIST_TYPES, DICT_TYPES
    if parser_name == "orjson":
        import orjson
        return orjson.loads
    if parser_name == "simdjson":
        import simdjson
        parser = simdjson.Parser()
        return lambda b: parser.parse(b).as_dict()
    if parser_name == "simdjson-lazy":
        import simdjson
        LIST_TYPES = (list, simdjson.Array)
        DICT_TYPES = (dict, simdjson.Object)
        # The proxies of one document stay valid until the next parse, which
        # happens only after the file's records have been counted.
        return simdjson.Parser().parse
    import json
    return json.loads


def count_files(parser_name, paths):
    """Counts the files in `paths`: (calls, errors, records, kms, failed)."""
    loads = make_loads(parser_name)
    calls, errors = Counter(), Counter()
    records = kms = failed = 0
    for path in paths:
        # Drop the last document before the next parse (pysimdjson refuses
        # to reuse a parser while proxies of its last document are alive).
        doc = recs = r = None
        try:
            with open(path, "rb") as f:
                data = f.read()
            if data[:2] == b"\x1f\x8b":
                data = gzip.decompress(data)
            if data[:3] == b"\xef\xbb\xbf":
                data = data[3:]
            doc = loads(data)
            recs = doc["Records"]
            if not isinstance(recs, LIST_TYPES) or not all(isinstance(r, DICT_TYPES) for r in recs):
                raise ValueError("Records is not an array of objects")
        except Exception as e:  # a failed file: reported, not counted
            failed += 1
            print(f"kms_counts.py: {path}: {e}", file=sys.stderr)
            continue
        file_calls, file_errors = Counter(), Counter()
        for r in recs:
            records += 1
            if r.get("eventSource") != "kms.amazonaws.com":
                continue
            kms += 1
            name = s(r.get("eventName")) or ""
            code = r.get("errorCode")
            is_error = isinstance(code, str) and code != ""
            for k in keys_of(r):
                file_calls[(k, name)] += 1
                if is_error:
                    file_errors[(k, name)] += 1
        calls.update(file_calls)
        errors.update(file_errors)
    return calls, errors, records, kms, failed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--parser", choices=["json", "orjson", "simdjson", "simdjson-lazy"], default="json")
    ap.add_argument("--jobs", type=int, default=1,
                    help="worker processes; files are dealt out largest first (default 1)")
    ap.add_argument("paths", nargs="+")
    args = ap.parse_args()

    files = list(files_under(args.paths))
    if args.jobs <= 1:
        calls, errors, records, kms, failed = count_files(args.parser, files)
    else:
        import multiprocessing
        # Largest file first, each to the least-loaded worker.
        parts = [[] for _ in range(args.jobs)]
        loads = [0] * args.jobs
        for path in sorted(files, key=lambda p: os.path.getsize(p), reverse=True):
            i = loads.index(min(loads))
            parts[i].append(path)
            loads[i] += os.path.getsize(path)
        with multiprocessing.Pool(args.jobs) as pool:
            results = pool.starmap(count_files, [(args.parser, part) for part in parts])
        calls, errors = Counter(), Counter()
        records = kms = failed = 0
        for c, e, n, k, f in results:
            calls.update(c)
            errors.update(e)
            records += n
            kms += k
            failed += f

    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["key", "event_name", "calls", "errors"])
    for (k, name) in sorted(calls, key=lambda t: (t[0].encode(), t[1].encode())):
        out.writerow([k, name, calls[(k, name)], errors[(k, name)]])
    print(f"kms_counts.py: {records} records, {kms} KMS, {failed} failed files", file=sys.stderr)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Per-KMS-key counts of a CloudTrail trail with DuckDB's read_json, in
trailscan's CSV format: docs/counting.md in SQL, mirroring kms_counts.py.

A benchmark peer for scripts/bench.sh: what a user who reaches for DuckDB
would write. It walks the same files as kms_counts.py (its files_under),
reads every document with read_json (each file one {"Records":[...]} object;
the records kept as JSON values, since their shapes vary too much for a
useful inferred schema), unnests the records and applies the rules with
DuckDB's JSON functions. DuckDB uses all cores unless --threads is given.
Unlike trailscan and kms_counts.py, a file that fails to parse fails the
whole query.

Usage: kms_counts_duckdb.py [--threads N] PATH...
"""
import argparse, csv, os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kms_counts import files_under  # noqa: E402

KEY_ARN = r"(?s)^arn:[^:]+:kms:[^:]*:[^:]*:key/.+"

# One row per record; `s(path)` is the value at path when it is a JSON
# string, else NULL (kms_counts.py's s()).
QUERY = r"""
WITH records AS (
    SELECT unnest(Records) AS r
    FROM read_json($files, columns = {'Records': 'JSON[]'}, format = 'auto',
                   records = true, maximum_object_size = $max_object)
),
kms AS (
    SELECT
        r,
        CASE WHEN json_type(r, '$.eventName') = 'VARCHAR' THEN r ->> '$.eventName' ELSE '' END AS event_name,
        (json_type(r, '$.errorCode') = 'VARCHAR' AND r ->> '$.errorCode' <> '') IS TRUE AS failed,
        CASE WHEN json_type(r, '$.awsRegion') = 'VARCHAR' THEN r ->> '$.awsRegion' ELSE '' END AS region,
        coalesce(
            CASE WHEN json_type(r, '$.recipientAccountId') = 'VARCHAR' THEN r ->> '$.recipientAccountId' END,
            CASE WHEN json_type(r, '$.userIdentity.accountId') = 'VARCHAR'
                 THEN r ->> '$.userIdentity.accountId' END,
            '') AS account
    FROM records
    WHERE json_type(r, '$.eventSource') = 'VARCHAR' AND r ->> '$.eventSource' = 'kms.amazonaws.com'
),
rules AS (
    SELECT
        event_name, failed,
        -- Rule 1: resources[].ARN that are key ARNs (deduplicated; the order
        -- of a record's keys does not change any count).
        CASE WHEN json_type(r, '$.resources') = 'ARRAY' THEN
            list_distinct(list_filter(
                list_transform(json_extract(r, '$.resources[*]'),
                    lambda x: CASE WHEN json_type(x, '$.ARN') = 'VARCHAR' THEN x ->> '$.ARN' END),
                lambda a: a IS NOT NULL AND regexp_matches(a, '{KEY_ARN}')))
        ELSE [] END AS rule1,
        -- Rule 2: responseElements.keyId when it is a key ARN.
        CASE WHEN json_type(r, '$.responseElements.keyId') = 'VARCHAR'
                  AND regexp_matches(r ->> '$.responseElements.keyId', '{KEY_ARN}')
             THEN [r ->> '$.responseElements.keyId'] ELSE [] END AS rule2,
        -- Rule 3: the request's key fields, normalized, deduplicated.
        CASE WHEN json_type(r, '$.requestParameters') = 'OBJECT' THEN
            list_distinct(list_transform(
                list_filter(
                    [CASE WHEN json_type(r, '$.requestParameters.keyId') = 'VARCHAR'
                          THEN r ->> '$.requestParameters.keyId' END,
                     CASE WHEN json_type(r, '$.requestParameters.targetKeyId') = 'VARCHAR'
                          THEN r ->> '$.requestParameters.targetKeyId' END,
                     CASE WHEN json_type(r, '$.requestParameters.sourceKeyId') = 'VARCHAR'
                          THEN r ->> '$.requestParameters.sourceKeyId' END,
                     CASE WHEN json_type(r, '$.requestParameters.destinationKeyId') = 'VARCHAR'
                          THEN r ->> '$.requestParameters.destinationKeyId' END],
                    lambda v: v IS NOT NULL AND v <> ''),
                lambda v: CASE
                    WHEN starts_with(v, 'arn:') THEN v
                    ELSE 'arn:' || (CASE WHEN starts_with(region, 'cn-') THEN 'aws-cn'
                                         WHEN starts_with(region, 'us-gov-') THEN 'aws-us-gov'
                                         ELSE 'aws' END)
                         || ':kms:' || region || ':' || account || ':'
                         || (CASE WHEN starts_with(v, 'alias/') THEN v ELSE 'key/' || v END)
                END))
        ELSE [] END AS rule3
    FROM kms
),
keyed AS (
    SELECT event_name, failed,
        unnest(CASE WHEN len(rule1) > 0 THEN rule1
                    WHEN len(rule2) > 0 THEN rule2
                    WHEN len(rule3) > 0 THEN rule3
                    ELSE [''] END) AS key   -- Rule 4: no key.
    FROM rules
)
SELECT key, event_name, count(*) AS calls, count(*) FILTER (WHERE failed) AS errors
FROM keyed
GROUP BY key, event_name
""".replace("{KEY_ARN}", KEY_ARN)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=0, help="DuckDB threads (default: DuckDB's, all cores)")
    ap.add_argument("paths", nargs="+")
    args = ap.parse_args()
    import duckdb

    files = list(files_under(args.paths))
    con = duckdb.connect()
    if args.threads > 0:
        con.execute(f"SET threads = {args.threads}")
    largest = max((os.path.getsize(f) for f in files), default=0)
    rows = []
    if files:
        # maximum_object_size bounds one document; a gzip file inflates to
        # at most ~1032x its size, and CloudTrail logs to far less.
        max_object = max(16 << 20, min(largest * 64, (1 << 32) - 1))
        rows = con.execute(QUERY, {"files": files, "max_object": max_object}).fetchall()
    rows.sort(key=lambda row: (row[0].encode(), row[1].encode()))
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["key", "event_name", "calls", "errors"])
    for row in rows:
        out.writerow(row)


if __name__ == "__main__":
    main()

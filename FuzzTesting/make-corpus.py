#!/usr/bin/env python3
"""Writes the fuzzers' seed corpora (no binaries are committed).

usage: make-corpus.py TRAILSCAN_BINARY OUT_DIR

OUT_DIR/FuzzScanner/  plain JSON documents: small trails from
                      `trailscan generate` (compact, pretty, adversarial;
                      decompressed, at most 8 KiB each) and hand-written edge
                      cases (empty Records, BOM, deep nesting, escapes, numbers,
                      invalid UTF-8, NUL, cut documents).
OUT_DIR/FuzzInflate/  the same documents behind FuzzInflate's mode byte:
                      0x00 + the gzip file (raw bytes named .json.gz), 0x01 +
                      the JSON (named .json), and 0x02/0x16/0x8E + the JSON
                      (compressed by the target into 1, 2 or 4 members).
OUT_DIR/FuzzDigest/   digest files (decompressed, at most 8 KiB each) from a
                      small generated trail, and hand-written bad digests.
"""
import gzip
import os
import subprocess
import sys
import tempfile

MAX = 8192


def generated(binary):
    docs = []
    with tempfile.TemporaryDirectory() as tmp:
        for style in ("compact", "pretty", "adversarial"):
            for seed in (1, 2):
                out = os.path.join(tmp, f"{style}-{seed}")
                subprocess.run([binary, "generate", "--out", out, "--bytes", "64K", "--seed", str(seed),
                                "--style", style, "--no-digests"], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                for root, _, names in os.walk(out):
                    for name in sorted(names):
                        if name.endswith(".json.gz"):
                            with open(os.path.join(root, name), "rb") as f:
                                raw = f.read()
                            for limit in (1500, 6000):
                                doc = first_records(gzip.decompress(raw), limit)
                                docs.append((f"gen-{style}-{seed}-{len(docs)}", doc, None))
    return docs


def first_records(doc, limit):
    """The document cut after the last whole record that ends within `limit`
    bytes, closed with `]}` (so it stays valid JSON in the generator's style)."""
    depth, in_string, escaped, cut = 0, False, False, None
    for i, b in enumerate(doc):
        if in_string:
            if escaped:
                escaped = False
            elif b == 0x5C:
                escaped = True
            elif b == 0x22:
                in_string = False
            continue
        if b == 0x22:
            in_string = True
        elif b in (0x7B, 0x5B):
            depth += 1
        elif b in (0x7D, 0x5D):
            depth -= 1
            if depth == 2 and b == 0x7D:
                if i + 1 > limit and cut is not None:
                    break
                cut = i + 1
    return doc[:cut] + b"]}" if cut else doc


KMS = b'{"eventSource":"kms.amazonaws.com","eventName":"Decrypt","awsRegion":"us-east-1",' \
      b'"recipientAccountId":"111122223333","resources":[{"ARN":"arn:aws:kms:us-east-1:111122223333:key/k1"}]}'
EDGE = {
    "empty-records": b'{"Records":[]}',
    "bom": b'\xef\xbb\xbf{"Records":[' + KMS + b']}',
    "one-kms": b'{"Records":[' + KMS + b']}',
    "alias-request": b'{"Records":[{"eventSource":"kms.amazonaws.com","eventName":"Encrypt","awsRegion":"cn-north-1",'
                     b'"userIdentity":{"accountId":"444455556666"},"requestParameters":{"keyId":"alias/app",'
                     b'"targetKeyId":"mrk-1"},"errorCode":"AccessDenied"}]}',
    "response-key": b'{"Records":[{"eventSource":"kms.amazonaws.com","eventName":"CreateKey","responseElements":'
                    b'{"keyId":"arn:aws:kms:us-gov-west-1:1:key/x"}}],"other":[1,2.5e-3,true,false,null]}',
    "escapes": b'{"Records":[{"event\\u0053ource":"kms.amazonaws\\u002ecom","eventName":"D\\u00e9\\ud83d\\ude00\\"\\\\\\/",'
               b'"requestParameters":{"keyId":"\\ud800"}}]}',
    "utf8": '{"Records":[{"eventSource":"kms.amazonaws.com","eventName":"ключ-🔑-中文"}]}'.encode(),
    "deep": b'{"Records":[{"a":' + b'[' * 200 + b']' * 200 + b',"b":' + b'{"c":' * 100 + b'1' + b'}' * 100 + b'}]}',
    "numbers": b'{"Records":[{"n":[0,-0,1e9,-1.5E+10,0.000001,123456789012345678901234567890]}]}',
    "pretty": b'{\n  "Records" : [\n    {\n      "eventSource" : "kms.amazonaws.com" ,\r\n\t"eventName":"Sign"\n    }\n  ]\n}\n',
    "invalid-utf8": b'{"Records":[{"eventName":"\xc3\x28\xff"}]}',
    "nul": b'{"Records":[{"eventName":"a\x00b"}]}',
    "cut": b'{"Records":[' + KMS[:40],
    "not-object": b'{"Records":[1,"x",[]]}',
    "no-records": b'{"records":[],"Other":{}}',
    "top-array": b'[{"Records":[]}]',
    "two-records": b'{"Records":[],"Records":[]}',
}


DIGEST_EDGE = {
    "digest-not-json": b"<html>",
    "digest-array": b"[1,2]",
    "digest-empty-object": b"{}",
    "digest-starting-empty": (
        b'{"awsAccountId":"111122223333","digestStartTime":"2026-10-01T00:05:00Z",'
        b'"digestEndTime":"2026-10-01T01:05:00Z","digestS3Bucket":"b","digestS3Object":'
        b'"AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/10/01/111122223333_CloudTrail-Digest_us-east-1_t_us-east-1_20261001T010500Z.json.gz",'
        b'"digestPublicKeyFingerprint":"00","digestSignatureAlgorithm":"SHA256withRSA","newestEventTime":null,'
        b'"oldestEventTime":null,"previousDigestS3Bucket":null,"previousDigestS3Object":null,'
        b'"previousDigestHashValue":null,"previousDigestHashAlgorithm":null,"previousDigestSignature":null,"logFiles":[]}'),
    "keys-list": b'{"PublicKeyList":[{"Fingerprint":"aa","Value":"AAAA"}]}',
}


def digests(binary):
    docs = []
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "trail")
        subprocess.run([binary, "generate", "--out", out, "--bytes", "64K", "--seed", "5"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for root, _, names in sorted(os.walk(out)):
            for name in sorted(names):
                if "CloudTrail-Digest" in root and name.endswith(".json.gz"):
                    with open(os.path.join(root, name), "rb") as f:
                        doc = gzip.decompress(f.read())
                    if len(doc) <= MAX and (len(docs) < 12 or b'"s3Object"' in doc and len(docs) < 24):
                        docs.append((f"gen-digest-{len(docs)}", doc))
    return docs


def main():
    binary, out = sys.argv[1], sys.argv[2]
    os.makedirs(os.path.join(out, "FuzzDigest"), exist_ok=True)
    for name, doc in list(DIGEST_EDGE.items()) + digests(binary):
        with open(os.path.join(out, "FuzzDigest", name), "wb") as f:
            f.write(doc)
    docs = [(name, doc, None) for name, doc in EDGE.items()] + generated(binary)
    for target in ("FuzzScanner", "FuzzInflate"):
        os.makedirs(os.path.join(out, target), exist_ok=True)
    for name, doc, raw in docs:
        with open(os.path.join(out, "FuzzScanner", name), "wb") as f:
            f.write(doc)
        compressed = raw if raw is not None else gzip.compress(doc, mtime=0)
        for mode, payload in ((0x00, compressed), (0x01, doc), (0x02, doc), (0x16, doc), (0x8E, doc)):
            with open(os.path.join(out, "FuzzInflate", f"{name}-m{mode:02x}"), "wb") as f:
                f.write(bytes([mode]) + payload)
    print(f"{len(docs)} seed documents in {out}")


if __name__ == "__main__":
    main()
